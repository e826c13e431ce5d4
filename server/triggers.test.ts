import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { DEFAULT_TRIGGERS, type TriggerSettings } from "./env.js";
import { createMetrics } from "./metrics.js";
import { openSqliteResultStore } from "./store.js";
import { createFakeRunner, createTestApp, TEST_KEY, type FakeRunner } from "../test/support/server.js";
import { createLocalTriggerEngine, type Clock, type TriggerEngine, type TriggerEvent } from "./triggers.js";

/** A manual clock: time moves only when `advance` is called; due timers then fire in order. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000_000;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    advance(ms) {
      t += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= t) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
  };
}

const engines: TriggerEngine[] = [];
function engine(runner: FakeRunner, settings: Partial<TriggerSettings> = {}, clock?: Clock) {
  const store = openSqliteResultStore(":memory:");
  const metrics = createMetrics();
  const e = createLocalTriggerEngine({
    runner,
    store,
    settings: { ...DEFAULT_TRIGGERS, minIntervalMs: 0, ...settings },
    logger: pino({ level: "silent" }),
    metrics,
    clock,
  });
  engines.push(e);
  return { e, store, metrics };
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

let seq = 0;
const ev = (userId: string, type: TriggerEvent["type"]): TriggerEvent => ({ eventId: `e${++seq}`, userId, type });
const views = (userId: string, n: number) => Array.from({ length: n }, () => ev(userId, "view"));

describe("trigger rules", () => {
  it("does not run on the fourth view and runs on the fifth", async () => {
    const runner = createFakeRunner();
    const { e, store } = engine(runner);
    expect(e.onEvents(views("b1", 4))).toEqual([]);
    await e.idle();
    expect(runner.calls).toHaveLength(0);
    expect(e.onEvents(views("b1", 1))).toEqual(["b1"]);
    await e.idle();
    expect(runner.calls.map((c) => c.userId)).toEqual(["b1"]);
    expect(store.getLatest("b1")?.source).toBe("nearline");
  });

  it("counts views since the last run, per buyer", async () => {
    const runner = createFakeRunner();
    const { e } = engine(runner, { views: 3 });
    e.onEvents([...views("b1", 2), ...views("b2", 2)]);
    await e.idle();
    expect(runner.calls).toHaveLength(0);
    e.onEvents([ev("b1", "view")]);
    await e.idle();
    e.onEvents(views("b1", 2));
    await e.idle();
    expect(runner.calls.map((c) => c.userId)).toEqual(["b1"]);
  });

  it("runs at once on search, inquiry and order, not on collect or cart", async () => {
    const runner = createFakeRunner();
    const { e } = engine(runner);
    expect(e.onEvents([ev("a", "collect"), ev("a", "cart")])).toEqual([]);
    expect(e.onEvents([ev("s", "search"), ev("i", "inquiry"), ev("o", "order")]).sort()).toEqual(["i", "o", "s"]);
    await e.idle();
    expect(runner.calls.map((c) => c.userId).sort()).toEqual(["i", "o", "s"]);
  });

  it("ignores retried event ids", async () => {
    const runner = createFakeRunner();
    const { e } = engine(runner);
    const batch = views("b1", 3);
    e.onEvents(batch);
    e.onEvents(batch);
    await e.idle();
    expect(runner.calls).toHaveLength(0);
  });

  it("does nothing when disabled", async () => {
    const runner = createFakeRunner();
    const { e } = engine(runner, { enabled: false });
    expect(e.onEvents([ev("b1", "order")])).toEqual([]);
    await e.idle();
    expect(runner.calls).toHaveLength(0);
  });

  it("restarts the view count after an invoke of the same buyer", async () => {
    const runner = createFakeRunner();
    const { e } = engine(runner);
    e.onEvents(views("b1", 4));
    e.noteRun("b1");
    e.onEvents(views("b1", 1));
    await e.idle();
    expect(runner.calls).toHaveLength(0);
  });
});

describe("debounce, single flight and the worker pool", () => {
  it("delays a second run until the minimum interval has passed", async () => {
    const clock = manualClock();
    const runner = createFakeRunner();
    const { e } = engine(runner, { minIntervalMs: 10_000 }, clock);
    e.onEvents([ev("b1", "order")]);
    await e.idle();
    expect(runner.calls).toHaveLength(1);

    clock.advance(4_000);
    e.onEvents([ev("b1", "search"), ev("b1", "inquiry")]);
    expect(e.stats()).toMatchObject({ delayed: 1, queued: 0, running: 0 });
    clock.advance(5_999);
    expect(runner.calls).toHaveLength(1);
    clock.advance(1);
    await e.idle();
    expect(runner.calls).toHaveLength(2);
    expect(e.stats()).toMatchObject({ delayed: 0, completed: 2 });
  });

  it("never runs one buyer twice at once and schedules exactly one follow-up", async () => {
    const runner = createFakeRunner({ stepMs: 20 });
    const { e } = engine(runner);
    e.onEvents([ev("b1", "order")]);
    await new Promise((r) => setTimeout(r, 5));
    expect(e.stats().running).toBe(1);
    for (let i = 0; i < 5; i++) e.onEvents([ev("b1", "search"), ...views("b1", 5)]);
    await e.idle();
    expect(runner.maxActivePerUser).toBe(1);
    expect(runner.calls).toHaveLength(2);
  });

  it("bounds concurrent runs by the pool size and runs every queued buyer", async () => {
    const runner = createFakeRunner({ stepMs: 10 });
    const { e, metrics } = engine(runner, { concurrency: 2 });
    e.onEvents(["a", "b", "c", "d", "e"].map((u) => ev(u, "order")));
    expect(e.stats()).toMatchObject({ running: 2, queued: 3 });
    expect(metrics.render()).toContain("chrysalis_nearline_queue_depth 3");
    await e.idle();
    expect(runner.maxActive).toBe(2);
    expect(runner.calls.map((c) => c.userId).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(metrics.render()).toMatch(/chrysalis_nearline_run_seconds_count\{outcome="ok"\} 5/);
  });

  it("counts failed runs and keeps serving other buyers", async () => {
    const runner = createFakeRunner({ fail: (u) => u === "bad" });
    const { e, store } = engine(runner);
    e.onEvents([ev("bad", "order"), ev("good", "order")]);
    await e.idle();
    expect(e.stats()).toMatchObject({ failed: 1, completed: 1 });
    expect(store.getLatest("bad")).toBeNull();
    expect(store.getLatest("good")?.result.userId).toBe("good");
  });

  it("aborts running runs on close", async () => {
    const runner = createFakeRunner({ stepMs: 1_000 });
    const { e } = engine(runner);
    e.onEvents([ev("b1", "order")]);
    await e.close();
    expect(runner.calls[0].opts.signal?.aborted).toBe(true);
    expect(e.stats()).toMatchObject({ running: 0, completed: 0, failed: 1 });
  });
});

describe("triggers through POST /v1/events", () => {
  const post = (app: ReturnType<typeof createTestApp>["app"], events: unknown[]) =>
    app.request("/v1/events", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ events }),
    });
  const apiView = (i: number) => ({ eventId: `v${i}`, userId: "b1", type: "view", itemId: "i-100", at: "2025-06-01T10:00:00Z" });

  it("stores a near-line result after the fifth view and serves it as the latest", async () => {
    const runner = createFakeRunner();
    const t = createTestApp({ runner });
    try {
      const four = (await (await post(t.app, [0, 1, 2, 3].map(apiView))).json()) as { triggered: string[] };
      expect(four.triggered).toEqual([]);
      const fifth = (await (await post(t.app, [apiView(4)])).json()) as { triggered: string[] };
      expect(fifth.triggered).toEqual(["b1"]);
      await t.deps.triggers.idle();
      const latest = await t.app.request("/v1/users/b1/recommendations", { headers: t.auth });
      expect(latest.status).toBe(200);
      expect(await latest.json()).toMatchObject({ source: "nearline", result: { userId: "b1" } });
    } finally {
      await t.close();
    }
  });

  it("keeps one run per buyer under concurrent batches", async () => {
    const runner = createFakeRunner({ stepMs: 15 });
    const t = createTestApp({ runner });
    try {
      const batches = Array.from({ length: 8 }, (_, b) => [0, 1, 2, 3, 4].map((i) => apiView(b * 10 + i)));
      const answers = await Promise.all(batches.map((batch) => post(t.app, batch)));
      expect(answers.every((r) => r.status === 200)).toBe(true);
      await t.deps.triggers.idle();
      expect(runner.maxActivePerUser).toBe(1);
      expect(runner.calls.length).toBeGreaterThanOrEqual(1);
      expect(runner.calls.length).toBeLessThanOrEqual(2);
    } finally {
      await t.close();
    }
  });
});

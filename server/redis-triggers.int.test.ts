/**
 * The Redis trigger engine on a real local Redis (`services/scale.ts`, `REDIS_PORT`): two engines
 * on one key prefix stand for two replicas. Counting across engines, event-id deduplication,
 * single-flight with one follow-up after the debounce, retries with backoff and the dead-letter
 * list. The runners are the scripted fakes of `server/test-support.ts`; each test uses a fresh prefix.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadServicesConfig } from "../services/config.js";
import { ensureRedis, releaseRedis } from "../services/scale.js";
import { DEFAULT_TRIGGERS, type TriggerSettings } from "./env.js";
import { createRedisTriggerEngine, type QueueSettings, type RedisTriggerEngine } from "./redis-triggers.js";
import { openSqliteResultStore } from "./store.js";
import { createFakeRunner, type FakeRunner } from "../test/support/server.js";
import type { TriggerEvent } from "./triggers.js";

let redisUrl: string;
let redis: Redis;
let startedRedis = false;
const prefixes: string[] = [];
const engines: RedisTriggerEngine[] = [];

beforeAll(async () => {
  const up = await ensureRedis(loadServicesConfig());
  redisUrl = up.url;
  startedRedis = up.started;
  redis = new Redis(redisUrl);
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});
afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis?.quit();
  await releaseRedis(loadServicesConfig(), startedRedis);
});

function replicas(n: number, runner: FakeRunner, settings: Partial<TriggerSettings> = {}, queue: Partial<QueueSettings> = {}) {
  const prefix = `rt${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  const store = openSqliteResultStore(":memory:");
  const list = Array.from({ length: n }, () =>
    createRedisTriggerEngine({
      redisUrl,
      prefix,
      runner,
      store,
      settings: { ...DEFAULT_TRIGGERS, minIntervalMs: 0, ...settings },
      queue: { attempts: 3, backoffMs: 100, lockMs: 2000, ...queue },
      logger: pino({ level: "silent" }),
    }),
  );
  engines.push(...list);
  return { list, store, prefix };
}

let seq = 0;
const ev = (userId: string, type: TriggerEvent["type"]): TriggerEvent => ({ eventId: `r${randomUUID()}-${++seq}`, userId, type });

describe("Redis trigger engine across replicas", () => {
  it("counts views across replicas: the fifth view triggers one run wherever it arrives, retried ids count once", async () => {
    const runner = createFakeRunner();
    const { list: [a, b], store } = replicas(2, runner);
    const events = Array.from({ length: 5 }, () => ev("u1", "view"));
    expect(await a.onEvents([events[0]])).toEqual([]);
    expect(await b.onEvents([events[1], events[2]])).toEqual([]);
    expect(await a.onEvents([events[1], events[2], events[3]])).toEqual([]);
    expect(await b.views("u1")).toBe(4);
    expect(await b.onEvents([events[4]])).toEqual(["u1"]);
    await a.idle();
    expect(runner.calls.map((c) => c.userId)).toEqual(["u1"]);
    expect(store.getLatest("u1")?.source).toBe("nearline");
    expect(await a.views("u1")).toBe(0);
  });

  it("is single-flight per buyer across replicas and schedules exactly one follow-up after the debounce", async () => {
    const runner = createFakeRunner({ stepMs: 40 });
    const { list: [a, b] } = replicas(2, runner, { minIntervalMs: 1500 });
    const t0 = Date.now();
    expect(await a.onEvents([ev("u2", "order")])).toEqual(["u2"]);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 6; i++) await (i % 2 ? a : b).onEvents([ev("u2", "search")]);
    await b.idle();
    expect(runner.calls.map((c) => c.userId)).toEqual(["u2", "u2"]);
    expect(runner.maxActivePerUser).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(new Set(runner.calls.map((c) => c.opts.threadId)).size).toBe(2);
  });

  it("retries a failing run with backoff and dead-letters it after the last attempt", async () => {
    const runner = createFakeRunner({ fail: (u) => u === "bad" });
    const { list: [a] } = replicas(1, runner, {}, { attempts: 3, backoffMs: 100 });
    expect(await a.onEvents([ev("bad", "inquiry")])).toEqual(["bad"]);
    const letters = await (async () => {
      for (let i = 0; i < 100; i++) {
        const l = await a.deadLetters();
        if (l.length > 0) return l;
        await new Promise((r) => setTimeout(r, 100));
      }
      return [];
    })();
    expect(letters).toEqual([expect.objectContaining({ userId: "bad", reason: "inquiry", attempts: 3, error: "scripted failure" })]);
    expect(runner.calls.filter((c) => c.userId === "bad")).toHaveLength(3);
    const threads = new Set(runner.calls.map((c) => c.opts.threadId));
    expect(threads.size).toBe(1);
  });

  it("a run that fails once succeeds on its retry", async () => {
    let failures = 1;
    const runner = createFakeRunner({ fail: () => failures-- > 0 });
    const { list: [a], store } = replicas(1, runner);
    await a.onEvents([ev("flaky", "order")]);
    for (let i = 0; i < 100 && !store.getLatest("flaky"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(store.getLatest("flaky")?.source).toBe("nearline");
    expect(runner.calls).toHaveLength(2);
    expect(await a.deadLetters()).toEqual([]);
  });

  it("does nothing when triggers are disabled", async () => {
    const runner = createFakeRunner();
    const { list: [a] } = replicas(1, runner, { enabled: false });
    expect(await a.onEvents([ev("off", "order")])).toEqual([]);
    await a.idle();
    expect(runner.calls).toHaveLength(0);
  });
});

import { describe, expect, it } from "vitest";
import { createRunQueue, RunQueueFullError } from "./run-queue.js";

/** A task that resolves when `finish()` is called, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: (v: string) => void;
  const done = new Promise<string>((r) => (finish = r));
  return {
    task: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(name),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("run queue", () => {
  it("runs at most `concurrency` tasks at once and starts the waiters in arrival order", async () => {
    const q = createRunQueue({ concurrency: 2, maxQueued: 10 });
    const started: string[] = [];
    const gates = ["a", "b", "c", "d"].map((n) => gate(started, n));
    const results = gates.map((g) => q.run(g.task));
    await tick();
    expect(started).toEqual(["a", "b"]);
    expect(q.stats()).toMatchObject({ running: 2, queued: 2 });
    gates[1].finish();
    await tick();
    expect(started).toEqual(["a", "b", "c"]);
    gates[0].finish();
    await tick();
    expect(started).toEqual(["a", "b", "c", "d"]);
    gates[2].finish();
    gates[3].finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(q.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("tells each waiter its position when queued and each time it moves up", async () => {
    const q = createRunQueue({ concurrency: 1, maxQueued: 10 });
    const started: string[] = [];
    const first = gate(started, "first");
    const second = gate(started, "second");
    const third = gate(started, "third");
    const positions: Record<string, number[]> = { first: [], second: [], third: [] };
    const runs = [first, second, third].map((g, k) => q.run(g.task, { onPosition: (p) => positions[["first", "second", "third"][k]].push(p) }));
    await tick();
    expect(positions).toEqual({ first: [], second: [1], third: [2] });
    first.finish();
    await tick();
    expect(positions).toEqual({ first: [], second: [1], third: [2, 1] });
    second.finish();
    third.finish();
    await Promise.all(runs);
  });

  it("refuses a run with RunQueueFullError when maxQueued runs already wait, and takes runs again once there is room", async () => {
    const q = createRunQueue({ concurrency: 1, maxQueued: 1 });
    const started: string[] = [];
    const a = gate(started, "a");
    const b = gate(started, "b");
    const ra = q.run(a.task);
    const rb = q.run(b.task);
    const refused = await q.run(async () => "c").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunQueueFullError);
    expect((refused as RunQueueFullError).stats).toMatchObject({ running: 1, queued: 1, maxQueued: 1 });
    expect(q.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    a.finish();
    await ra;
    const rc = q.run(async () => "c");
    b.finish();
    expect(await Promise.all([rb, rc])).toEqual(["b", "c"]);
  });

  it("drops a waiter whose signal aborts, rejects it with the reason and moves the ones behind it up", async () => {
    const q = createRunQueue({ concurrency: 1, maxQueued: 10 });
    const started: string[] = [];
    const a = gate(started, "a");
    const b = gate(started, "b");
    const c = gate(started, "c");
    const controller = new AbortController();
    const ra = q.run(a.task);
    const rb = q.run(b.task, { signal: controller.signal });
    const cPositions: number[] = [];
    const rc = q.run(c.task, { onPosition: (p) => cPositions.push(p) });
    controller.abort(new Error("client gone"));
    await expect(rb).rejects.toThrow("client gone");
    expect(cPositions).toEqual([2, 1]);
    expect(q.stats().queued).toBe(1);
    a.finish();
    await ra;
    await tick();
    expect(started).toEqual(["a", "c"]);
    c.finish();
    expect(await rc).toBe("c");
  });

  it("frees the slot of a task that fails", async () => {
    const q = createRunQueue({ concurrency: 1, maxQueued: 10 });
    await expect(q.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await q.run(async () => "next")).toBe("next");
    expect(q.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("estimates Retry-After from the mean run time, the queue length and the concurrency", async () => {
    let t = 0;
    const q = createRunQueue({ concurrency: 2, maxQueued: 10, now: () => t });
    await q.run(async () => {
      t += 4000;
    });
    expect(q.stats().meanRunMs).toBe(4000);
    expect(q.retryAfterSeconds()).toBe(2);
  });
});

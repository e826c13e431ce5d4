import { afterEach, describe, expect, it } from "vitest";
import { createFakeRunner, createTestApp, TEST_KEY } from "../test/support/server.js";

const open: ReturnType<typeof createTestApp>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

const invoke = (app: ReturnType<typeof createTestApp>["app"], body: unknown, signal?: AbortSignal) =>
  app.request("/v1/users/b1/invoke", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

describe("identical concurrent invokes", () => {
  it("share one run; a different asOf or configuration gets its own", async () => {
    const runner = createFakeRunner({ stepMs: 10 });
    const t = createTestApp({ runner });
    open.push(t);
    const same = Array.from({ length: 20 }, (_, i) => invoke(t.app, { config: i % 2 ? { maxCriticLoops: 1, queryCount: 5 } : { queryCount: 5, maxCriticLoops: 1 } }));
    const other = [invoke(t.app, { config: { maxCriticLoops: 2 } }), invoke(t.app, { asOf: "2025-05-01T00:00:00Z", config: { maxCriticLoops: 1, queryCount: 5 } })];
    const answers = await Promise.all([...same, ...other]);
    expect(answers.map((r) => r.status)).toEqual(Array(22).fill(200));
    const runIds = (await Promise.all(answers.map((r) => r.json()))).map((b) => (b as { runId: string }).runId);
    expect(new Set(runIds.slice(0, 20)).size).toBe(1);
    expect(new Set(runIds).size).toBe(3);
    expect(runner.calls).toHaveLength(3);
    const after = await invoke(t.app, { config: { maxCriticLoops: 1, queryCount: 5 } });
    expect(((await after.json()) as { runId: string }).runId).not.toBe(runIds[0]);
  });

  it("keeps the shared run going while one client remains, and cancels it when the last leaves", async () => {
    const runner = createFakeRunner({ stepMs: 40 });
    const t = createTestApp({ runner });
    open.push(t);
    const leaving = new AbortController();
    const first = Promise.resolve(invoke(t.app, {}, leaving.signal)).catch(() => null);
    const staying = invoke(t.app, {});
    await new Promise((r) => setTimeout(r, 60));
    leaving.abort();
    expect((await staying).status).toBe(200);
    await first;
    expect(runner.calls).toHaveLength(1);

    const alone = new AbortController();
    const gone = Promise.resolve(invoke(t.app, { config: { maxCriticLoops: 3 } }, alone.signal)).catch(() => null);
    await new Promise((r) => setTimeout(r, 60));
    alone.abort();
    await gone;
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1].opts.signal?.aborted).toBe(true);
  });
});

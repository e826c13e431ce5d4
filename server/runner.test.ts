import { describe, expect, it } from "vitest";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { z } from "zod";
import { createGraphRunner, RunAbortedError, summarizeUpdate, withDefaultAsOf, type NodeProgress } from "./runner.js";
import { createFakeRunner, sampleResult } from "../test/support/server.js";

const State = Annotation.Root({
  userId: Annotation<string>,
  asOf: Annotation<string | undefined>,
  seen: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  note: Annotation<string>({ reducer: (_a, b) => b, default: () => "" }),
});

/** A three-node graph; `slowMs` delays the second node. */
function tinyGraph(slowMs = 0) {
  return new StateGraph(State)
    .addNode("first", async (s) => ({ seen: [`first:${s.userId}`], note: "x".repeat(100) }))
    .addNode("second", async (_s, config) => {
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, slowMs);
        config?.signal?.addEventListener("abort", () => (clearTimeout(t), reject(new Error("aborted"))), { once: true });
      });
      return { seen: ["second"] };
    })
    .addNode("third", async (s, config) => ({ seen: [`third:${String(config?.configurable?.queryCount ?? "none")}:${s.asOf ?? "now"}`] }))
    .addEdge(START, "first")
    .addEdge("first", "second")
    .addEdge("second", "third")
    .addEdge("third", END)
    .compile();
}

const toResult = (state: Record<string, unknown>, meta: { runId: string; userId: string }) => ({
  ...sampleResult(meta.userId, meta.runId),
  portrait: { seen: state.seen },
});

describe("createGraphRunner", () => {
  it("reports each node as it finishes and builds the result from the final state", async () => {
    const runner = createGraphRunner({ graph: tinyGraph(), configSchema: z.object({ queryCount: z.number() }), toResult, newRunId: () => "r-1" });
    const progress: NodeProgress[] = [];
    const result = await runner.run("b9", { asOf: "2025-01-01T00:00:00Z", config: { queryCount: 3 }, onNode: (p) => progress.push(p) });
    expect(progress.map((p) => p.node)).toEqual(["first", "second", "third"]);
    expect(progress[0].summary).toEqual({ seen: { count: 1 }, note: `${"x".repeat(77)}...` });
    expect(result.runId).toBe("r-1");
    expect(result.portrait.seen).toEqual(["first:b9", "second", "third:3:2025-01-01T00:00:00Z"]);
  });

  it("stops on abort and names the nodes that finished", async () => {
    const runner = createGraphRunner({ graph: tinyGraph(5_000), configSchema: z.object({}), toResult });
    const ac = new AbortController();
    const run = runner.run("b9", { signal: ac.signal, onNode: (p) => p.node === "first" && ac.abort(new Error("stop")) });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunAbortedError);
    expect((err as RunAbortedError).finished.map((p) => p.node)).toEqual(["first"]);
  });

  it("rejects a final state that does not make a valid result", async () => {
    const runner = createGraphRunner({ graph: tinyGraph(), configSchema: z.object({}), toResult: () => ({ userId: "b9" }) });
    await expect(runner.run("b9", {})).rejects.toThrow();
  });
});

describe("summarizeUpdate", () => {
  it("counts arrays and object keys, keeps scalars and drops diagnostics", () => {
    expect(summarizeUpdate({ a: [1, 2], b: { x: 1, y: 2, z: 3 }, c: 4, d: true, timings: [{}], steps: [] })).toEqual({
      a: { count: 2 },
      b: { keys: 3 },
      c: 4,
      d: true,
    });
    expect(summarizeUpdate(null)).toEqual({});
  });
});

describe("withDefaultAsOf", () => {
  it("fills asOf only when the caller gives none", async () => {
    const fake = createFakeRunner();
    const runner = withDefaultAsOf(fake, "2025-06-01T00:00:00Z");
    await runner.run("b1", {});
    await runner.run("b1", { asOf: "2025-01-01T00:00:00Z" });
    expect(fake.calls.map((c) => c.opts.asOf)).toEqual(["2025-06-01T00:00:00Z", "2025-01-01T00:00:00Z"]);
    expect(withDefaultAsOf(fake, undefined)).toBe(fake);
  });
});

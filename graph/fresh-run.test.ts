/**
 * Two runs on one thread (as LangGraph Studio does) with a checkpointer: the second starts clean —
 * critic rounds, verdicts, step reports and timings are its own, not added to the first run's.
 */
import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import { createRunStep } from "../llm/run-step.js";
import { createTrendTools } from "../tools/index.js";
import { createMemo } from "../lib/deps.js";
import { createGraph } from "./builder.js";
import type { GraphState } from "../contracts/state.js";
import { FAKE_AS_OF, createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import { type GraphDeps } from "../contracts/deps.js";

describe("a run on a used thread", () => {
  it("does not inherit the previous run's critic rounds, verdicts or reports", async () => {
    const kg = createFakeKg();
    const deps: GraphDeps = {
      kg,
      uq: createFakeUq(),
      embedder: createHashEmbedder(),
      runStep: createRunStep(),
      chatModel: () => undefined,
      trendTools: ({ asOf }) => createTrendTools({ kg, asOf }),
      memo: createMemo(),
    };
    const g = createGraph({ deps, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "t-1", defaultReasoner: "analytic" } };
    const first = (await g.invoke({ userId: "u-1", asOf: FAKE_AS_OF }, config)) as GraphState;
    const second = (await g.invoke({ userId: "u-1", asOf: FAKE_AS_OF }, config)) as GraphState;
    expect(first.criticRounds).toBeGreaterThan(0);
    expect(second.criticRounds).toBe(first.criticRounds);
    expect(second.steps).toHaveLength(first.steps.length);
    expect(second.timings).toHaveLength(first.timings.length);
    expect(Object.keys(second.verdicts).sort()).toEqual(Object.keys(first.verdicts).sort());
    expect(Object.values(second.verdicts).every((v) => v.round <= second.criticRounds)).toBe(true);
  });
});

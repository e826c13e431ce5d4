/**
 * The graph's parallel part: portrait ‖ cfv ‖ (source planning → trend mining) after compression,
 * joined before query generation — the compiled graph's edges, the three branches really running
 * at once, generation running once per round with every branch's output merged into its state.
 */
import { describe, expect, it } from "vitest";
import type { RunnableConfig } from "@langchain/core/runnables";
import { createRunStep } from "../llm/run-step.js";
import { createTrendTools } from "../tools/index.js";
import { createMemo } from "../lib/deps.js";
import { BRANCHES_BEFORE_GENERATION, createBuilder, NODES } from "./builder.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { FAKE_AS_OF, createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import type { GraphDeps } from "../contracts/deps.js";

type NodeFn = (state: GraphState, config?: RunnableConfig) => Promise<GraphUpdate>;

function fakeDeps(): GraphDeps {
  const kg = createFakeKg();
  return {
    kg,
    uq: createFakeUq(),
    embedder: createHashEmbedder(),
    runStep: createRunStep(),
    chatModel: () => undefined,
    trendTools: ({ asOf }) => createTrendTools({ kg, asOf }),
    memo: createMemo(),
  };
}

describe("parallel reasoning branches", () => {
  it("fan out after compress_behavior and join before generate_queries", () => {
    const edges = createBuilder().compile().getGraph().edges.map((e) => `${e.source}->${e.target}`);
    for (const to of ["build_portrait", "analyze_cfv", "plan_trend_sources"]) expect(edges).toContain(`compress_behavior->${to}`);
    expect(edges).toContain("plan_trend_sources->mine_trends");
    for (const from of BRANCHES_BEFORE_GENERATION) expect(edges).toContain(`${from}->generate_queries`);
    expect(edges).not.toContain("build_portrait->analyze_cfv");
    expect(edges).not.toContain("analyze_cfv->plan_trend_sources");
    expect(edges).not.toContain("mine_trends->build_portrait");
  });

  it("run the three branches at once and merge their outputs into one generation per round", async () => {
    const started = new Set<string>();
    let release!: () => void;
    const allStarted = new Promise<void>((r) => (release = r));
    const concurrent = (name: string, fn: NodeFn): NodeFn => async (state, config) => {
      started.add(name);
      if (started.size === 3) release();
      const timeout = new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`${name} waited alone: the branches ran one after another`)), 5_000));
      await Promise.race([allStarted, timeout]);
      return fn(state, config);
    };
    const seenByGeneration: { portrait: boolean; cfv: boolean; trends: boolean; pairs: number }[] = [];
    const generate: NodeFn = async (state, config) => {
      seenByGeneration.push({ portrait: state.portrait !== null, cfv: state.cfv !== null, trends: state.trends !== null, pairs: state.pairs.length });
      return NODES.generate_queries(state, config);
    };
    const g = createBuilder({
      ...NODES,
      build_portrait: concurrent("build_portrait", NODES.build_portrait),
      analyze_cfv: concurrent("analyze_cfv", NODES.analyze_cfv),
      plan_trend_sources: concurrent("plan_trend_sources", NODES.plan_trend_sources),
      generate_queries: generate,
    }).compile();
    const state = (await g.invoke({ userId: "u-1", asOf: FAKE_AS_OF }, { configurable: { deps: fakeDeps(), defaultReasoner: "analytic" } })) as GraphState;

    expect(started).toEqual(new Set(["build_portrait", "analyze_cfv", "plan_trend_sources"]));
    expect(seenByGeneration.length).toBe(state.criticRounds);
    expect(seenByGeneration[0]).toMatchObject({ portrait: true, cfv: true, trends: true });
    expect(seenByGeneration[0].pairs).toBe(state.pairs.length);
    const once = ["compressor", "portrait", "cfv", "sourcePlanner", "trendExtractor"];
    for (const role of once) expect(state.steps.filter((s) => s.role === role)).toHaveLength(1);
    expect(state.steps.filter((s) => s.role === "queryGenerator")).toHaveLength(state.criticRounds);
    expect(state.timings.filter((t) => t.node === "generate_queries")).toHaveLength(state.criticRounds);
    expect(state.portrait!.mainCategories.map((c) => c.categoryId)).toEqual(state.cfv!.categories.map((c) => c.categoryId));
    expect(state.trends!.docs.length).toBeGreaterThan(0);
    expect(state.ranked.length).toBeGreaterThan(0);
  });
});

/**
 * The inference graph (DESIGN.md section 4): portrait ‖ cfv ‖ (source planning → trend mining)
 * after compression, joined before query generation. Exports the uncompiled `builder`, `createGraph`
 * (compile with given deps or a deps provider, SQLite checkpointer by default) and the
 * module-level compiled `graph` (for `langgraph.json`), whose deps are built from the
 * environment on first invocation. Every node is wrapped to record its wall time, LLM calls and
 * prompt tokens in `timings`.
 */
import { END, Overwrite, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration } from "../contracts/configuration.js";
import { GraphInput, GraphStateAnnotation, type GraphState, type GraphUpdate } from "../contracts/state.js";
import type { NodeTiming } from "../contracts/result.js";
import { AFTER_CRITIC, routeAfterCritic } from "./routers.js";
import { checkpointerFromEnv } from "./checkpointer.js";
import { envDepsProvider } from "./env-deps.js";
import type { StepReport } from "../contracts/steps.js";
import { loadContext } from "../nodes/load-context.js";
import { compressBehavior } from "../nodes/compress-behavior.js";
import { buildPortrait } from "../nodes/build-portrait.js";
import { analyzeCfv } from "../nodes/analyze-cfv.js";
import { planTrendSources } from "../nodes/plan-trend-sources.js";
import { mineTrends } from "../nodes/mine-trends.js";
import { generateQueries } from "../nodes/generate-queries.js";
import { critiqueQueries } from "../nodes/critique-queries.js";
import { scoreRelevance } from "../nodes/score-relevance.js";
import { diversify } from "../nodes/diversify.js";
import { retrieveItems } from "../nodes/retrieve-items.js";
import { rankItems } from "../nodes/rank-items.js";
import { explain } from "../nodes/explain.js";
import type { DepsProvider, GraphDeps } from "../contracts/deps.js";

type NodeFn = (state: GraphState, config?: RunnableConfig) => Promise<GraphUpdate>;

/** Wraps a node so that its update carries one timing row. */
export function timed(name: string, fn: NodeFn): NodeFn {
  return async (state, config) => {
    const t0 = performance.now();
    const update = await fn(state, config);
    const reported = Overwrite.isInstance<StepReport[]>(update.steps) ? update.steps.value : update.steps;
    const steps = ([] as StepReport[]).concat((reported as StepReport[] | StepReport | undefined) ?? []);
    const timing = {
      node: name,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      llmCalls: steps.reduce((s, r) => s + r.llmCalls, 0),
      promptTokens: steps.reduce((s, r) => s + r.promptTokens, 0),
    };
    const timings = Overwrite.isInstance<NodeTiming[]>(update.timings) ? new Overwrite([...update.timings.value, timing]) : [timing];
    return { ...update, timings } as GraphUpdate;
  };
}

export const NODES = {
  load_context: loadContext,
  compress_behavior: compressBehavior,
  build_portrait: buildPortrait,
  analyze_cfv: analyzeCfv,
  plan_trend_sources: planTrendSources,
  mine_trends: mineTrends,
  generate_queries: generateQueries,
  critique_queries: critiqueQueries,
  score_relevance: scoreRelevance,
  diversify,
  retrieve_items: retrieveItems,
  rank_items: rankItems,
  explain,
} as const;

/**
 * The parallel part: after compress_behavior, build_portrait, analyze_cfv and
 * plan_trend_sources → mine_trends run side by side (each reads the compressed tuples, none
 * another's output); generate_queries waits for the last node of every branch. The longest chain
 * of reasoning roles is compressor → source planner → trend extractor → query generator (four),
 * plus critic rounds.
 */
export const BRANCHES_BEFORE_GENERATION = ["build_portrait", "analyze_cfv", "mine_trends"] as const;

/** The uncompiled graph over `nodes` (default: the real nodes; evaluation ablations swap one). */
export function createBuilder(nodes: Record<keyof typeof NODES, NodeFn> = NODES) {
  return new StateGraph({ stateSchema: GraphStateAnnotation, input: GraphInput })
    .addNode("load_context", timed("load_context", nodes.load_context))
    .addNode("compress_behavior", timed("compress_behavior", nodes.compress_behavior))
    .addNode("build_portrait", timed("build_portrait", nodes.build_portrait))
    .addNode("analyze_cfv", timed("analyze_cfv", nodes.analyze_cfv))
    .addNode("plan_trend_sources", timed("plan_trend_sources", nodes.plan_trend_sources))
    .addNode("mine_trends", timed("mine_trends", nodes.mine_trends))
    .addNode("generate_queries", timed("generate_queries", nodes.generate_queries))
    .addNode("critique_queries", timed("critique_queries", nodes.critique_queries))
    .addNode("score_relevance", timed("score_relevance", nodes.score_relevance))
    .addNode("diversify", timed("diversify", nodes.diversify))
    .addNode("retrieve_items", timed("retrieve_items", nodes.retrieve_items))
    .addNode("rank_items", timed("rank_items", nodes.rank_items))
    .addNode("explain", timed("explain", nodes.explain))
    .addEdge(START, "load_context")
    .addEdge("load_context", "compress_behavior")
    .addEdge("compress_behavior", "build_portrait")
    .addEdge("compress_behavior", "analyze_cfv")
    .addEdge("compress_behavior", "plan_trend_sources")
    .addEdge("plan_trend_sources", "mine_trends")
    .addEdge([...BRANCHES_BEFORE_GENERATION], "generate_queries")
    .addEdge("generate_queries", "critique_queries")
    .addConditionalEdges(
      "critique_queries",
      (state: GraphState, config?: RunnableConfig) => routeAfterCritic(state, readConfiguration(config).maxCriticLoops),
      AFTER_CRITIC,
    )
    .addEdge("score_relevance", "diversify")
    .addEdge("diversify", "retrieve_items")
    .addEdge("retrieve_items", "rank_items")
    .addEdge("rank_items", "explain")
    .addEdge("explain", END);
}

export const builder = createBuilder();

export interface CreateGraphOptions {
  /** Dependencies for every run; else `depsProvider`. */
  deps?: GraphDeps;
  depsProvider?: DepsProvider;
  /** A checkpointer, or `false` for none; default `checkpointerFromEnv()` (Postgres when POSTGRES_URL is set, else SQLite at `.data/checkpoints.sqlite`). */
  checkpointer?: BaseCheckpointSaver | false;
}

export function createGraph(opts: CreateGraphOptions = {}) {
  const checkpointer = opts.checkpointer === false ? undefined : (opts.checkpointer ?? checkpointerFromEnv());
  const compiled = builder.compile({ checkpointer });
  compiled.name = "chrysalis";
  const configurable = opts.deps ? { deps: opts.deps } : { depsProvider: opts.depsProvider ?? envDepsProvider() };
  return compiled.withConfig({ configurable });
}

/** The compiled graph with the SQLite checkpointer; deps come from the environment on first run. */
export const graph = createGraph();

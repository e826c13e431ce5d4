/**
 * The inference graph as an evaluated system, with its ablations:
 * - `trends`: no trend sources (`trendSources: []`), which also removes trend documents from the
 *   CFV's potential values and the trend path from U-Q;
 * - `critic`: no critic — the graph is recompiled from the same nodes with `critique_queries`
 *   replaced by a node that passes every candidate unchecked (the configuration has no switch;
 *   `maxCriticLoops: 0` would still drop failures);
 * - `uq`: no U-Q filter (`uqThreshold: 0`);
 * - `diversity`: no diversification (`diversityWeight: 1`, relevance only);
 * - `peers`: no potential categories from peers (`peerCategoryCount: 0`).
 * Each buyer run invokes the graph at the golden `asOf` and keeps the JSON result.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { builder, createBuilder, NODES } from "../../graph/builder.js";
import type { ConfigurationInput } from "../../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../../contracts/state.js";
import { toResult } from "../../graph/assemble.js";
import type { BuyerRun, RunnableSystem } from "./users.js";
import type { GraphDeps } from "../../contracts/deps.js";
import type { Verdict } from "../../contracts/queries.js";
import { reasonerModeConfig, type ReasonerMode } from "./reasoner-modes.js";

export const ABLATIONS = ["trends", "critic", "uq", "diversity", "peers", "uncovered"] as const;
export type Ablation = (typeof ABLATIONS)[number];

export function ablationConfig(a: Ablation): ConfigurationInput {
  switch (a) {
    case "trends":
      return { trendSources: [] };
    case "uq":
      return { uqThreshold: 0 };
    case "diversity":
      return { diversityWeight: 1 };
    case "peers":
      return { peerCategoryCount: 0 };
    case "uncovered":
      return { againInUncoveredCategories: false };
    case "critic":
      return {};
  }
}

/** A critic stand-in that passes every pending candidate without a check. */
export async function passAllCritic(state: GraphState): Promise<GraphUpdate> {
  const round = state.criticRounds + 1;
  const verdicts: Record<string, Verdict> = {};
  for (const q of state.candidates) verdicts[q.id] = { queryId: q.id, issues: [], feedback: "", verdict: "pass", round };
  return { verdicts, criticRounds: 1, hallucination: { before: 0, after: 0, loops: round } };
}

/** The graph with `critique_queries` replaced by `passAllCritic`. */
export function noCriticBuilder() {
  return createBuilder({ ...NODES, critique_queries: passAllCritic });
}

export interface SystemOptions {
  deps: GraphDeps;
  asOf: string;
  /** `--reasoner` mode (`mixed`: LLM for the query generator and the critic only). */
  reasoner: ReasonerMode;
  /** Extra configuration (e.g. fitted U-Q weights). */
  config?: ConfigurationInput;
  ablation?: Ablation;
  /** Called after each buyer's run with its cost and critic figures (the runner appends them to `runs.jsonl`, so a stopped run keeps what it measured). */
  onRun?: (record: BuyerRunRecord) => void;
}

/** One buyer's run as the runner logs it while the evaluation goes on. */
export interface BuyerRunRecord {
  system: string;
  userId: string;
  ms: number;
  criticRounds: number;
  hallucination: { before: number; after: number };
  generated: number;
  finalQueries: number;
  items: number;
  steps: GraphState["steps"];
  /** The final queries (category, horizon, values, U-Q score), for reading a run's list afterwards. */
  queries: { id: string; categoryId: string; horizon: string; valueIds: string[]; uq: number }[];
  /** Queries dropped after the critic, with the reason (critic verdict or U-Q score below `uqThreshold`). */
  dropped: { text: string; reason: string }[];
  /** The list in rank order, each item with the queries that retrieved it (none: engaged before, in a category no query covers). */
  list: { itemId: string; queryIds: string[] }[];
}

export function graphSystem(opts: SystemOptions): RunnableSystem {
  const compiled = (opts.ablation === "critic" ? noCriticBuilder() : builder).compile();
  const configurable = { ...(opts.config ?? {}), ...(opts.ablation ? ablationConfig(opts.ablation) : {}), ...reasonerModeConfig(opts.reasoner), deps: opts.deps };
  let n = 0;
  return {
    name: opts.ablation ? `system-no-${opts.ablation}` : "system",
    kind: opts.ablation ? "ablation" : "system",
    async run(userId: string, k: number): Promise<BuyerRun> {
      const t0 = performance.now();
      const cfg: RunnableConfig = { configurable: { ...configurable, finalListSize: k, thread_id: `eval-${userId}-${++n}` }, recursionLimit: 100 };
      const state = (await compiled.invoke({ userId, asOf: opts.asOf }, cfg)) as GraphState;
      const ms = performance.now() - t0;
      const raw = toResult(state, { runId: `eval-${n}` });
      const generated = state.generated.map((q) => ({ text: q.text, categoryId: q.categoryId, valueIds: q.valueIds, unknownValues: q.unknownValues }));
      opts.onRun?.({
        system: opts.ablation ? `system-no-${opts.ablation}` : "system",
        userId,
        ms: Math.round(ms),
        criticRounds: state.criticRounds,
        hallucination: { before: raw.hallucination.before, after: raw.hallucination.after },
        generated: generated.length,
        finalQueries: raw.queries.length,
        items: raw.items.length,
        steps: state.steps,
        queries: state.finalQueries.map((q) => ({ id: q.id, categoryId: q.categoryId, horizon: q.horizon, valueIds: q.valueIds, uq: q.uq.score })),
        dropped: state.dropped.map((d) => ({ text: d.text, reason: d.reason })),
        list: raw.items.map((i) => ({ itemId: i.itemId, queryIds: i.queryIds })),
      });
      return { userId, itemIds: raw.items.map((i) => i.itemId), ms, raw, generated };
    },
  };
}

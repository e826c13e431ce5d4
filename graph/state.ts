/**
 * The graph's input schema (`{userId, asOf?}`) and full state. State stays small and
 * serialisable: raw events stay in Neo4j, the state holds their compression. Every field has an
 * explicit reducer (exported for tests): `replace` (last write wins), `append` (lists that grow
 * across nodes and loops), `mergeRecord` (per-id maps) and `add` (counters).
 */
import { Annotation } from "@langchain/langgraph";
import type { CategoryPair } from "../kg/types.js";
import type { StepReport } from "../llm/step.js";
import type { Context } from "../nodes/load-context.js";
import type { Compression } from "../nodes/compress-behavior.js";
import type { Portrait } from "../nodes/build-portrait.js";
import type { Cfv } from "../nodes/analyze-cfv.js";
import type { TrendPlan } from "../nodes/plan-trend-sources.js";
import type { Trends } from "../nodes/mine-trends.js";
import type { Query } from "../nodes/generate-queries.js";
import type { Verdict } from "../nodes/critique-queries.js";
import type { Dropped, ScoredQuery } from "../nodes/score-relevance.js";
import type { RetrievedItem } from "../nodes/retrieve-items.js";
import type { RankedItem } from "../nodes/rank-items.js";
import type { ChainLink } from "../nodes/explain.js";

export interface NodeTiming {
  node: string;
  ms: number;
  llmCalls: number;
  promptTokens: number;
}

export interface Hallucination {
  /** Share of critiqued queries failing in the first critic round. */
  before: number;
  /** Share failing in the last round (before failures past the cap are dropped). */
  after: number;
  /** Critic rounds run. */
  loops: number;
}

export const replace = <T>(_prev: T, next: T): T => next;
export const append = <T>(prev: T[], next: T[] | T): T[] => prev.concat(next);
export const mergeRecord = <T>(prev: Record<string, T>, next: Record<string, T>): Record<string, T> => ({ ...prev, ...next });
export const add = (prev: number, next: number): number => prev + next;

export const GraphInput = Annotation.Root({
  /** The buyer to recommend for. */
  userId: Annotation<string>,
  /** Decision instant (ISO date or date-time, exclusive); defaults to now. Normalised by load_context. */
  asOf: Annotation<string | undefined>,
});

export const GraphStateAnnotation = Annotation.Root({
  ...GraphInput.spec,
  /** History window, behaviour counts, categories touched, recently ordered items (load_context). */
  context: Annotation<Context | null>({ reducer: replace, default: () => null }),
  /** Weekly five-tuples, their compact text, token counts and factor mass kept (compress_behavior). */
  compression: Annotation<Compression | null>({ reducer: replace, default: () => null }),
  /** Main categories, B-type, drop-shipper type, core intent, four-part profile (build_portrait). */
  portrait: Annotation<Portrait | null>({ reducer: replace, default: () => null }),
  /** Long-term / recent / potential values per main category (analyze_cfv). */
  cfv: Annotation<Cfv | null>({ reducer: replace, default: () => null }),
  /** `PAIRS_WITH` neighbours of the main categories (analyze_cfv), citable as `pair:<from>:<to>`. */
  pairs: Annotation<CategoryPair[]>({ reducer: replace, default: () => [] }),
  /** Chosen trend sources, terms and reasons (plan_trend_sources). */
  trendPlan: Annotation<TrendPlan | null>({ reducer: replace, default: () => null }),
  /** Kept and set-aside documents and normalised selling points (mine_trends). */
  trends: Annotation<Trends | null>({ reducer: replace, default: () => null }),
  /** The current candidate queries; generate_queries writes the whole list each round. */
  candidates: Annotation<Query[]>({ reducer: replace, default: () => [] }),
  /** Every query the generator wrote, over all rounds, before any critic verdict (the raw candidates evaluations judge). */
  generated: Annotation<Query[]>({ reducer: append, default: () => [] }),
  /** Query texts that failed the critic and were replaced (never generated again). */
  rejectedTexts: Annotation<string[]>({ reducer: append, default: () => [] }),
  /** Critic verdict per query id (critique_queries). */
  verdicts: Annotation<Record<string, Verdict>>({ reducer: mergeRecord, default: () => ({}) }),
  /** Critic rounds run: the loop counter the router compares with `maxCriticLoops`. */
  criticRounds: Annotation<number>({ reducer: add, default: () => 0 }),
  /** Hallucination rate before and after the critic loop. */
  hallucination: Annotation<Hallucination | null>({ reducer: replace, default: () => null }),
  /** Passing queries with U-Q score and paths, at or above the threshold (score_relevance). */
  scored: Annotation<ScoredQuery[]>({ reducer: replace, default: () => [] }),
  /** Queries dropped after the critic cap or under the U-Q threshold, with the reason. */
  dropped: Annotation<Dropped[]>({ reducer: append, default: () => [] }),
  /** The diversified final query set (diversify). */
  finalQueries: Annotation<ScoredQuery[]>({ reducer: replace, default: () => [] }),
  /** Items per final query id (retrieve_items). */
  retrieved: Annotation<Record<string, RetrievedItem[]>>({ reducer: mergeRecord, default: () => ({}) }),
  /** The ranked list (rank_items). */
  ranked: Annotation<RankedItem[]>({ reducer: replace, default: () => [] }),
  /** Chain per item id: behaviour → preference/trend → query → item (explain). */
  explanations: Annotation<Record<string, ChainLink[]>>({ reducer: mergeRecord, default: () => ({}) }),
  /** Which reasoner produced each reasoning step, with LLM calls and prompt tokens. */
  steps: Annotation<StepReport[]>({ reducer: append, default: () => [] }),
  /** Wall time, LLM calls and prompt tokens per node run (added by the builder's wrapper). */
  timings: Annotation<NodeTiming[]>({ reducer: append, default: () => [] }),
});

export type GraphState = typeof GraphStateAnnotation.State;
export type GraphUpdate = typeof GraphStateAnnotation.Update;

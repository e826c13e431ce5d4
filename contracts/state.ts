/**
 * The graph's input schema (`{userId, asOf?}`) and full state. State stays small and
 * serialisable: raw events stay in Neo4j, the state holds their compression. Every field has an
 * explicit reducer (exported for tests): `replace` (last write wins), `append` (lists that grow
 * across nodes and loops), `mergeRecord` (per-id maps) and `add` (counters).
 */
import { Annotation } from "@langchain/langgraph";
import type { CategoryPair } from "./kg.js";
import type { StepReport } from "./steps.js";
import type { NodeTiming } from "./result.js";
import type { Context, Compression } from "./behaviour.js";
import type { Portrait } from "./portrait.js";
import type { Cfv } from "./cfv.js";
import type { TrendPlan, Trends } from "./trends.js";
import type { Query, Verdict, Dropped, ScoredQuery } from "./queries.js";
import type { RetrievedItem, RankedItem, ChainLink } from "./items.js";
import { type Hallucination } from "./queries.js";

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

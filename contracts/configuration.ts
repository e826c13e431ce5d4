/**
 * The one typed configuration of the inference graph. Read from `config.configurable` (every field
 * optional, `??` defaults) by `readConfiguration`; the same object drives the analytic and the LLM
 * reasoners, the critic loop and the ranking. Every numeric option is bounded (a run must not
 * fail on a value the schema accepts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { REASONING_ROLES, type ReasoningRole } from "./steps.js";
import { TREND_SOURCES } from "./records.js";

export const ReasonerChoiceSchema = z.enum(["auto", "llm", "analytic"]);

/** Trend sources the planner may choose: the local corpus sources and Tavily web search. */
export const PLANNABLE_SOURCES = [...TREND_SOURCES, "tavily"] as const;
export const PlannableSource = z.enum(PLANNABLE_SOURCES);
export type PlannableSource = z.infer<typeof PlannableSource>;

const perRole = <T extends z.ZodType>(schema: T) =>
  z.object(Object.fromEntries(REASONING_ROLES.map((r) => [r, schema.optional()])) as Record<ReasoningRole, z.ZodOptional<T>>);

export const ConfigurationSchema = z.object({
  /** Reasoner per role: `auto` = LLM when a chat model is configured for the role, analytic otherwise. */
  reasoner: perRole(ReasonerChoiceSchema).partial().optional(),
  /** Reasoner for every role not named in `reasoner`. */
  defaultReasoner: ReasonerChoiceSchema.optional(),
  /** Chat model name per role (falls back to the LLM environment's model). */
  model: perRole(z.string().min(1)).partial().optional(),
  /** Retries of a structured LLM call before the analytic fallback (default: `LLM_MAX_RETRIES`). */
  maxRetries: z.number().int().min(0).max(5).optional(),
  /** How many times the critic may send failed queries back to the generator. */
  maxCriticLoops: z.number().int().min(0).max(10).optional(),
  /** How many candidate queries the generator writes. */
  queryCount: z.number().int().min(1).max(50).optional(),
  /** How many queries survive diversification at most. */
  finalQueryCount: z.number().int().min(1).max(50).optional(),
  /** Minimum U-Q score (0..1) for a query to be kept. */
  uqThreshold: z.number().min(0).max(1).optional(),
  /** MMR lambda: 1 = relevance only, 0 = diversity only. */
  diversityWeight: z.number().min(0).max(1).optional(),
  /** Items retrieved per query. */
  itemsPerQuery: z.number().int().min(1).max(200).optional(),
  /** A query must retrieve at least this many items to pass the critic. */
  minItemsPerQuery: z.number().int().min(0).max(100).optional(),
  /** Slot weight per query horizon in the final list (× the query's U-Q score). */
  horizonSlotWeights: z
    .object({
      long: z.number().min(0).max(100).optional(),
      recent: z.number().min(0).max(100).optional(),
      potential: z.number().min(0).max(100).optional(),
      trend: z.number().min(0).max(100).optional(),
      cross: z.number().min(0).max(100).optional(),
    })
    .optional(),
  /** Potential categories from peers (`CO_ENGAGED`, never touched by the buyer) that the CFV proposes; 0 turns the peer signal off. */
  peerCategoryCount: z.number().int().min(0).max(20).optional(),
  /** Categories of the buyer that no final query covers keep their share of the list, filled with the buyer's engaged items there ("buy again"). */
  againInUncoveredCategories: z.boolean().optional(),
  /** Share of the final list's slots for queries in categories the buyer never touched (the rest follows the buyer's category mix). */
  discoverySlotShare: z.number().min(0).max(1).optional(),
  /** Length of the final ranked list. */
  finalListSize: z.number().int().min(1).max(500).optional(),
  /** Multiplicative boosts (1 = none) for discovery. */
  boosts: z
    .object({
      newItem: z.number().min(0).max(100).optional(),
      trend: z.number().min(0).max(100).optional(),
      newSeller: z.number().min(0).max(100).optional(),
    })
    .optional(),
  /** Days before `asOf` within which an item counts as new. */
  newItemDays: z.number().int().positive().max(3650).optional(),
  /** Days before `asOf` within which a seller counts as new. */
  newSellerDays: z.number().int().positive().max(3650).optional(),
  /** Drop items the buyer ordered in the last `recentOrderWeeks` weeks. */
  excludeRecentlyOrdered: z.boolean().optional(),
  recentOrderWeeks: z.number().int().positive().max(260).optional(),
  /** Trend sources the planner may use. */
  trendSources: z.array(PlannableSource).optional(),
  /** Trend documents older than this many weeks before `asOf` are ignored. */
  trendWeeks: z.number().int().positive().max(260).optional(),
  /** History window before `asOf`, in weeks. */
  historyWeeks: z.number().int().positive().max(260).optional(),
  /** Factor values kept per tuple in the compact form. */
  factorsPerTuple: z.number().int().positive().max(20).optional(),
  /** Share of each tuple's factor mass the compact form keeps (fewest strongest values that cover it). */
  factorMassTarget: z.number().min(0).max(1).optional(),
  /** Upper bound on the planner's tool calls. */
  maxToolCalls: z.number().int().min(1).max(20).optional(),
  /** U-Q logistic weights (bias + one per path type); see `kg/uq.ts`. */
  uqWeights: z.record(z.string().max(64), z.number().min(-100).max(100)).optional(),
});
export type ConfigurationInput = z.infer<typeof ConfigurationSchema>;

export interface Configuration {
  reasoner: Record<ReasoningRole, "auto" | "llm" | "analytic">;
  model: Partial<Record<ReasoningRole, string>>;
  /** Undefined: the environment's `LLM_MAX_RETRIES` (the step runner's default). */
  maxRetries?: number;
  maxCriticLoops: number;
  queryCount: number;
  finalQueryCount: number;
  uqThreshold: number;
  diversityWeight: number;
  itemsPerQuery: number;
  minItemsPerQuery: number;
  finalListSize: number;
  discoverySlotShare: number;
  againInUncoveredCategories: boolean;
  peerCategoryCount: number;
  horizonSlotWeights: Record<"long" | "recent" | "potential" | "trend" | "cross", number>;
  boosts: { newItem: number; trend: number; newSeller: number };
  newItemDays: number;
  newSellerDays: number;
  excludeRecentlyOrdered: boolean;
  recentOrderWeeks: number;
  trendSources: PlannableSource[];
  trendWeeks: number;
  historyWeeks: number;
  factorsPerTuple: number;
  factorMassTarget: number;
  maxToolCalls: number;
  uqWeights?: Record<string, number>;
}

/** Resolves a (possibly partial) configuration into the full one, with defaults. */
export function resolveConfiguration(input: ConfigurationInput = {}): Configuration {
  const c = ConfigurationSchema.parse(input);
  const def = c.defaultReasoner ?? "auto";
  const reasoner = Object.fromEntries(REASONING_ROLES.map((r) => [r, c.reasoner?.[r] ?? def])) as Configuration["reasoner"];
  return {
    reasoner,
    model: { ...(c.model ?? {}) },
    maxRetries: c.maxRetries,
    maxCriticLoops: c.maxCriticLoops ?? 2,
    queryCount: c.queryCount ?? 24,
    finalQueryCount: c.finalQueryCount ?? 14,
    uqThreshold: c.uqThreshold ?? 0.2,
    diversityWeight: c.diversityWeight ?? 0.7,
    itemsPerQuery: c.itemsPerQuery ?? 20,
    minItemsPerQuery: c.minItemsPerQuery ?? 3,
    finalListSize: c.finalListSize ?? 50,
    discoverySlotShare: c.discoverySlotShare ?? 0.3,
    againInUncoveredCategories: c.againInUncoveredCategories ?? true,
    peerCategoryCount: c.peerCategoryCount ?? 8,
    horizonSlotWeights: {
      long: c.horizonSlotWeights?.long ?? 1,
      recent: c.horizonSlotWeights?.recent ?? 1,
      potential: c.horizonSlotWeights?.potential ?? 0.5,
      trend: c.horizonSlotWeights?.trend ?? 0.5,
      cross: c.horizonSlotWeights?.cross ?? 0.5,
    },
    boosts: {
      newItem: c.boosts?.newItem ?? 1.15,
      trend: c.boosts?.trend ?? 1.2,
      newSeller: c.boosts?.newSeller ?? 1.1,
    },
    newItemDays: c.newItemDays ?? 30,
    newSellerDays: c.newSellerDays ?? 90,
    excludeRecentlyOrdered: c.excludeRecentlyOrdered ?? true,
    recentOrderWeeks: c.recentOrderWeeks ?? 4,
    trendSources: c.trendSources ?? [...PLANNABLE_SOURCES],
    trendWeeks: c.trendWeeks ?? 12,
    historyWeeks: c.historyWeeks ?? 52,
    factorsPerTuple: c.factorsPerTuple ?? 16,
    factorMassTarget: c.factorMassTarget ?? 0.9,
    maxToolCalls: c.maxToolCalls ?? 6,
    uqWeights: c.uqWeights,
  };
}

/** The configuration of one run, from `config.configurable` (unknown keys ignored). */
export function readConfiguration(config?: RunnableConfig): Configuration {
  const raw = (config?.configurable ?? {}) as Record<string, unknown>;
  const picked = Object.fromEntries(
    Object.keys(ConfigurationSchema.shape)
      .filter((k) => raw[k] !== undefined)
      .map((k) => [k, raw[k]]),
  );
  return resolveConfiguration(picked as ConfigurationInput);
}

/**
 * Behaviour contracts: the run context (load_context), search-term factors and the weekly
 * five-tuples with their compression report (compress_behavior).
 */
import { z } from "zod";
import { EVENT_TYPES } from "./records.js";

export const ContextSchema = z.object({
  historyStart: z.string(),
  totalEvents: z.number().int().nonnegative(),
  eventCounts: z.record(z.enum(EVENT_TYPES), z.number().int().nonnegative()),
  categoriesTouched: z.array(z.object({ categoryId: z.string(), name: z.string(), events: z.number().int() })),
  /** Items the buyer ordered within `recentOrderWeeks` before `asOf`. */
  recentlyOrderedItemIds: z.array(z.string()),
});

export type Context = z.infer<typeof ContextSchema>;

export const TermFactorsSchema = z.object({
  terms: z
    .array(
      z.object({
        term: z.string().describe("the search term, verbatim"),
        values: z.array(z.string()).describe("decision-factor values the term names, from the vocabulary"),
        category: z.string().nullable().describe("the leaf category the term names, or null"),
      }),
    )
    .describe("one entry per search term"),
});

export const TupleSchema = z.object({
  id: z.string(),
  week: z.string(),
  weekStart: z.string(),
  categoryId: z.string(),
  noun: z.string(),
  amount: z.number(),
  quantity: z.number(),
  events: z.number().int(),
  counts: z.record(z.string(), z.number()),
  factors: z.array(z.object({ valueId: z.string(), name: z.string(), factor: z.string(), weight: z.number() })),
  mass: z.number(),
});

export type Tuple = z.infer<typeof TupleSchema>;

export const CompressionSchema = z.object({
  tuples: z.array(TupleSchema),
  text: z.string(),
  rawTokens: z.number().int().nonnegative(),
  compressedTokens: z.number().int().nonnegative(),
  factorMassTotal: z.number().nonnegative(),
  factorMassKept: z.number().nonnegative(),
  /** factorMassKept / factorMassTotal (1 when there is no mass). */
  factorMassShare: z.number().min(0).max(1),
});

export type Compression = z.infer<typeof CompressionSchema>;


export type TupleFactor = Tuple["factors"][number];

export type TermFactors = z.infer<typeof TermFactorsSchema>["terms"][number];

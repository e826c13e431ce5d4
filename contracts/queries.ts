/**
 * Query contracts: what the generator returns (`GeneratedQueriesSchema`), a resolved query,
 * the critic's verdicts and judge answer, U-Q scored queries and dropped ones.
 */
import { z } from "zod";
import { UQ_FEATURES } from "./uq.js";
import type { CategoryPair, Vocabulary } from "./kg.js";
import type { Portrait } from "./portrait.js";
import type { Cfv } from "./cfv.js";
import type { Trends } from "./trends.js";
import type { Tuple } from "./behaviour.js";

export const Horizon = z.enum(["long", "recent", "potential", "trend", "cross"]);
export type Horizon = z.infer<typeof Horizon>;

export const EvidenceRef = z.object({
  kind: z.enum(["tuple", "cfv", "trend", "pair"]),
  /** Id of the tuple (`t:<week>:<categoryId>`), CFV entry (`cfv:<horizon>:<categoryId>:<valueId>`), trend document or category pair. */
  id: z.string(),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const GeneratedQueriesSchema = z.object({
  queries: z.array(
    z.object({
      reason: z.string().describe("why this buyer needs this query, first"),
      text: z
        .string()
        .refine((t) => t.length >= 2 && t.length <= 60, "expected 2 to 60 characters")
        .describe("the demand query, as a buyer would search (2 to 60 characters)"),
      category: z.string().describe("leaf category name from the vocabulary"),
      values: z.array(z.string()).min(1).max(4).describe("factor value names from the vocabulary"),
      horizon: Horizon,
      evidence: z.array(z.string()).min(1).describe("evidence numbers from the prompt (c1, t2, d1, p1) or ids of tuples, CFV entries, trend documents or pairs"),
    }),
  ),
});

export type GeneratedQueries = z.infer<typeof GeneratedQueriesSchema>;

/**
 * What the generator's model is asked for when `count` queries are wanted: the same shape, between
 * one and `count` queries (a grammar-constrained server can then neither answer an empty list nor
 * run past the list into its token limit), at most three evidence references each (the local 0.5B
 * model copied evidence headings into the list until its token limit).
 */
export function generatedQueriesWireSchema(count: number) {
  const query = GeneratedQueriesSchema.shape.queries.element;
  return z.object({
    queries: z
      .array(query.extend({ evidence: query.shape.evidence.max(3) }))
      .min(1)
      .max(Math.max(1, count)),
  });
}

/** One generated draft. */
export const GeneratedQuerySchema = GeneratedQueriesSchema.shape.queries.element;

export const QuerySchema = z.object({
  id: z.string(),
  text: z.string(),
  categoryId: z.string(),
  categoryName: z.string(),
  valueIds: z.array(z.string()),
  values: z.array(z.string()),
  /** Value names that matched no KG value (the critic fails these). */
  unknownValues: z.array(z.string()),
  horizon: Horizon,
  evidence: z.array(EvidenceRef),
  reason: z.string(),
  /** Generation round (0 = first generation). */
  round: z.number().int().nonnegative(),
});

export type Query = z.infer<typeof QuerySchema>;

export const VerdictSchema = z.object({
  queryId: z.string(),
  issues: z.array(z.string()),
  feedback: z.string(),
  verdict: z.enum(["pass", "fail"]),
  /** Critic round (1-based) that gave this verdict. */
  round: z.number().int().positive(),
});

export type Verdict = z.infer<typeof VerdictSchema>;

export const JudgeSchema = z.object({
  verdicts: z.array(
    z.object({
      queryId: z.string(),
      reasons: z.string().describe("what was checked and found, first"),
      verdict: z.enum(["pass", "fail"]),
      issues: z.array(z.string()).describe("problems found; empty when none"),
      feedback: z.string().describe("concrete advice to the generator; empty on pass"),
    }),
  ),
});

/** What the critic's model is asked for: the judge's shape with at most three issues per verdict. */
export const JudgeWireSchema = z.object({
  verdicts: z.array(
    JudgeSchema.shape.verdicts.element.extend({
      issues: JudgeSchema.shape.verdicts.element.shape.issues.max(3),
    }),
  ),
});

export const ScoredQuerySchema = QuerySchema.extend({
  uq: z.object({
    score: z.number().min(0).max(1),
    features: z.record(z.enum(UQ_FEATURES), z.number()),
    paths: z.array(z.object({ type: z.string(), weight: z.number(), description: z.string(), refs: z.array(z.string()) })),
  }),
  criticRound: z.number().int(),
});

export type ScoredQuery = z.infer<typeof ScoredQuerySchema>;

export const DroppedSchema = z.object({ queryId: z.string(), text: z.string(), reason: z.string() });

export type Dropped = z.infer<typeof DroppedSchema>;


/** What the query generator reads (the query_generator role's inputs). */
export interface GeneratorInputs {
  portrait: Portrait;
  cfv: Cfv;
  trends: Trends;
  tuples: Tuple[];
  pairs: CategoryPair[];
  vocab: Vocabulary;
}

/** Hallucination rate of the candidate queries before and after the critic loop. */
export interface Hallucination {
  /** Share of critiqued queries failing in the first critic round. */
  before: number;
  /** Share failing in the last round (before failures past the cap are dropped). */
  after: number;
  /** Critic rounds run. */
  loops: number;
}

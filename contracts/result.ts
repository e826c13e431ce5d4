/**
 * The JSON result contract of one run of the inference graph for one buyer. `npm run recommend
 * -- --json`, `POST /v1/users/{userId}/invoke` and the stored latest recommendations all return
 * this object. Documented in the README ("The result contract").
 */
import { z } from "zod";
import { StepReportSchema } from "./steps.js";
import { QuerySchema, ScoredQuerySchema, VerdictSchema } from "./queries.js";
import { ChainLinkSchema, RankedItemSchema } from "./items.js";

/** Wall time, LLM calls and prompt tokens of one node run. */
export const NodeTiming = z.object({
  node: z.string(),
  ms: z.number().nonnegative(),
  llmCalls: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
});
export type NodeTiming = z.infer<typeof NodeTiming>;

export const ResultQuery = QuerySchema.pick({
  id: true,
  text: true,
  categoryId: true,
  categoryName: true,
  valueIds: true,
  values: true,
  horizon: true,
  evidence: true,
}).extend({
  uq: z.object({
    score: z.number(),
    paths: z.array(ScoredQuerySchema.shape.uq.shape.paths.element.omit({ refs: true })),
  }),
  critic: z.object({
    verdict: VerdictSchema.shape.verdict,
    issues: z.array(z.string()),
    loops: z.number().int().nonnegative(),
  }),
});

export const ResultItem = RankedItemSchema.pick({
  rank: true,
  itemId: true,
  title: true,
  shortTitle: true,
  categoryId: true,
  price: true,
  moq: true,
  launchedAt: true,
  score: true,
  queryIds: true,
  flags: true,
}).extend({
  /** behaviour → preference or trend → query → item, each link with ids. */
  chain: z.array(ChainLinkSchema.extend({ kind: z.string() })),
});

export const RecommendationResult = z.object({
  userId: z.string(),
  asOf: z.string(),
  runId: z.string(),
  generatedAt: z.string(),
  portrait: z.record(z.string(), z.unknown()),
  cfv: z.record(z.string(), z.unknown()),
  compression: z.object({
    tuples: z.number().int().nonnegative(),
    rawTokens: z.number().int().nonnegative(),
    compressedTokens: z.number().int().nonnegative(),
    factorMassKept: z.number().min(0).max(1),
    text: z.string(),
  }),
  trends: z.array(z.record(z.string(), z.unknown())),
  queries: z.array(ResultQuery),
  items: z.array(ResultItem),
  hallucination: z.object({ before: z.number(), after: z.number(), loops: z.number().int() }),
  steps: z.array(StepReportSchema),
  timings: z.array(NodeTiming),
});
export type RecommendationResult = z.infer<typeof RecommendationResult>;

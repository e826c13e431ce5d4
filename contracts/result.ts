/**
 * The JSON result contract of one run of the inference graph for one buyer. `npm run recommend
 * -- --json`, `POST /v1/users/{userId}/invoke` and the stored latest recommendations all return
 * this object. Documented in the README ("The result contract").
 */
import { z } from "zod";
import { REASONING_ROLES } from "./steps.js";

export const Horizon = z.enum(["long", "recent", "potential", "trend", "cross"]);
export type Horizon = z.infer<typeof Horizon>;

export const StepReportSchema = z.object({
  role: z.enum(REASONING_ROLES),
  reasoner: z.enum(["llm", "analytic"]),
  degraded: z.boolean(),
  llmCalls: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  error: z.string().optional(),
});

export const NodeTiming = z.object({
  node: z.string(),
  ms: z.number().nonnegative(),
  llmCalls: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
});

export const EvidenceRef = z.object({
  kind: z.enum(["tuple", "cfv", "trend", "pair"]),
  /** Id of the tuple (`t:<week>:<categoryId>`), CFV entry (`cfv:<horizon>:<categoryId>:<valueId>`), trend document or category pair. */
  id: z.string(),
});

export const ResultQuery = z.object({
  id: z.string(),
  text: z.string(),
  categoryId: z.string(),
  categoryName: z.string(),
  valueIds: z.array(z.string()),
  values: z.array(z.string()),
  horizon: Horizon,
  evidence: z.array(EvidenceRef),
  uq: z.object({
    score: z.number(),
    paths: z.array(z.object({ type: z.string(), weight: z.number(), description: z.string() })),
  }),
  critic: z.object({
    verdict: z.enum(["pass", "fail"]),
    issues: z.array(z.string()),
    loops: z.number().int().nonnegative(),
  }),
});

export const ResultItem = z.object({
  rank: z.number().int().positive(),
  itemId: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  categoryId: z.string(),
  price: z.number(),
  moq: z.number(),
  launchedAt: z.string(),
  score: z.number(),
  queryIds: z.array(z.string()),
  flags: z.object({ newItem: z.boolean(), trend: z.boolean(), newSeller: z.boolean() }),
  /** behaviour → preference or trend → query → item, each link with ids. */
  chain: z.array(z.object({ kind: z.string(), id: z.string(), label: z.string() })),
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

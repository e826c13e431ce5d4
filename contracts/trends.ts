/**
 * Trend contracts: the source plan (plan_trend_sources), trend documents, the extractor's
 * selling points and the mined trends (mine_trends).
 */
import { z } from "zod";
import { PlannableSource } from "./configuration.js";
import { TrendDocHitSchema } from "./kg.js";

export const TrendCallSchema = z.object({
  source: PlannableSource,
  terms: z.array(z.string().min(1).max(60)),
  reason: z.string(),
  /** Set when the call came from a model's tool call: mine_trends executes exactly this. */
  tool: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()), id: z.string().optional() }).optional(),
});

export const TrendPlanSchema = z.object({ calls: z.array(TrendCallSchema) });

export type TrendPlan = z.infer<typeof TrendPlanSchema>;

/** A trend document as a role sees it: a KG document, or a web result (any source name, a URL). */
export const TrendDocSchema = TrendDocHitSchema.extend({
  source: z.string(),
  url: z.string().optional(),
});

export type TrendDoc = z.infer<typeof TrendDocSchema>;

export const TrendPointsSchema = z.object({
  points: z.array(
    z.object({
      reason: z.string().describe("why this is a selling point, first"),
      term: z
        .string()
        .refine((t) => t.length >= 1 && t.length <= 30, "expected 1 to 30 characters")
        .describe("the selling point, a short term (at most 30 characters)"),
      value: z.string().nullable().describe("the vocabulary value name it maps to, or null"),
      docIds: z.array(z.string()).min(1).describe("ids of the documents that support it"),
    }),
  ),
});

export type TrendPoints = z.infer<typeof TrendPointsSchema>;

export const SellingPointSchema = z.object({
  id: z.string(),
  term: z.string(),
  valueId: z.string().nullable(),
  valueName: z.string().nullable(),
  factor: z.string().nullable(),
  similarity: z.number(),
  docIds: z.array(z.string()),
  sources: z.array(z.string()),
  categoryIds: z.array(z.string()),
  weight: z.number(),
  isNew: z.boolean(),
});

export type SellingPoint = z.infer<typeof SellingPointSchema>;

export const TrendsSchema = z.object({
  docs: z.array(TrendDocSchema.omit({ text: true }).extend({ snippet: z.string() })),
  setAside: z.array(z.object({ id: z.string(), source: z.string(), reason: z.string() })),
  sellingPoints: z.array(SellingPointSchema),
});

export type Trends = z.infer<typeof TrendsSchema>;


/**
 * The result contract with its reasoning parts fully typed: `RecommendationResult` carries the
 * portrait, CFV and trends as open records, so the evaluation checks them against the schemas of
 * the steps that produce them (portrait, CFV, selling points with their documents). A run whose
 * reasoning output drifted from its contract fails `json_validity` here.
 */
import { z } from "zod";
import { RecommendationResult } from "../../contracts/result.js";
import { PortraitSchema } from "../../contracts/portrait.js";
import { CfvSchema } from "../../contracts/cfv.js";
import { SellingPointSchema } from "../../contracts/trends.js";

export const TypedRecommendationResult = RecommendationResult.extend({
  portrait: PortraitSchema.strict(),
  cfv: CfvSchema.strict(),
  trends: z.array(SellingPointSchema.extend({ docs: z.array(z.object({ id: z.string(), source: z.string(), title: z.string() }).strict()) }).strict()),
});

/** Share of a run's reasoning steps that fell back to the analytic reasoner after an LLM failure. */
export function degradedShare(steps: readonly { degraded: boolean }[]): number {
  return steps.length === 0 ? 0 : steps.filter((s) => s.degraded).length / steps.length;
}

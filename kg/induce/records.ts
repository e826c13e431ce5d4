/**
 * Record formats written by vocabulary induction (`kg:induce`) and read back by `kg:import`: a
 * value with its provenance (`source`: `curated` when a person wrote or kept it, `induced` from
 * catalog titles, `trend` from trend documents), `support` (items or documents that name it) and
 * `confidence` (0–1). A `values.jsonl` line without `source` is curated.
 */
import { z } from "zod";
import { ValueRecord } from "../../contracts/records.js";

export const VALUE_SOURCES = ["curated", "induced", "trend"] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

export const ValueWithProvenance = ValueRecord.extend({
  source: z.enum(VALUE_SOURCES).default("curated"),
  support: z.number().int().nonnegative().optional(),
  confidence: z.number().min(0).max(1).optional(),
});
export type ValueWithProvenance = z.infer<typeof ValueWithProvenance>;

/** The factor of product-type terms: they name sub-category nouns, not styles. */
export const PRODUCT_TYPE_FACTOR = "品类词";

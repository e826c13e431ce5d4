/**
 * Item contracts: items retrieved per query (retrieve_items), the ranked list (rank_items) and
 * the evidence chain of each item (explain).
 */
import { z } from "zod";
import { ItemHitSchema } from "./kg.js";

/** An item found for one query: the KG hit with its fused and U-Q weighted score and the rank in each search. */
export const RetrievedItemSchema = ItemHitSchema.extend({
  queryId: z.string(),
  rrf: z.number(),
  ftRank: z.number().nullable(),
  vecRank: z.number().nullable(),
});
export type RetrievedItem = z.infer<typeof RetrievedItemSchema>;

export const RankedItemSchema = RetrievedItemSchema.omit({ queryId: true, rrf: true, ftRank: true, vecRank: true }).extend({
  rank: z.number().int().positive(),
  queryIds: z.array(z.string()),
  flags: z.object({ newItem: z.boolean(), trend: z.boolean(), newSeller: z.boolean() }),
});

export type RankedItem = z.infer<typeof RankedItemSchema>;

export const ChainLinkSchema = z.object({
  kind: z.enum(["behaviour", "preference", "trend", "pair", "query", "item"]),
  id: z.string(),
  label: z.string(),
});

export type ChainLink = z.infer<typeof ChainLinkSchema>;


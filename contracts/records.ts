/**
 * The record formats of a world on disk: one JSONL file per record kind under
 * `.data/world/<preset>/` (or any directory given to `kg:import`). The same formats are the
 * documented import format for real data (see README, "Importing real data").
 *
 * Latent truth (buyer profiles, trend labels) is NOT here: it lives in `world/latent.ts` and its
 * files under `latent/`, readable only by `world/` and `evals/`.
 */
import { z } from "zod";

export const ISO_DATE_TIME = z.iso.datetime({ offset: true });

/** A node of the category tree. Top-level categories have `parentId: null` and `level: 1`. */
export const CategoryRecord = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  parentId: z.string().min(1).max(64).nullable(),
  level: z.number().int().min(1).max(4),
  /** Short noun used in short titles, e.g. 连衣裙. Defaults to `name`. */
  noun: z.string().min(1).max(32).optional(),
  /** Factor names this category allows (leaf categories only; empty for inner nodes). */
  allows: z.array(z.string().min(1)).default([]),
});
export type CategoryRecord = z.infer<typeof CategoryRecord>;

/** A decision factor such as 风格, 图案, 颜色, 材质, IP, 功能, 价格带, 季节. */
export const FactorRecord = z.object({
  name: z.string().min(1).max(32),
});
export type FactorRecord = z.infer<typeof FactorRecord>;

/** A value of a factor, e.g. {factor: 风格, name: 法式}. `aliases` also match in titles. */
export const ValueRecord = z.object({
  id: z.string().min(1).max(64),
  factor: z.string().min(1).max(32),
  name: z.string().min(1).max(32),
  aliases: z.array(z.string().min(1)).default([]),
});
export type ValueRecord = z.infer<typeof ValueRecord>;

export const SellerRecord = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  type: z.enum(["factory", "trader", "brand"]),
  joinedAt: ISO_DATE_TIME,
});
export type SellerRecord = z.infer<typeof SellerRecord>;

export const PriceTier = z.object({
  minQty: z.number().int().positive(),
  price: z.number().positive(),
});

/**
 * An offer. `valueIds` may be omitted on import: the importer then extracts values from the
 * title with the factor vocabulary (`lib/value-match.ts`). `shortTitle` likewise.
 */
export const ItemRecord = z.object({
  id: z.string().min(1).max(64),
  title: z.string().min(1).max(300),
  shortTitle: z.string().min(1).max(64).optional(),
  categoryId: z.string().min(1).max(64),
  valueIds: z.array(z.string().min(1)).optional(),
  price: z.number().positive(),
  moq: z.number().int().positive(),
  priceTiers: z.array(PriceTier).default([]),
  launchedAt: ISO_DATE_TIME,
  sellerId: z.string().min(1).max(64),
});
export type ItemRecord = z.infer<typeof ItemRecord>;

/** The public part of a buyer: what a platform knows without inference. */
export const BuyerRecord = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  joinedAt: ISO_DATE_TIME,
  region: z.string().max(32).optional(),
});
export type BuyerRecord = z.infer<typeof BuyerRecord>;

export const EVENT_TYPES = ["search", "view", "collect", "cart", "inquiry", "order"] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/**
 * One behaviour event. `search` carries `searchTerm` and no item; every other type carries
 * `itemId`. `view` carries `dwellS`; `order` carries `quantity` and `amount` (CNY).
 */
export const EventRecord = z
  .object({
    id: z.string().min(1).max(64),
    userId: z.string().min(1).max(64),
    type: EventType,
    at: ISO_DATE_TIME,
    itemId: z.string().min(1).max(64).optional(),
    searchTerm: z.string().min(1).max(100).optional(),
    dwellS: z.number().nonnegative().optional(),
    quantity: z.number().int().positive().optional(),
    amount: z.number().nonnegative().optional(),
  })
  .refine((e) => (e.type === "search" ? !!e.searchTerm : !!e.itemId), {
    message: "search events need searchTerm; other events need itemId",
  });
export type EventRecord = z.infer<typeof EventRecord>;

export const TREND_SOURCES = ["xiaohongshu", "worthbuy", "google_trends", "taobao_hot"] as const;
export const TrendSource = z.enum(TREND_SOURCES);
export type TrendSource = z.infer<typeof TrendSource>;

/** A trend document (a note, a deal post, a rising-terms list, a hot-search list). Untrusted text. */
export const TrendDocRecord = z.object({
  id: z.string().min(1).max(64),
  source: TrendSource,
  title: z.string().min(1).max(200),
  text: z.string().min(1).max(5000),
  publishedAt: ISO_DATE_TIME,
  url: z.string().max(500).optional(),
});
export type TrendDocRecord = z.infer<typeof TrendDocRecord>;

/** `manifest.json` of a generated world. */
export const WorldManifest = z.object({
  preset: z.string(),
  seed: z.number().int(),
  /** End of the history the system may see (exclusive); held-out weeks follow it. */
  asOf: ISO_DATE_TIME,
  historyStart: ISO_DATE_TIME,
  heldOutEnd: ISO_DATE_TIME,
  counts: z.record(z.string(), z.number().int()),
});
export type WorldManifest = z.infer<typeof WorldManifest>;

/** File names of a world directory, one per record kind. */
export const WORLD_FILES = {
  categories: "categories.jsonl",
  factors: "factors.jsonl",
  values: "values.jsonl",
  sellers: "sellers.jsonl",
  items: "items.jsonl",
  buyers: "buyers.jsonl",
  events: "events.jsonl",
  trends: "trends.jsonl",
  manifest: "manifest.json",
} as const;

/**
 * The typed read contract of the knowledge graph that the inference graph, the server and the
 * evaluation use. `kg/repositories.ts` implements it on Neo4j; unit tests may implement it in
 * memory. Every read that touches time takes `asOf` (ISO date-time, exclusive): nothing at or
 * after it is visible — events, items launched, trend documents, sellers joined.
 */
import { z } from "zod";
import { EventType, TrendSource } from "./records.js";

export const CategoryInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  level: z.number().int(),
  noun: z.string(),
  /** Factor names the category allows (leaf categories). */
  allows: z.array(z.string()),
});
export type CategoryInfo = z.infer<typeof CategoryInfoSchema>;

export const ValueInfoSchema = z.object({ id: z.string(), factor: z.string(), name: z.string() });
export type ValueInfo = z.infer<typeof ValueInfoSchema>;

export interface Vocabulary {
  categories: CategoryInfo[];
  factors: string[];
  values: ValueInfo[];
}

/** One behaviour event of a user, joined with the item's short title, category and values. */
export const UserEventSchema = z.object({
  id: z.string(),
  type: EventType,
  at: z.string(),
  itemId: z.string().nullable(),
  /** The item's full offer title (what a naive prompt would carry); absent for searches. */
  title: z.string().nullable().optional(),
  shortTitle: z.string().nullable(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  values: z.array(ValueInfoSchema),
  searchTerm: z.string().nullable(),
  dwellS: z.number().nullable(),
  quantity: z.number().nullable(),
  amount: z.number().nullable(),
});
export type UserEvent = z.infer<typeof UserEventSchema>;

export const ItemHitSchema = z.object({
  itemId: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  categoryId: z.string(),
  price: z.number(),
  moq: z.number(),
  launchedAt: z.string(),
  sellerId: z.string(),
  sellerJoinedAt: z.string(),
  valueIds: z.array(z.string()),
  /** Full-text or cosine score, higher is better; comparable only within one search. */
  score: z.number(),
});
export type ItemHit = z.infer<typeof ItemHitSchema>;

/** An item id found by a search, with its score (details by `itemsByIds`). */
export const ScoredItemIdSchema = z.object({ itemId: z.string(), score: z.number() });
export type ScoredItemId = z.infer<typeof ScoredItemIdSchema>;

export const TrendDocHitSchema = z.object({
  id: z.string(),
  source: TrendSource,
  title: z.string(),
  text: z.string(),
  publishedAt: z.string(),
  /** KG values and categories the document mentions (vocabulary matches at load time). */
  valueIds: z.array(z.string()),
  categoryIds: z.array(z.string()),
  score: z.number(),
});
export type TrendDocHit = z.infer<typeof TrendDocHitSchema>;

export const CategoryPairSchema = z.object({ from: z.string(), to: z.string(), lift: z.number() });
export type CategoryPair = z.infer<typeof CategoryPairSchema>;

/** A category the same buyers engage with (precomputed `CO_ENGAGED`, kg/co-engagement.ts): cosine of the two categories' buyer shares. */
export const CoEngagedCategorySchema = z.object({ from: z.string(), to: z.string(), weight: z.number(), buyers: z.number().int() });
export type CoEngagedCategory = z.infer<typeof CoEngagedCategorySchema>;

export interface SearchOptions {
  asOf: string;
  /** Restrict to this category's subtree. */
  categoryId?: string;
  limit: number;
}

export interface TrendSearchOptions {
  asOf: string;
  /** Only documents published at or after this instant. */
  since?: string;
  sources?: TrendSource[];
  limit: number;
}

export interface KgReader {
  vocabulary(): Promise<Vocabulary>;
  categoryByName(name: string): Promise<CategoryInfo | null>;
  valueByFactorAndName(factor: string, name: string): Promise<ValueInfo | null>;
  allowedFactors(categoryId: string): Promise<string[]>;
  /** Events of a user in `[since, asOf)`, oldest first. */
  userEvents(userId: string, opts: { asOf: string; since?: string }): Promise<UserEvent[]>;
  userExists(userId: string): Promise<boolean>;
  searchItemsFullText(text: string, opts: SearchOptions): Promise<ItemHit[]>;
  /** The ids and scores `searchItemsFullText` finds, without item details. */
  searchItemIdsFullText(text: string, opts: SearchOptions): Promise<ScoredItemId[]>;
  /** How many items in the category subtree, launched before `asOf`, carry every one of `valueIds` (counting stops at `limit`). */
  countItemsWithValues(categoryId: string, valueIds: string[], opts: { asOf: string; limit: number }): Promise<number>;
  searchItemsVector(embedding: number[], opts: SearchOptions): Promise<ItemHit[]>;
  /** The ids and scores `searchItemsVector` finds, without item details. */
  searchItemIdsVector(embedding: number[], opts: SearchOptions): Promise<ScoredItemId[]>;
  /** Distinct value ids carried by items in the category subtree launched before `asOf`. */
  valuesCarried(categoryId: string, opts: { asOf: string }): Promise<string[]>;
  /** These items (launched before `asOf`, seller joined before `asOf`), with score 0; unknown or later ids are left out. */
  itemsByIds(itemIds: string[], opts: { asOf: string }): Promise<ItemHit[]>;
  /** Trend documents by full-text (cjk) over title and text. */
  searchTrendDocs(text: string, opts: TrendSearchOptions): Promise<TrendDocHit[]>;
  /** Trend documents mentioning any of these value ids or category ids. */
  trendDocsByMentions(
    mentions: { valueIds?: string[]; categoryIds?: string[] },
    opts: TrendSearchOptions,
  ): Promise<TrendDocHit[]>;
  /** `PAIRS_WITH` neighbours of these categories, strongest first. */
  pairsWith(categoryIds: string[]): Promise<CategoryPair[]>;
  /** `CO_ENGAGED` neighbours of these categories (categories the same buyers engage with), strongest first. */
  coEngagedCategories(categoryIds: string[]): Promise<CoEngagedCategory[]>;
  /** Reads the reader's per-process caches (catalog statistics, names, category embeddings) ahead of the first run. */
  warm(): Promise<void>;
}

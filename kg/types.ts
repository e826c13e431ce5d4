/**
 * The typed read contract of the knowledge graph that the inference graph, the server and the
 * evaluation use. `kg/repositories.ts` implements it on Neo4j; unit tests may implement it in
 * memory. Every read that touches time takes `asOf` (ISO date-time, exclusive): nothing at or
 * after it is visible — events, items launched, trend documents, sellers joined.
 */
import type { EventType, TrendSource } from "../world/schema.js";

export interface CategoryInfo {
  id: string;
  name: string;
  parentId: string | null;
  level: number;
  noun: string;
  /** Factor names the category allows (leaf categories). */
  allows: string[];
}

export interface ValueInfo {
  id: string;
  factor: string;
  name: string;
}

export interface Vocabulary {
  categories: CategoryInfo[];
  factors: string[];
  values: ValueInfo[];
}

/** One behaviour event of a user, joined with the item's short title, category and values. */
export interface UserEvent {
  id: string;
  type: EventType;
  at: string;
  itemId: string | null;
  /** The item's full offer title (what a naive prompt would carry); absent for searches. */
  title?: string | null;
  shortTitle: string | null;
  categoryId: string | null;
  categoryName: string | null;
  values: ValueInfo[];
  searchTerm: string | null;
  dwellS: number | null;
  quantity: number | null;
  amount: number | null;
}

export interface ItemHit {
  itemId: string;
  title: string;
  shortTitle: string;
  categoryId: string;
  price: number;
  moq: number;
  launchedAt: string;
  sellerId: string;
  sellerJoinedAt: string;
  valueIds: string[];
  /** Full-text or cosine score, higher is better; comparable only within one search. */
  score: number;
}

export interface TrendDocHit {
  id: string;
  source: TrendSource;
  title: string;
  text: string;
  publishedAt: string;
  /** KG values and categories the document mentions (vocabulary matches at load time). */
  valueIds: string[];
  categoryIds: string[];
  score: number;
}

export interface CategoryPair {
  from: string;
  to: string;
  lift: number;
}

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
  /** How many items in the category subtree, launched before `asOf`, carry every one of `valueIds` (counting stops at `limit`). */
  countItemsWithValues(categoryId: string, valueIds: string[], opts: { asOf: string; limit: number }): Promise<number>;
  searchItemsVector(embedding: number[], opts: SearchOptions): Promise<ItemHit[]>;
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
}

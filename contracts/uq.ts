/**
 * The U-Q relevance contract: path features, weights, scored queries and the scorer port that
 * `kg/uq.ts` implements on Neo4j.
 */

export const UQ_FEATURES = ["cat", "val", "pair", "trend", "cooc"] as const;

export type UqFeature = (typeof UQ_FEATURES)[number];

export type UqFeatures = Record<UqFeature, number>;

export type UqWeights = Record<UqFeature | "bias", number>;

export const DEFAULT_UQ_WEIGHTS: UqWeights = { bias: -3, cat: 0.35, val: 0.5, pair: 0.3, trend: 0.4, cooc: 1.5 };

export const DEFAULT_TYPE_WEIGHTS: Record<string, number> = { search: 1, view: 1, collect: 2, cart: 3, inquiry: 3, order: 5 };

export interface UqQueryInput {
  id: string;
  categoryId: string;
  valueIds: string[];
}

export interface UqPath {
  type: UqFeature;
  weight: number;
  description: string;
  /** Item, document or category ids behind the path. */
  refs: string[];
}

export interface UqScore {
  queryId: string;
  score: number;
  features: UqFeatures;
  paths: UqPath[];
}

/** One behaviour of the buyer on an item (not a search), as the scorer weighs it. */
export interface UqBehaviour {
  itemId: string;
  categoryId: string;
  valueIds: string[];
  type: string;
  at: string;
}

export interface UqScoreArgs {
  userId: string;
  asOf: string;
  queries: UqQueryInput[];
  /** The buyer's behaviour in [asOf − historyDays, asOf), oldest first; read from the KG when absent. */
  behaviour?: UqBehaviour[];
  weights?: Partial<UqWeights>;
  historyDays?: number;
  halfLifeDays?: number;
  trendDays?: number;
  typeWeights?: Record<string, number>;
}

export interface UqScorer {
  score(args: UqScoreArgs): Promise<UqScore[]>;
}


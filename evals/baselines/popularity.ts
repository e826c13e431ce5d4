/**
 * Global popularity baseline: the items with the most decayed, behaviour-weighted interactions
 * before `asOf`, the same list for every buyer minus the items the buyer ordered recently.
 */
import type { HistoryIndex } from "./history-index.js";
import { type Recommender, topByScore } from "./recommender.js";

export function popularityRecommender(index: HistoryIndex): Recommender {
  const candidates = new Set(index.candidates);
  const scores = new Map([...index.popularity].filter(([id]) => candidates.has(id)));
  return {
    name: "popularity",
    recommend: (userId, k) => topByScore(scores, k, index.recentOrders.get(userId)),
  };
}

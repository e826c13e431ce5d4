/**
 * The "information cocoon" baseline: behaviour only. Item-based collaborative filtering from the
 * buyer's own history (cosine over the sets of buyers who touched two items, weighted by the
 * buyer's decayed behaviour on the source item) blended with popularity inside the buyer's own
 * categories (weighted by the category's share of the buyer's behaviour). Items the buyer ordered
 * recently are left out; nothing launched at or after `asOf` is a candidate.
 */
import type { HistoryIndex } from "./history-index.js";
import { type Recommender, topByScore } from "./recommender.js";

export interface CocoonOptions {
  /** Weight of the CF part (the rest goes to category popularity). */
  cfWeight?: number;
  /** Source items from the buyer's history used for CF (strongest first). */
  maxSourceItems?: number;
}

function normalise(m: Map<string, number>): Map<string, number> {
  let max = 0;
  for (const v of m.values()) if (v > max) max = v;
  if (max === 0) return m;
  return new Map([...m].map(([k, v]) => [k, v / max]));
}

export function cocoonRecommender(index: HistoryIndex, opts: CocoonOptions = {}): Recommender {
  const cfWeight = opts.cfWeight ?? 0.7;
  const maxSource = opts.maxSourceItems ?? 100;
  const candidates = new Set(index.candidates);
  const userSets = new Map<string, string[]>();
  for (const [u, items] of index.userItems) userSets.set(u, [...items.keys()]);
  const catMax = new Map<string, number>();
  for (const [id, p] of index.popularity) {
    const c = index.itemCategory.get(id);
    if (c !== undefined && p > (catMax.get(c) ?? 0)) catMax.set(c, p);
  }
  return {
    name: "cocoon",
    recommend(userId, k) {
      const mine = index.userItems.get(userId);
      if (!mine) return [];
      const sources = [...mine].sort((a, b) => b[1] - a[1]).slice(0, maxSource);
      const cf = new Map<string, number>();
      for (const [i, w] of sources) {
        const usersI = index.itemUsers.get(i);
        if (!usersI) continue;
        const co = new Map<string, number>();
        for (const u of usersI) {
          if (u === userId) continue;
          for (const j of userSets.get(u) ?? []) if (j !== i) co.set(j, (co.get(j) ?? 0) + 1);
        }
        for (const [j, c] of co) {
          const nj = index.itemUsers.get(j)?.size ?? 1;
          cf.set(j, (cf.get(j) ?? 0) + (w * c) / Math.sqrt(usersI.size * nj));
        }
      }
      const shares = index.userCategoryShare.get(userId) ?? new Map<string, number>();
      const catPop = new Map<string, number>();
      for (const id of index.candidates) {
        const c = index.itemCategory.get(id);
        const s = c === undefined ? 0 : shares.get(c) ?? 0;
        if (s === 0) continue;
        catPop.set(id, (s * (index.popularity.get(id) ?? 0)) / (catMax.get(c!) || 1));
      }
      const cfN = normalise(cf);
      const popN = normalise(catPop);
      const scores = new Map<string, number>();
      for (const id of new Set([...cfN.keys(), ...popN.keys()])) {
        if (!candidates.has(id)) continue;
        scores.set(id, cfWeight * (cfN.get(id) ?? 0) + (1 - cfWeight) * (popN.get(id) ?? 0));
      }
      return topByScore(scores, k, index.recentOrders.get(userId));
    },
  };
}

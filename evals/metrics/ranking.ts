/**
 * Top-K ranking metrics against held-out interactions: Recall@K, NDCG@K and HitRate@K. A list is
 * an ordered array of item ids (duplicates after the first occurrence are ignored); relevance is a
 * map from item id to a positive gain (binary relevance: every gain 1).
 */
import { type EvalResult, fmt, mean } from "./types.js";

/** Distinct ids of a list in first-occurrence order, cut at `k`. */
export function topK(list: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of list) {
    if (out.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** |relevant ∩ top K| / |relevant|; 0 when nothing is relevant. */
export function recallAtK(list: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (const id of topK(list, k)) if (relevant.has(id)) hits++;
  return hits / relevant.size;
}

/** 1 when any relevant item is in the top K, else 0. */
export function hitRateAtK(list: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  for (const id of topK(list, k)) if (relevant.has(id)) return 1;
  return 0;
}

/**
 * NDCG@K with gain g (graded: e.g. order > cart > view) and discount 1/log2(rank + 1); the ideal
 * list sorts all relevant gains descending. 0 when nothing is relevant.
 */
export function ndcgAtK(list: readonly string[], gains: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  topK(list, k).forEach((id, i) => {
    const g = gains.get(id) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  });
  const ideal = [...gains.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => (idcg += g / Math.log2(i + 2)));
  return idcg === 0 ? 0 : dcg / idcg;
}

/** One buyer's list and held-out gains (item id → gain > 0). */
export interface RankedCase {
  list: readonly string[];
  gains: ReadonlyMap<string, number>;
}

function relevantOf(c: RankedCase): Set<string> {
  return new Set([...c.gains].filter(([, g]) => g > 0).map(([id]) => id));
}

/** Recall@K averaged over buyers that have at least one held-out item. */
export function recallEvaluator(cases: readonly RankedCase[], k: number): EvalResult {
  const scored = cases.filter((c) => relevantOf(c).size > 0);
  const score = mean(scored.map((c) => recallAtK(c.list, relevantOf(c), k)));
  return { key: `recall@${k}`, score, comment: `mean over ${scored.length} buyers with held-out items: ${fmt(score)}` };
}

export function ndcgEvaluator(cases: readonly RankedCase[], k: number): EvalResult {
  const scored = cases.filter((c) => relevantOf(c).size > 0);
  const score = mean(scored.map((c) => ndcgAtK(c.list, c.gains, k)));
  return { key: `ndcg@${k}`, score, comment: `graded by behaviour type, mean over ${scored.length} buyers: ${fmt(score)}` };
}

export function hitRateEvaluator(cases: readonly RankedCase[], k: number): EvalResult {
  const scored = cases.filter((c) => relevantOf(c).size > 0);
  const score = mean(scored.map((c) => hitRateAtK(c.list, relevantOf(c), k)));
  return { key: `hitrate@${k}`, score, comment: `share of ${scored.length} buyers with a held-out item in the top ${k}: ${fmt(score)}` };
}

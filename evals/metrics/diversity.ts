/**
 * Beyond-accuracy list metrics: intra-list diversity, novelty, catalog coverage and the Gini
 * coefficient of exposure across buyers.
 */
import { type EvalResult, fmt, mean } from "./types.js";

/** Features of an item for dissimilarity: its leaf category and its values. */
export interface ItemFeatures {
  categoryId: string;
  valueIds: readonly string[];
}

function featureSet(i: ItemFeatures): Set<string> {
  return new Set([`c:${i.categoryId}`, ...i.valueIds.map((v) => `v:${v}`)]);
}

/** 1 − Jaccard similarity of the feature sets (category + values). */
export function dissimilarity(a: ItemFeatures, b: ItemFeatures): number {
  const fa = featureSet(a);
  const fb = featureSet(b);
  let inter = 0;
  for (const f of fa) if (fb.has(f)) inter++;
  const union = fa.size + fb.size - inter;
  return union === 0 ? 0 : 1 - inter / union;
}

/** Mean pairwise dissimilarity of a list; 0 for fewer than two items. */
export function intraListDiversity(list: readonly ItemFeatures[]): number {
  if (list.length < 2) return 0;
  let s = 0;
  let n = 0;
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      s += dissimilarity(list[i], list[j]);
      n++;
    }
  return s / n;
}

/**
 * Mean self-information −log2 p(i) of the list's items, where p(i) = (buyers who touched i + 1) /
 * (buyers + 1) in the history (add-one smoothing, so an untouched item is finite).
 */
export function novelty(listIds: readonly string[], buyersTouching: ReadonlyMap<string, number>, buyers: number): number {
  if (listIds.length === 0) return 0;
  return mean(listIds.map((id) => -Math.log2(((buyersTouching.get(id) ?? 0) + 1) / (buyers + 1))));
}

/** Distinct recommended items over all lists / catalog size. */
export function coverage(lists: readonly (readonly string[])[], catalogSize: number): number {
  if (catalogSize === 0) return 0;
  const all = new Set<string>();
  for (const l of lists) for (const id of l) all.add(id);
  return all.size / catalogSize;
}

/**
 * Gini coefficient of how often each catalog item is recommended (items never recommended count
 * as 0): 0 = perfectly even exposure, → 1 = a few items take it all.
 */
export function gini(lists: readonly (readonly string[])[], catalogIds: readonly string[]): number {
  const counts = new Map<string, number>(catalogIds.map((id) => [id, 0]));
  for (const l of lists) for (const id of l) counts.set(id, (counts.get(id) ?? 0) + 1);
  const xs = [...counts.values()].sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  xs.forEach((x, i) => (weighted += (i + 1) * x));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export function diversityEvaluator(lists: readonly (readonly ItemFeatures[])[]): EvalResult {
  const score = mean(lists.map(intraListDiversity));
  return { key: "intra_list_diversity", score, comment: `mean pairwise 1−Jaccard(category+values) within a list: ${fmt(score)}` };
}

export function noveltyEvaluator(lists: readonly (readonly string[])[], buyersTouching: ReadonlyMap<string, number>, buyers: number): EvalResult {
  const score = mean(lists.map((l) => novelty(l, buyersTouching, buyers)));
  return { key: "novelty", score, comment: `mean −log2 popularity (bits) of list items: ${fmt(score, 2)}` };
}

export function coverageEvaluator(lists: readonly (readonly string[])[], catalogSize: number): EvalResult {
  const score = coverage(lists, catalogSize);
  return { key: "coverage", score, comment: `distinct recommended items / ${catalogSize} catalog items: ${fmt(score)}` };
}

export function giniEvaluator(lists: readonly (readonly string[])[], catalogIds: readonly string[]): EvalResult {
  const score = gini(lists, catalogIds);
  return { key: "gini", score, comment: `Gini of exposure over ${catalogIds.length} items (lower = more even): ${fmt(score)}` };
}

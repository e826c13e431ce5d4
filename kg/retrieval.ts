/**
 * Item retrieval for demand queries: full-text (cjk) and vector search (ids and scores only) over
 * items launched before `asOf`, both restricted to the query's category subtree, fused by reciprocal rank
 * (Σ 1/(k + rank), k = 60), then weighted by the query's U-Q score (UQ2I):
 * score = rrf × (uqFloor + (1 − uqFloor) × uq). A history query may bring a third list, the
 * buyer's own engaged items in the category (behaviour path buyer → item → category), fused with
 * weight `ENGAGED_LIST_WEIGHT` so that an item the buyer keeps coming back to leads its query.
 * Only the `limit` items kept are read in full (`itemsByIds`, cached per process).
 */
import type { KgReader, ScoredItemId } from "../contracts/kg.js";
import type { RetrievedItem } from "../contracts/items.js";

export const RRF_K = 60;
/** RRF weight of the engaged-items list against 1 for the full-text and the vector list. */
export const ENGAGED_LIST_WEIGHT = 3;

export interface RetrievalQuery {
  id: string;
  text: string;
  categoryId: string;
  uq: number;
}

export interface RetrievalOptions {
  asOf: string;
  limit: number;
  /** Candidates fetched from each search before fusion; default 2 × limit. */
  depth?: number;
  uqFloor?: number;
  /** The buyer's engaged item ids in the query's category, strongest first (history queries only). */
  engagedItemIds?: string[];
}

/** Reciprocal-rank fusion of ranked lists of ids. */
export function rrfFuse(lists: string[][], k = RRF_K, weights: readonly number[] = []): Map<string, number> {
  const out = new Map<string, number>();
  lists.forEach((list, l) => list.forEach((id, i) => out.set(id, (out.get(id) ?? 0) + (weights[l] ?? 1) / (k + i + 1))));
  return out;
}

export async function retrieveForQuery(
  kg: KgReader,
  embedding: number[] | null,
  q: RetrievalQuery,
  opts: RetrievalOptions,
): Promise<RetrievedItem[]> {
  const depth = opts.depth ?? opts.limit * 2;
  const search = { asOf: opts.asOf, categoryId: q.categoryId, limit: depth };
  const [ft, vec] = await Promise.all([
    kg.searchItemIdsFullText(q.text, search),
    embedding ? kg.searchItemIdsVector(embedding, search) : Promise.resolve([] as ScoredItemId[]),
  ]);
  const ftIds = ft.map((h) => h.itemId);
  const vecIds = vec.map((h) => h.itemId);
  const found = new Set([...ftIds, ...vecIds]);
  const engaged = (opts.engagedItemIds ?? []).slice(0, depth);
  const missing = engaged.filter((id) => !found.has(id));
  if (missing.length > 0) for (const h of await kg.itemsByIds(missing, { asOf: opts.asOf })) found.add(h.itemId);
  const engagedIds = engaged.filter((id) => found.has(id));
  const fused = rrfFuse([ftIds, vecIds, engagedIds], RRF_K, [1, 1, ENGAGED_LIST_WEIGHT]);
  const floor = opts.uqFloor ?? 0.5;
  const weight = floor + (1 - floor) * Math.max(0, Math.min(1, q.uq));
  const top = [...fused.entries()]
    .map(([itemId, rrf]) => ({ itemId, rrf, score: rrf * weight }))
    .sort((a, b) => b.score - a.score || a.itemId.localeCompare(b.itemId))
    .slice(0, opts.limit);
  const items = new Map((await kg.itemsByIds(top.map((t) => t.itemId), { asOf: opts.asOf })).map((h) => [h.itemId, h]));
  return top
    .filter((t) => items.has(t.itemId))
    .map((t) => {
      const { score: _ignored, ...h } = items.get(t.itemId)!;
      const fi = ftIds.indexOf(t.itemId);
      const vi = vecIds.indexOf(t.itemId);
      return { ...h, queryId: q.id, rrf: t.rrf, score: t.score, ftRank: fi >= 0 ? fi + 1 : null, vecRank: vi >= 0 ? vi + 1 : null };
    });
}

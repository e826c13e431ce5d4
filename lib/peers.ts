/**
 * Potential categories from peers: given the buyer's engagement share per category and the
 * `CO_ENGAGED` neighbours of those categories (kg/co-engagement.ts), scores each leaf category the
 * buyer never touched by Σ share(c) × weight(c → c') and keeps the strongest `limit`. Pure: reads
 * only its arguments.
 */
import type { PeerCategory } from "../contracts/cfv.js";
import type { CoEngagedCategory, Vocabulary } from "../contracts/kg.js";

export function peerCategories(
  shares: ReadonlyMap<string, number>,
  coEngaged: readonly CoEngagedCategory[],
  vocab: Pick<Vocabulary, "categories">,
  limit: number,
): PeerCategory[] {
  if (limit <= 0) return [];
  const cat = new Map(vocab.categories.map((c) => [c.id, c]));
  const score = new Map<string, { weight: number; via: Map<string, number> }>();
  for (const p of coEngaged) {
    const share = shares.get(p.from) ?? 0;
    const leaf = cat.get(p.to);
    if (share <= 0 || shares.has(p.to) || !leaf || leaf.allows.length === 0) continue;
    const e = score.get(p.to) ?? { weight: 0, via: new Map<string, number>() };
    e.weight += share * p.weight;
    e.via.set(p.from, (e.via.get(p.from) ?? 0) + share * p.weight);
    score.set(p.to, e);
  }
  return [...score]
    .sort((a, b) => b[1].weight - a[1].weight || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([categoryId, e]) => ({
      id: `peer:${categoryId}`,
      categoryId,
      name: cat.get(categoryId)!.name,
      weight: Math.round(e.weight * 10_000) / 10_000,
      via: [...e.via].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
    }));
}

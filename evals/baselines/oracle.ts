/**
 * The oracle: a recommender that reads the world's latent truth (each buyer's profile: category
 * shares, preferences, recent drift, potential needs; the trends and their strength at `asOf`; the
 * catalog's cross-category pairs) and recommends from it, as the ceiling of this world. Each
 * category gets slots in proportion to the probability that a held-out session lands in it
 * (history share `HISTORY_SHARE`, the rest split 0.4 / 0.3 / 0.3 over potential needs, cross pairs
 * and active trends, as the generator draws them); inside a category, offers launched before
 * `asOf` are ranked by (0.3 + 2.5 × values matching what the buyer wants there) × a recency
 * factor × (1 + the buyer's past engagement with the offer). Only `evals/` may read the latent
 * truth (test/latent-guard.test.ts); the system never sees this module.
 */
import { buildCatalog } from "../../world/catalog.js";
import { trendStrength, type LatentProfile, type LatentTrend } from "../../world/latent.js";
import type { WorldData } from "../world-data.js";
import type { HistoryIndex } from "./history-index.js";
import type { Recommender } from "./recommender.js";

/** Share of held-out sessions that follow the buyer's history process (the world's `historyShare`). */
export const HISTORY_SHARE = 0.78;

export interface OracleInputs {
  world: WorldData;
  index: HistoryIndex;
  profiles: readonly LatentProfile[];
  trends: readonly LatentTrend[];
  /** The world's cross-category pairs (default: the generated catalog's). */
  pairs?: ReadonlyArray<{ from: string; to: string; strength: number }>;
}

export function oracleRecommender(inp: OracleInputs): Recommender {
  const asOfMs = Date.parse(inp.index.asOf);
  const profiles = new Map(inp.profiles.map((p) => [p.buyerId, p]));
  const pairs = inp.pairs ?? buildCatalog().pairs;
  const byCategory = new Map<string, { id: string; valueIds: string[]; launchedMs: number }[]>();
  for (const i of inp.world.items) {
    const t = Date.parse(i.launchedAt);
    if (t >= asOfMs) continue;
    const list = byCategory.get(i.categoryId) ?? [];
    list.push({ id: i.id, valueIds: i.valueIds ?? [], launchedMs: t });
    byCategory.set(i.categoryId, list);
  }
  for (const list of byCategory.values()) list.sort((a, b) => b.launchedMs - a.launchedMs || a.id.localeCompare(b.id));
  const active = inp.trends.map((tr) => ({ tr, s: trendStrength(tr, asOfMs) })).filter((x) => x.s > 0.05);
  return {
    name: "oracle",
    recommend(userId, k) {
      const p = profiles.get(userId);
      if (!p) return [];
      const wanted = new Map<string, { p: number; values: Set<string> }>();
      const add = (categoryId: string, prob: number, values: Iterable<string>) => {
        const w = wanted.get(categoryId) ?? { p: 0, values: new Set<string>() };
        w.p += prob;
        for (const v of values) w.values.add(v);
        wanted.set(categoryId, w);
      };
      const prefValues = Object.values(p.preferences).flatMap((vs) => vs.slice(0, 2).map((v) => v.valueId));
      const mains = new Set(p.mainCategories.map((m) => m.categoryId));
      const drift: { w: number; add: (w: number) => void }[] = [];
      if (p.potential.length > 0) drift.push({ w: 0.4, add: (w) => p.potential.forEach((x) => add(x.categoryId, w / p.potential.length, x.valueIds)) });
      const cross = pairs.filter((pr) => mains.has(pr.from) && !mains.has(pr.to));
      const crossTotal = cross.reduce((s, x) => s + x.strength, 0);
      if (cross.length > 0) drift.push({ w: 0.3, add: (w) => cross.forEach((x) => add(x.to, (w * x.strength) / crossTotal, prefValues)) });
      const trendTotal = active.reduce((s, x) => s + x.s, 0);
      if (active.length > 0)
        drift.push({ w: 0.3, add: (w) => active.forEach((a) => a.tr.categoryIds.forEach((c) => add(c, (w * a.s) / trendTotal / a.tr.categoryIds.length, a.tr.valueIds))) });
      const driftTotal = drift.reduce((s, d) => s + d.w, 0);
      const historyShare = driftTotal > 0 ? HISTORY_SHARE : 1;
      for (const m of p.mainCategories) add(m.categoryId, historyShare * m.share, [...prefValues, ...p.recentDrift.valueIds]);
      for (const d of drift) d.add(((1 - historyShare) * d.w) / driftTotal);

      const engaged = inp.index.userItems.get(userId) ?? new Map<string, number>();
      const maxEngaged = Math.max(1e-9, ...engaged.values());
      const excluded = inp.index.recentOrders.get(userId) ?? new Set<string>();
      const pools = [...wanted.entries()].map(([categoryId, w]) => {
        const items = byCategory.get(categoryId) ?? [];
        const ranked = items
          .map((it, rank) => {
            const matches = it.valueIds.filter((v) => w.values.has(v)).length;
            const recency = 1 + 2 * Math.pow(1 - rank / Math.max(1, items.length), 3);
            return { id: it.id, s: (0.3 + 2.5 * matches) * recency * (1 + (engaged.get(it.id) ?? 0) / maxEngaged) };
          })
          .filter((x) => !excluded.has(x.id))
          .sort((a, b) => b.s - a.s || a.id.localeCompare(b.id));
        return { p: w.p, ids: ranked.map((x) => x.id), taken: 0 };
      });
      const out: string[] = [];
      while (out.length < k) {
        let best: (typeof pools)[number] | null = null;
        for (const pool of pools) if (pool.taken < pool.ids.length && (!best || pool.p / (pool.taken + 1) > best.p / (best.taken + 1))) best = pool;
        if (!best) break;
        out.push(best.ids[best.taken++]);
      }
      return out;
    },
  };
}

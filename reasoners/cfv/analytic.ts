/**
 * Analytic CFV (category → factor values). Per main category:
 * - long-term: Σ tuple factor weight × 2^(−age/13 weeks) over the window;
 * - recent: Σ tuple factor weight over the last 4 weeks;
 * - potential: values whose factor the category allows and that never appear in the buyer's
 *   history, scored by (a) trend documents mentioning the value and the category (or its
 *   ancestors), recency-weighted, (b) co-mention in those documents with the buyer's long-term
 *   values, (c) the buyer's preferences in `PAIRS_WITH` neighbour categories × lift.
 * Potential values must also be carried by some offer of the category (`carriedValueIds`), so a
 * value that merely shares an allowed factor (a card finish for a skirt) never becomes one.
 * Weights are rescaled so the strongest entry of each horizon is 9 (one decimal); each horizon
 * keeps at most `PER_FACTOR` values per factor (long 10, recent 4, potential 3 entries).
 */
import type { CategoryPair, TrendDocHit, Vocabulary } from "../../contracts/kg.js";
import { daysBetween } from "../../lib/time.js";
import type { Tuple } from "../../contracts/behaviour.js";
import type { Cfv, CfvEntry } from "../../contracts/cfv.js";

export const LONG_HALF_LIFE_DAYS = 91;
export const RECENT_DAYS = 28;
/** At most this many values of one factor per horizon, so every factor the buyer cares about shows. */
export const PER_FACTOR = 2;

export function cfvId(horizon: "long" | "recent" | "potential", categoryId: string, valueId: string): string {
  return `cfv:${horizon}:${categoryId}:${valueId}`;
}

function scale(entries: Omit<CfvEntry, "weight">[], raw: number[], max: number): CfvEntry[] {
  const top = Math.max(0, ...raw);
  return entries
    .map((e, i) => ({ ...e, weight: top > 0 ? Math.round((90 * raw[i]) / top) / 10 : 0 }))
    .filter((e) => e.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name))
    .filter((e, _i, all) => all.filter((x) => x.factor === e.factor).indexOf(e) < PER_FACTOR)
    .slice(0, max);
}

export interface CfvInputs {
  tuples: Tuple[];
  categories: string[];
  vocab: Vocabulary;
  asOf: string;
  /** Value ids seen anywhere in the buyer's history (events and searches). */
  historyValueIds: Set<string>;
  trendDocs: TrendDocHit[];
  pairs: CategoryPair[];
  /** Per category, the value ids its offers carry; a category absent here restricts nothing. */
  carriedValueIds?: ReadonlyMap<string, ReadonlySet<string>>;
}

export function analyticCfv(inp: CfvInputs): Cfv {
  const cat = new Map(inp.vocab.categories.map((c) => [c.id, c]));
  const valueById = new Map(inp.vocab.values.map((v) => [v.id, v]));
  const ancestors = (id: string): Set<string> => {
    const out = new Set<string>();
    let c = cat.get(id);
    while (c) {
      out.add(c.id);
      c = c.parentId ? cat.get(c.parentId) : undefined;
    }
    return out;
  };
  const byCatPrefs = new Map<string, Map<string, number>>();
  for (const t of inp.tuples) {
    const m = byCatPrefs.get(t.categoryId) ?? new Map<string, number>();
    for (const f of t.factors) m.set(f.valueId, (m.get(f.valueId) ?? 0) + f.weight);
    byCatPrefs.set(t.categoryId, m);
  }
  const categories = inp.categories.map((categoryId) => {
    const allowed = new Set(cat.get(categoryId)?.allows ?? []);
    const longW = new Map<string, number>();
    const recentW = new Map<string, number>();
    for (const t of inp.tuples) {
      if (t.categoryId !== categoryId) continue;
      const age = Math.max(0, daysBetween(t.weekStart, inp.asOf));
      const decay = Math.pow(2, -age / LONG_HALF_LIFE_DAYS);
      for (const f of t.factors) {
        longW.set(f.valueId, (longW.get(f.valueId) ?? 0) + f.weight * decay);
        if (age <= RECENT_DAYS) recentW.set(f.valueId, (recentW.get(f.valueId) ?? 0) + f.weight);
      }
    }
    const mk = (m: Map<string, number>, horizon: "long" | "recent", max: number) => {
      const ids = [...m.keys()].filter((id) => valueById.has(id));
      return scale(
        ids.map((id) => {
          const v = valueById.get(id)!;
          return { id: cfvId(horizon, categoryId, id), valueId: id, name: v.name, factor: v.factor, support: [] };
        }),
        ids.map((id) => m.get(id)!),
        max,
      );
    };
    const long = mk(longW, "long", 10);
    const recent = mk(recentW, "recent", 4);
    const longIds = new Set(long.map((e) => e.valueId));
    const scope = ancestors(categoryId);
    const potW = new Map<string, number>();
    const support = new Map<string, Set<string>>();
    const carried = inp.carriedValueIds?.get(categoryId);
    const add = (valueId: string, w: number, ref: string) => {
      const v = valueById.get(valueId);
      if (!v || inp.historyValueIds.has(valueId) || !allowed.has(v.factor) || (carried && !carried.has(valueId))) return;
      potW.set(valueId, (potW.get(valueId) ?? 0) + w);
      const s = support.get(valueId) ?? new Set<string>();
      s.add(ref);
      support.set(valueId, s);
    };
    for (const d of inp.trendDocs) {
      if (!d.categoryIds.some((c) => scope.has(c))) continue;
      const age = Math.max(0, daysBetween(d.publishedAt, inp.asOf));
      const rec = Math.pow(2, -age / 28);
      const cooc = d.valueIds.some((v) => longIds.has(v)) ? 1.5 : 1;
      for (const v of d.valueIds) add(v, rec * cooc, `trend:${d.id}`);
    }
    for (const p of inp.pairs) {
      const other = p.from === categoryId ? p.to : p.to === categoryId ? p.from : null;
      if (!other) continue;
      const prefs = byCatPrefs.get(other);
      if (!prefs) continue;
      const total = [...prefs.values()].reduce((s, x) => s + x, 0) || 1;
      for (const [v, w] of prefs) add(v, (p.lift * w) / total, `pair:${p.from}:${p.to}`);
    }
    const potIds = [...potW.keys()];
    const potential = scale(
      potIds.map((id) => {
        const v = valueById.get(id)!;
        return { id: cfvId("potential", categoryId, id), valueId: id, name: v.name, factor: v.factor, support: [...support.get(id)!].sort() };
      }),
      potIds.map((id) => potW.get(id)!),
      3,
    );
    return { categoryId, name: cat.get(categoryId)?.name ?? categoryId, long, recent, potential };
  });
  return { categories };
}

export function compactCfv(entries: CfvEntry[]): string {
  return entries.map((e) => `${e.name}:${Math.round(e.weight)}`).join("|");
}

/**
 * Analytic query generator: a ranked pool of candidate demand queries from templates over the
 * CFV, the trends and `PAIRS_WITH` neighbours, round-robin across horizons and main categories:
 * - long: the two strongest long-term values of different factors + noun, then each of those
 *   values alone (drawn when a pair's combination is carried by too few offers to pass the critic);
 * - recent: the strongest recent value (when it is not the top long one) + the top long value of
 *   another factor + noun;
 * - potential: a potential value + noun, citing the CFV entry and its trend / pair support; and,
 *   interleaved, each peer category of the CFV (a category the buyer never touched that buyers of
 *   the same categories engage with) + the buyer's strongest long-term value it allows (not a
 *   price band), weighted by its category's share, citing `peer:<categoryId>` and the CFV entry;
 * - trend: a selling point normalised onto a value the category allows + noun, in each main
 *   category and in the leaf categories its documents name that the buyer has not bought in;
 * - cross: a `PAIRS_WITH` neighbour the buyer has not bought in + the buyer's strongest long-term
 *   value its factors allow.
 * Every query cites the evidence its values come from. Text: `<values><noun> 批发` (a 品类词 value
 * replaces the noun).
 */
import type { CategoryPair, Vocabulary } from "../../contracts/kg.js";
import type { Cfv, CfvEntry } from "../../contracts/cfv.js";
import type { Tuple } from "../../contracts/behaviour.js";
import type { Trends } from "../../contracts/trends.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { GeneratedQueries } from "../../contracts/queries.js";
import { type GeneratorInputs } from "../../contracts/queries.js";
import { PRODUCT_TYPE_FACTOR } from "../../kg/induce/records.js";

/** Price bands are relative to a category's prices, so a long-term band does not carry over to another category. */
const PRICE_FACTOR = "价格带";

type Draft = GeneratedQueries["queries"][number];

function tupleRefs(tuples: Tuple[], categoryId: string, valueIds: string[]): string[] {
  return tuples
    .filter((t) => t.categoryId === categoryId && t.factors.some((f) => valueIds.includes(f.valueId)))
    .slice(-2)
    .map((t) => t.id);
}

/**
 * `<values><noun>`; a product-type value (品类词, a sub-category noun such as 防水袋) stands in for
 * the category noun, and a value equal to the noun is not repeated.
 */
function demandPhrase(values: { name: string; factor?: string }[], noun: string): string {
  const kept = values.filter((v) => v.name !== noun);
  const product = kept.find((v) => v.factor === PRODUCT_TYPE_FACTOR);
  const modifiers = kept.filter((v) => v !== product).map((v) => v.name).join("");
  return `${modifiers}${product ? product.name : noun}`;
}

export function queryPool(inp: GeneratorInputs): Draft[] {
  const cat = new Map(inp.vocab.categories.map((c) => [c.id, c]));
  const valueById = new Map(inp.vocab.values.map((v) => [v.id, v]));
  const noun = (id: string) => cat.get(id)?.noun ?? cat.get(id)?.name ?? id;
  const mk = (horizon: Draft["horizon"], categoryId: string, values: { name: string; valueId: string }[], evidence: string[], reason: string): Draft => ({
    reason,
    text: `${demandPhrase(values.map((v) => ({ name: v.name, factor: valueById.get(v.valueId)?.factor })), noun(categoryId))} 批发`,
    category: cat.get(categoryId)?.name ?? categoryId,
    values: values.map((v) => v.name),
    horizon,
    evidence: [...new Set(evidence)],
  });
  const byHorizon: Record<Draft["horizon"], Draft[]> = { long: [], recent: [], potential: [], trend: [], cross: [] };
  const main = new Set(inp.portrait.mainCategories.map((c) => c.categoryId));
  const longSingles: Draft[] = [];
  for (const c of inp.cfv.categories) {
    const allowed = new Set(cat.get(c.categoryId)?.allows ?? []);
    const ok = (e: CfvEntry) => allowed.has(e.factor);
    const long = c.long.filter(ok);
    for (let i = 0; i < long.length; i++) {
      const a = long[i];
      const b = long.slice(i + 1).find((x) => x.factor !== a.factor);
      const vs = b ? [a, b] : [a];
      byHorizon.long.push(mk("long", c.categoryId, vs, [...vs.map((v) => v.id), ...tupleRefs(inp.tuples, c.categoryId, vs.map((v) => v.valueId))], `长期偏好 ${vs.map((v) => `${v.name}:${v.weight}`).join("|")}`));
      if (b) longSingles.push(mk("long", c.categoryId, [a], [a.id, ...tupleRefs(inp.tuples, c.categoryId, [a.valueId])], `长期偏好 ${a.name}:${a.weight}`));
      if (byHorizon.long.length > 12) break;
    }
    for (const r of c.recent.filter(ok)) {
      if (r.valueId === long[0]?.valueId) continue;
      const partner = long.find((x) => x.factor !== r.factor);
      const vs = partner ? [r, partner] : [r];
      byHorizon.recent.push(mk("recent", c.categoryId, vs, [...vs.map((v) => v.id), ...tupleRefs(inp.tuples, c.categoryId, vs.map((v) => v.valueId))], `近 4 周偏好 ${r.name}:${r.weight}`));
    }
    for (const p of c.potential.filter(ok)) {
      const support = p.support.map((s) => (s.startsWith("trend:") ? s.slice("trend:".length) : s));
      byHorizon.potential.push(mk("potential", c.categoryId, [p], [p.id, ...support], `潜在偏好 ${p.name}:${p.weight}，依据 ${p.support.join(", ")}`));
    }
    for (const sp of inp.trends.sellingPoints) {
      if (!sp.valueId || !sp.factor || !allowed.has(sp.factor)) continue;
      const v = valueById.get(sp.valueId)!;
      byHorizon.trend.push(mk("trend", c.categoryId, [{ name: v.name, valueId: v.id }], sp.docIds.slice(0, 3), `趋势卖点 ${sp.term}（来源 ${sp.sources.join("、")}）`));
    }
  }
  const share = new Map(inp.portrait.mainCategories.map((c) => [c.categoryId, c.share]));
  const peerDrafts: Draft[] = [];
  for (const p of inp.cfv.peers ?? []) {
    const allowed = new Set(cat.get(p.categoryId)?.allows ?? []);
    const pref = inp.cfv.categories
      .flatMap((c) => c.long.filter((e) => allowed.has(e.factor) && e.factor !== PRICE_FACTOR).map((e) => ({ e, s: e.weight * (share.get(c.categoryId) ?? 0) })))
      .sort((a, b) => b.s - a.s || a.e.id.localeCompare(b.e.id))[0]?.e;
    if (!pref) continue;
    const via = p.via.map((c) => cat.get(c)?.name ?? c).join("、");
    peerDrafts.push(mk("potential", p.categoryId, [pref], [p.id, pref.id], `采购 ${via} 的同类买家也常采购 ${p.name}（共同关注强度 ${p.weight}），带入长期偏好 ${pref.name}`));
  }
  const cfvPotential = byHorizon.potential;
  byHorizon.potential = Array.from({ length: Math.max(peerDrafts.length, cfvPotential.length) }, (_, i) => [peerDrafts[i], cfvPotential[i]]).flat().filter((d): d is Draft => d !== undefined);
  const docCats = new Map(inp.trends.docs.map((d) => [d.id, d.categoryIds]));
  const inMain = byHorizon.trend;
  const elsewhere: Draft[] = [];
  for (const sp of inp.trends.sellingPoints) {
    if (!sp.valueId || !sp.factor) continue;
    const v = valueById.get(sp.valueId)!;
    const leaves = [...new Set(sp.docIds.flatMap((id) => docCats.get(id) ?? []))].sort();
    for (const leaf of leaves) {
      const c = cat.get(leaf);
      if (!c || main.has(leaf) || c.allows.length === 0 || !c.allows.includes(sp.factor)) continue;
      const docs = sp.docIds.filter((id) => docCats.get(id)?.includes(leaf)).slice(0, 3);
      elsewhere.push(mk("trend", leaf, [{ name: v.name, valueId: v.id }], docs, `趋势卖点 ${sp.term} 出现在 ${c.name}（来源 ${sp.sources.join("、")}）`));
    }
  }
  byHorizon.trend = Array.from({ length: Math.max(inMain.length, elsewhere.length) }, (_, i) => [elsewhere[i], inMain[i]]).flat().filter((d): d is Draft => d !== undefined);
  const longByCat = new Map(inp.cfv.categories.map((c) => [c.categoryId, c.long]));
  for (const p of inp.pairs) {
    if (!main.has(p.from) || main.has(p.to) || !cat.has(p.to)) continue;
    const allowed = new Set(cat.get(p.to)!.allows);
    const pref = (longByCat.get(p.from) ?? []).find((e) => allowed.has(e.factor));
    if (!pref) continue;
    byHorizon.cross.push(mk("cross", p.to, [pref], [`pair:${p.from}:${p.to}`, pref.id], `${cat.get(p.from)?.name} 与 ${cat.get(p.to)?.name} 常被一起采购（lift ${p.lift}）`));
  }
  byHorizon.long.push(...longSingles);
  const order: Draft["horizon"][] = ["long", "potential", "trend", "recent", "cross"];
  const pool: Draft[] = [];
  const seen = new Set<string>();
  for (let round = 0; order.some((h) => byHorizon[h].length > round); round++) {
    for (const h of order) {
      const d = byHorizon[h][round];
      if (!d) continue;
      const key = `${d.category}|${[...d.values].sort().join("+")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pool.push(d);
    }
  }
  return pool;
}

/** The first `count` pool queries, skipping texts in `exclude` (failed or already kept). */
export function analyticQueries(inp: GeneratorInputs, count: number, exclude: Set<string> = new Set()): GeneratedQueries {
  return { queries: queryPool(inp).filter((q) => !exclude.has(q.text)).slice(0, count) };
}

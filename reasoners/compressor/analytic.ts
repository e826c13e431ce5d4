/**
 * Analytic compressor: factor extraction from free text (search terms) by vocabulary matching,
 * and the weekly five-tuple aggregation itself.
 *
 * A tuple aggregates one (week, leaf category) of behaviour. Its compact form is
 * `#<week>_<noun>_<amount>_<quantity>_<events>_<value>:<weight>|…`:
 * - `week`: `YYMMDD` of the Monday (UTC) that starts the week;
 * - `noun`: the category's short noun (连衣裙, 卡片; `搜索` for searches that name no category);
 * - `amount`: CNY ordered that week in the category, rounded;
 * - `quantity`: pieces ordered;
 * - `events`: behaviour events of any type;
 * - `value:weight`: decision-factor values by behaviour-weighted count (search 1, view 1,
 *   collect 2, cart 3, inquiry 3, order 5), strongest first, the fewest that cover
 *   `massTarget` of the tuple's factor mass, at most `factorsPerTuple`.
 */
import type { CategoryInfo, UserEvent, ValueInfo, Vocabulary } from "../../contracts/kg.js";
import type { EventType } from "../../contracts/records.js";
import { weekCode, weekStart } from "../../lib/time.js";
import { SEARCH_CATEGORY_ID, BEHAVIOUR_WEIGHT, tupleId } from "../../lib/tuples.js";
import { type Tuple, type TupleFactor } from "../../contracts/behaviour.js";
import { type TermFactors } from "../../contracts/behaviour.js";

/** Values and the category a search term names, by longest vocabulary matches. */
export function extractTermFactors(terms: string[], vocab: Vocabulary): TermFactors[] {
  const byLength = [...vocab.values].sort((a, b) => b.name.length - a.name.length);
  const cats = vocab.categories
    .filter((c) => c.allows.length > 0)
    .flatMap((c) => [c.noun, c.name].map((n) => ({ n, c })))
    .sort((a, b) => b.n.length - a.n.length);
  return [...new Set(terms)].map((term) => {
    let rest = term;
    const values: string[] = [];
    for (const v of byLength) {
      if (rest.includes(v.name)) {
        values.push(v.name);
        rest = rest.split(v.name).join(" ");
      }
    }
    const cat = cats.find(({ n }) => term.includes(n));
    return { term, values, category: cat ? cat.c.name : null };
  });
}

/** Aggregates events into tuples; `termFactors` maps search terms to values and category names. */
export function buildTuples(
  events: UserEvent[],
  vocab: Vocabulary,
  termFactors: TermFactors[],
  factorsPerTuple: number,
  massTarget = 1,
): { tuples: Tuple[]; massTotal: number; massKept: number } {
  const catById = new Map<string, CategoryInfo>(vocab.categories.map((c) => [c.id, c]));
  const catByName = new Map<string, CategoryInfo>(vocab.categories.map((c) => [c.name, c]));
  const valueByName = new Map<string, ValueInfo>();
  for (const v of vocab.values) if (!valueByName.has(v.name)) valueByName.set(v.name, v);
  const termMap = new Map(termFactors.map((t) => [t.term, t]));

  interface Acc extends Omit<Tuple, "factors" | "mass" | "id"> {
    f: Map<string, TupleFactor>;
  }
  const acc = new Map<string, Acc>();
  for (const e of events) {
    let categoryId = e.categoryId;
    let values: ValueInfo[] = e.values;
    if (e.type === "search") {
      const tf = e.searchTerm ? termMap.get(e.searchTerm) : undefined;
      const cat = tf?.category ? catByName.get(tf.category) : undefined;
      categoryId = cat?.id ?? SEARCH_CATEGORY_ID;
      values = (tf?.values ?? []).map((n) => valueByName.get(n)).filter((v): v is ValueInfo => v !== undefined);
    }
    if (!categoryId) continue;
    const ws = weekStart(e.at);
    const week = weekCode(ws);
    const key = `${week}|${categoryId}`;
    let a = acc.get(key);
    if (!a) {
      const cat = catById.get(categoryId);
      a = {
        week,
        weekStart: ws,
        categoryId,
        noun: categoryId === SEARCH_CATEGORY_ID ? "搜索" : (cat?.noun ?? e.categoryName ?? categoryId),
        amount: 0,
        quantity: 0,
        events: 0,
        counts: {},
        f: new Map(),
      };
      acc.set(key, a);
    }
    a.events += 1;
    a.counts[e.type] = (a.counts[e.type] ?? 0) + 1;
    if (e.type === "order") {
      a.amount += e.amount ?? 0;
      a.quantity += e.quantity ?? 0;
    }
    const w = BEHAVIOUR_WEIGHT[e.type];
    for (const v of values) {
      const f = a.f.get(v.id) ?? { valueId: v.id, name: v.name, factor: v.factor, weight: 0 };
      f.weight += w;
      a.f.set(v.id, f);
    }
  }
  let massTotal = 0;
  let massKept = 0;
  const tuples = [...acc.values()]
    .map(({ f, ...rest }) => {
      const all = [...f.values()].sort((x, y) => y.weight - x.weight || x.name.localeCompare(y.name));
      const mass = all.reduce((s, x) => s + x.weight, 0);
      const factors: TupleFactor[] = [];
      let covered = 0;
      for (const x of all) {
        if (factors.length >= factorsPerTuple || (mass > 0 && covered / mass >= massTarget)) break;
        factors.push(x);
        covered += x.weight;
      }
      massTotal += mass;
      massKept += factors.reduce((s, x) => s + x.weight, 0);
      return { id: tupleId(rest.week, rest.categoryId), ...rest, factors, mass };
    })
    .sort((a, b) => a.week.localeCompare(b.week) || b.events - a.events || a.categoryId.localeCompare(b.categoryId));
  return { tuples, massTotal, massKept };
}

/**
 * The naive rendering of the raw event log, the compression baseline: one plain-text line per
 * event, what a prompt carrying the raw year of events would hold — time to the minute, type, the
 * item's offer title (its short title when the read carries no full title), the search term,
 * dwell seconds, quantity and amount:
 * `2024-06-01 12:06 view 2025新款日系纯色针织阔腿裤女宽松垂感休闲裤批发 dwell 90s`, `2024-06-01 12:04 search 连衣裙 雪纺 小批量`,
 * `2024-06-09 08:30 order 法式碎花连衣裙 qty 50 amount 1250`.
 */
export function renderRawLog(events: UserEvent[]): string {
  return events
    .map((e) => {
      const parts = [`${e.at.slice(0, 10)} ${e.at.slice(11, 16)}`, e.type];
      if (e.title) parts.push(e.title);
      else if (e.shortTitle) parts.push(e.shortTitle);
      else if (e.itemId) parts.push(e.itemId);
      if (e.searchTerm) parts.push(e.searchTerm);
      if (e.dwellS !== null) parts.push(`dwell ${e.dwellS}s`);
      if (e.quantity !== null) parts.push(`qty ${e.quantity}`);
      if (e.amount !== null) parts.push(`amount ${e.amount}`);
      return parts.join(" ");
    })
    .join("\n");
}

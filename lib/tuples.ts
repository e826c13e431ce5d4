/**
 * The weekly five-tuple form shared by the compressor, the prompts, the critic and the
 * explanations: ids, the compact text `#<week>_<noun>_<amount>_<quantity>_<events>_<value>:<weight>|…`,
 * behaviour weights, and the whole-window / recent views prompts show.
 */
import type { EventType } from "../contracts/records.js";
import type { Tuple } from "../contracts/behaviour.js";
import { daysBetween } from "./time.js";
import { type TupleFactor } from "../contracts/behaviour.js";

export const BEHAVIOUR_WEIGHT: Record<EventType, number> = {
  search: 1,
  view: 1,
  collect: 2,
  cart: 3,
  inquiry: 3,
  order: 5,
};

export const SEARCH_CATEGORY_ID = "search";

export function tupleId(week: string, categoryId: string): string {
  return `t:${week}:${categoryId}`;
}

export function compactTuple(t: Tuple): string {
  const f = t.factors.map((x) => `${x.name}:${Math.round(x.weight)}`).join("|");
  return `#${t.week}_${t.noun}_${Math.round(t.amount)}_${t.quantity}_${t.events}_${f}`;
}

/**
 * One tuple per category over all the given tuples (week = the earliest week; amount, quantity,
 * events and factor weights summed), strongest categories first, each with its `factors`
 * strongest factors: the whole window in a few lines of the same compact form, for prompts.
 */
export function categorySummaryTuples(tuples: readonly Tuple[], factors: number): Tuple[] {
  const by = new Map<string, Tuple & { f: Map<string, TupleFactor> }>();
  for (const t of tuples) {
    let s = by.get(t.categoryId);
    if (!s) {
      s = { ...t, id: tupleId(t.week, t.categoryId), amount: 0, quantity: 0, events: 0, counts: {}, factors: [], mass: 0, f: new Map() };
      by.set(t.categoryId, s);
    }
    if (t.week < s.week) Object.assign(s, { week: t.week, weekStart: t.weekStart });
    s.amount += t.amount;
    s.quantity += t.quantity;
    s.events += t.events;
    s.mass += t.mass;
    for (const [k, n] of Object.entries(t.counts) as [EventType, number][]) s.counts[k] = (s.counts[k] ?? 0) + n;
    for (const x of t.factors) {
      const f = s.f.get(x.valueId) ?? { ...x, weight: 0 };
      f.weight += x.weight;
      s.f.set(x.valueId, f);
    }
  }
  return [...by.values()]
    .map(({ f, ...s }) => ({
      ...s,
      factors: [...f.values()].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name)).slice(0, factors),
    }))
    .sort((a, b) => b.events - a.events || a.categoryId.localeCompare(b.categoryId));
}

/** The tuples of the last `weeks` weeks before `asOf`, each cut to its `factors` strongest factors. */
export function recentTuples(tuples: readonly Tuple[], asOf: string, weeks: number, factors: number): Tuple[] {
  const from = new Date(Date.parse(asOf) - weeks * 7 * 86_400_000).toISOString();
  return tuples.filter((t) => t.weekStart >= from).map((t) => ({ ...t, factors: t.factors.slice(0, factors) }));
}


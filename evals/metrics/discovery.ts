/**
 * Discovery metrics: does the list reach what is new to the buyer?
 *
 * A held-out interaction is a *discovery* when its item's leaf category is absent from the buyer's
 * history, or the item carries values absent from the buyer's history (its *new values*). A list
 * *reaches* a discovery when it holds an item of the same leaf category that carries at least one
 * of the new values (or any item of that category when only the category is new). Discovery recall
 * is the share of a buyer's discoveries the list reaches; the strict variant needs the very item.
 */
import { type EvalResult, fmt, mean } from "./types.js";

/** What the metrics need to know about an item. */
export interface ItemFacts {
  categoryId: string;
  valueIds: readonly string[];
  launchedAt: string;
}

/** Categories and values of the items a buyer touched before `asOf`. */
export interface HistoryFootprint {
  categories: ReadonlySet<string>;
  values: ReadonlySet<string>;
}

/** One held-out interaction that is new to the buyer. */
export interface DiscoveryTarget {
  itemId: string;
  categoryId: string;
  newCategory: boolean;
  newValueIds: string[];
}

/** The discoveries among a buyer's held-out items (one per distinct item). */
export function discoveryTargets(
  heldOut: readonly { itemId: string; categoryId: string; valueIds: readonly string[] }[],
  history: HistoryFootprint,
): DiscoveryTarget[] {
  const seen = new Set<string>();
  const out: DiscoveryTarget[] = [];
  for (const h of heldOut) {
    if (seen.has(h.itemId)) continue;
    seen.add(h.itemId);
    const newCategory = !history.categories.has(h.categoryId);
    const newValueIds = h.valueIds.filter((v) => !history.values.has(v));
    if (newCategory || newValueIds.length > 0) out.push({ itemId: h.itemId, categoryId: h.categoryId, newCategory, newValueIds });
  }
  return out;
}

/** True when some list item is in the target's category and carries one of its new values. */
export function reaches(target: DiscoveryTarget, list: readonly ItemFacts[]): boolean {
  return list.some(
    (it) =>
      it.categoryId === target.categoryId &&
      (target.newValueIds.length === 0 || target.newValueIds.some((v) => it.valueIds.includes(v))),
  );
}

/** Share of the targets the list reaches; 0 when there are none. */
export function discoveryRecall(targets: readonly DiscoveryTarget[], list: readonly ItemFacts[]): number {
  if (targets.length === 0) return 0;
  return targets.filter((t) => reaches(t, list)).length / targets.length;
}

/** Share of the targets whose exact item is in the list ids. */
export function strictDiscoveryRecall(targets: readonly DiscoveryTarget[], listIds: readonly string[]): number {
  if (targets.length === 0) return 0;
  const ids = new Set(listIds);
  return targets.filter((t) => ids.has(t.itemId)).length / targets.length;
}

/** Number of distinct leaf categories in the list. */
export function categoryWidth(list: readonly ItemFacts[]): number {
  return new Set(list.map((i) => i.categoryId)).size;
}

/** Share of list items launched within `windowDays` before `asOf` (0 for an empty list). */
export function newItemShare(list: readonly ItemFacts[], asOf: string, windowDays = 28): number {
  if (list.length === 0) return 0;
  const end = Date.parse(asOf);
  const start = end - windowDays * 86_400_000;
  return list.filter((i) => {
    const t = Date.parse(i.launchedAt);
    return t >= start && t < end;
  }).length / list.length;
}

/** Share of list items in leaf categories absent from the buyer's history. */
export function newCategoryShare(list: readonly ItemFacts[], history: HistoryFootprint): number {
  if (list.length === 0) return 0;
  return list.filter((i) => !history.categories.has(i.categoryId)).length / list.length;
}

/** One buyer's list (as item facts, in rank order) and discovery targets. */
export interface DiscoveryCase {
  listIds: readonly string[];
  list: readonly ItemFacts[];
  targets: readonly DiscoveryTarget[];
  history: HistoryFootprint;
  asOf: string;
}

/** Discovery recall averaged over buyers with at least one discovery. */
export function discoveryRecallEvaluator(cases: readonly DiscoveryCase[]): EvalResult {
  const scored = cases.filter((c) => c.targets.length > 0);
  const score = mean(scored.map((c) => discoveryRecall(c.targets, c.list)));
  const n = scored.reduce((s, c) => s + c.targets.length, 0);
  return {
    key: "discovery_recall",
    score,
    comment: `held-out items in new categories/values reached by the list (same category + a new value); ${n} targets over ${scored.length} buyers: ${fmt(score)}`,
  };
}

export function strictDiscoveryRecallEvaluator(cases: readonly DiscoveryCase[]): EvalResult {
  const scored = cases.filter((c) => c.targets.length > 0);
  const score = mean(scored.map((c) => strictDiscoveryRecall(c.targets, c.listIds)));
  return { key: "discovery_recall_strict", score, comment: `exact held-out discovery items in the list, mean over ${scored.length} buyers: ${fmt(score)}` };
}

export function categoryWidthEvaluator(cases: readonly DiscoveryCase[]): EvalResult {
  const score = mean(cases.map((c) => categoryWidth(c.list)));
  return { key: "category_width", score, comment: `distinct leaf categories per list, mean over ${cases.length} buyers: ${fmt(score, 2)}` };
}

export function newItemShareEvaluator(cases: readonly DiscoveryCase[], windowDays = 28): EvalResult {
  const score = mean(cases.map((c) => newItemShare(c.list, c.asOf, windowDays)));
  return { key: "new_item_share", score, comment: `share of list items launched in the ${windowDays} days before asOf: ${fmt(score)}` };
}

export function newCategoryShareEvaluator(cases: readonly DiscoveryCase[]): EvalResult {
  const score = mean(cases.map((c) => newCategoryShare(c.list, c.history)));
  return { key: "new_category_share", score, comment: `share of list items in categories the buyer never touched: ${fmt(score)}` };
}

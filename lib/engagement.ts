/**
 * The buyer's engagement with items and categories, from the history events load_context reads
 * (memoised in `deps.memo`): each item event weighs by its behaviour (view 1, collect 2, cart and
 * inquiry 3, order 5) × 2^(−age / `ENGAGEMENT_HALF_LIFE_DAYS`). Item weights feed the behaviour
 * list of history-query retrieval (retrieve_items); category shares size the list's history slots
 * and the re-engagement rate (how often the buyer's recent engagements return to earlier items)
 * their share for items engaged before (rank_items). Reads only the events it is given; writes
 * nothing.
 */
import type { UserEvent } from "../contracts/kg.js";
import type { EventType } from "../contracts/records.js";
import { daysBetween } from "./time.js";

export const ENGAGEMENT_HALF_LIFE_DAYS = 60;

export const ENGAGEMENT_WEIGHT: Record<EventType, number> = { search: 0, view: 1, collect: 2, cart: 3, inquiry: 3, order: 5 };

export interface EngagedItem {
  itemId: string;
  categoryId: string;
  valueIds: string[];
  weight: number;
}

/** Decayed engagement per item, strongest first (ties by id). */
export function engagedItems(events: readonly UserEvent[], asOf: string, halfLifeDays = ENGAGEMENT_HALF_LIFE_DAYS): EngagedItem[] {
  const byItem = new Map<string, EngagedItem>();
  for (const e of events) {
    if (!e.itemId || !e.categoryId || Date.parse(e.at) >= Date.parse(asOf)) continue;
    const w = ENGAGEMENT_WEIGHT[e.type] * Math.pow(2, -Math.max(0, daysBetween(e.at, asOf)) / halfLifeDays);
    const prev = byItem.get(e.itemId);
    if (prev) prev.weight += w;
    else byItem.set(e.itemId, { itemId: e.itemId, categoryId: e.categoryId, valueIds: e.values.map((v) => v.id), weight: w });
  }
  return [...byItem.values()].sort((a, b) => b.weight - a.weight || a.itemId.localeCompare(b.itemId));
}

/** Each category's share of the buyer's decayed engagement (shares sum to 1; empty without item events). */
export function categoryShares(items: readonly EngagedItem[]): Map<string, number> {
  const total = items.reduce((s, i) => s + i.weight, 0);
  const out = new Map<string, number>();
  if (total <= 0) return out;
  for (const i of items) out.set(i.categoryId, (out.get(i.categoryId) ?? 0) + i.weight / total);
  return out;
}

/**
 * The buyer's engaged items in a category, ordered for a query: engagement × (1 + matches with the
 * query's values) / (1 + number of query values), so items that carry what the query asks for lead.
 */
export function engagedForQuery(items: readonly EngagedItem[], categoryId: string, valueIds: readonly string[]): EngagedItem[] {
  const want = new Set(valueIds);
  const score = (i: EngagedItem) => (i.weight * (1 + i.valueIds.filter((v) => want.has(v)).length)) / (1 + want.size);
  return items
    .filter((i) => i.categoryId === categoryId)
    .map((i) => ({ i, s: score(i) }))
    .sort((a, b) => b.s - a.s || a.i.itemId.localeCompare(b.i.itemId))
    .map((x) => x.i);
}

/** Days before `asOf` whose item engagements show the buyer's current habit of coming back (as the CFV's recent horizon). */
export const REENGAGEMENT_WINDOW_DAYS = 28;

/**
 * The buyer's re-engagement rate: of the distinct items engaged in the last `windowDays` before
 * `asOf` in categories the buyer had engaged with earlier, the share the buyer had engaged with
 * before that window; 0 without such recent items (no evidence of the habit). Searches and events
 * without an item are ignored.
 */
export function reengagementRate(events: readonly UserEvent[], asOf: string, windowDays = REENGAGEMENT_WINDOW_DAYS): number {
  const end = Date.parse(asOf);
  const cut = end - windowDays * 86_400_000;
  const seenItems = new Set<string>();
  const seenCats = new Set<string>();
  const recent = new Set<string>();
  const inWindow: UserEvent[] = [];
  for (const e of events) {
    if (!e.itemId || !e.categoryId || e.type === "search") continue;
    const at = Date.parse(e.at);
    if (at >= end) continue;
    if (at < cut) {
      seenItems.add(e.itemId);
      seenCats.add(e.categoryId);
    } else inWindow.push(e);
  }
  for (const e of inWindow) if (seenCats.has(e.categoryId!)) recent.add(e.itemId!);
  if (recent.size === 0) return 0;
  return [...recent].filter((id) => seenItems.has(id)).length / recent.size;
}

/**
 * Aggregates of the history before `asOf` that the baselines and the metrics share: per-buyer
 * item weights (behaviour-type weight × recency decay), item → buyers, decayed item popularity,
 * per-buyer category shares and footprints, recent orders, and the candidate catalog (items
 * launched before `asOf`). Built from public world files only.
 */
import type { EventType } from "../../contracts/records.js";
import type { HistoryFootprint, ItemFacts } from "../metrics/discovery.js";
import type { WorldData } from "../world-data.js";

/** Weight of one behaviour, by type (searches carry no item). */
export const BEHAVIOUR_WEIGHT: Record<EventType, number> = { search: 0, view: 1, collect: 2, cart: 3, inquiry: 3, order: 5 };

export interface HistoryIndexOptions {
  /** Half-life of the recency decay, in days. */
  halfLifeDays?: number;
  /** Orders within this many days before `asOf` exclude the item from the buyer's list. */
  recentOrderDays?: number;
}

export interface HistoryIndex {
  asOf: string;
  userItems: Map<string, Map<string, number>>;
  itemUsers: Map<string, Set<string>>;
  /** Decayed, weighted interactions per item over all buyers. */
  popularity: Map<string, number>;
  /** Buyers who touched each item (for novelty). */
  buyersTouching: Map<string, number>;
  buyerCount: number;
  userCategoryShare: Map<string, Map<string, number>>;
  footprint: Map<string, HistoryFootprint>;
  recentOrders: Map<string, Set<string>>;
  /** Items launched before `asOf`. */
  candidates: string[];
  itemCategory: Map<string, string>;
  facts: (itemId: string) => ItemFacts;
}

export function buildHistoryIndex(world: WorldData, asOf: string, opts: HistoryIndexOptions = {}): HistoryIndex {
  const halfLife = (opts.halfLifeDays ?? 60) * 86_400_000;
  const recentOrderMs = (opts.recentOrderDays ?? 28) * 86_400_000;
  const end = Date.parse(asOf);
  const userItems = new Map<string, Map<string, number>>();
  const itemUsers = new Map<string, Set<string>>();
  const popularity = new Map<string, number>();
  const userCat = new Map<string, Map<string, number>>();
  const footprint = new Map<string, { categories: Set<string>; values: Set<string> }>();
  const recentOrders = new Map<string, Set<string>>();
  for (const e of world.events) {
    const t = Date.parse(e.at);
    if (t >= end) break;
    if (!e.itemId) continue;
    const item = world.itemById.get(e.itemId);
    if (!item) continue;
    const w = BEHAVIOUR_WEIGHT[e.type] * Math.pow(0.5, (end - t) / halfLife);
    let ui = userItems.get(e.userId);
    if (!ui) userItems.set(e.userId, (ui = new Map()));
    ui.set(e.itemId, (ui.get(e.itemId) ?? 0) + w);
    let iu = itemUsers.get(e.itemId);
    if (!iu) itemUsers.set(e.itemId, (iu = new Set()));
    iu.add(e.userId);
    popularity.set(e.itemId, (popularity.get(e.itemId) ?? 0) + w);
    let uc = userCat.get(e.userId);
    if (!uc) userCat.set(e.userId, (uc = new Map()));
    uc.set(item.categoryId, (uc.get(item.categoryId) ?? 0) + w);
    let fp = footprint.get(e.userId);
    if (!fp) footprint.set(e.userId, (fp = { categories: new Set(), values: new Set() }));
    fp.categories.add(item.categoryId);
    for (const v of item.valueIds ?? []) fp.values.add(v);
    if (e.type === "order" && end - t <= recentOrderMs) {
      let ro = recentOrders.get(e.userId);
      if (!ro) recentOrders.set(e.userId, (ro = new Set()));
      ro.add(e.itemId);
    }
  }
  const userCategoryShare = new Map<string, Map<string, number>>();
  for (const [u, cats] of userCat) {
    const total = [...cats.values()].reduce((a, b) => a + b, 0) || 1;
    userCategoryShare.set(u, new Map([...cats].map(([c, w]) => [c, w / total])));
  }
  const candidates = world.items.filter((i) => Date.parse(i.launchedAt) < end).map((i) => i.id);
  const itemCategory = new Map(world.items.map((i) => [i.id, i.categoryId]));
  return {
    asOf,
    userItems,
    itemUsers,
    popularity,
    buyersTouching: new Map([...itemUsers].map(([i, us]) => [i, us.size])),
    buyerCount: world.buyers.length,
    userCategoryShare,
    footprint,
    recentOrders,
    candidates,
    itemCategory,
    facts: (itemId) => {
      const it = world.itemById.get(itemId);
      if (!it) throw new Error(`unknown item ${itemId}`);
      return { categoryId: it.categoryId, valueIds: it.valueIds ?? [], launchedAt: it.launchedAt };
    },
  };
}

/** The empty footprint of a buyer without history. */
export function footprintOf(index: HistoryIndex, userId: string): HistoryFootprint {
  return index.footprint.get(userId) ?? { categories: new Set(), values: new Set() };
}

/**
 * Analytic business portrait from the tuples. Rules, first match wins, on the buyer's order
 * statistics (orders, pieces per order, leaf-category breadth, top-level shares):
 * - `drop_shipper`: ≥ 4 orders with ≤ 3 pieces per order on average (single-piece fulfilment);
 * - `wholesaler`: ≥ 150 pieces per order on average;
 * - `gift_shop`: ≥ 3 main leaf categories and ≥ 50% of behaviour in gift-like top-level
 *   categories (toys, trading cards, stationery, accessories, home);
 * - `live_stream`: ≥ 40% of behaviour in the last 8 weeks and ≥ 6 orders (a fast-turnover buyer);
 * - `cross_border`: ≥ 40 pieces per order and ≥ 3 top-level categories;
 * - `boutique`: otherwise (a concentrated shop buying small lots).
 * Drop-shipper type (only for drop-shippers): `store_group` (≥ 4 main leaf categories: a
 * no-inventory multi-store operator), `curated` (otherwise). Main categories: leaf categories
 * with ≥ 5% of behaviour weight (at most 6), shares summing the kept categories' weight over all.
 */
import type { Vocabulary } from "../../contracts/kg.js";
import type { EventType } from "../../contracts/records.js";
import { daysBetween } from "../../lib/time.js";
import type { Tuple } from "../../contracts/behaviour.js";
import type { Portrait } from "../../contracts/portrait.js";
import { B_TYPES } from "../../contracts/portrait.js";
import { BEHAVIOUR_WEIGHT, SEARCH_CATEGORY_ID } from "../../lib/tuples.js";

const B_TYPE_ZH: Record<(typeof B_TYPES)[number], string> = {
  boutique: "实体精品店",
  wholesaler: "批发商",
  live_stream: "直播卖家",
  drop_shipper: "一件代发卖家",
  cross_border: "跨境卖家",
  gift_shop: "礼品店",
};

const GIFT_LIKE = /玩具|卡|文具|饰品|配饰|家居|礼品|潮玩/;

export interface PortraitStats {
  orders: number;
  pieces: number;
  piecesPerOrder: number;
  recentShare: number;
  topLevelCount: number;
  giftShare: number;
}

function tupleWeight(t: Tuple): number {
  return Object.entries(t.counts).reduce((s, [k, n]) => s + BEHAVIOUR_WEIGHT[k as EventType] * n, 0);
}

export function portraitStats(tuples: Tuple[], vocab: Vocabulary, asOf: string): PortraitStats {
  const cat = new Map(vocab.categories.map((c) => [c.id, c]));
  const top = (id: string): string => {
    let c = cat.get(id);
    while (c && c.parentId) c = cat.get(c.parentId);
    return c?.id ?? id;
  };
  let orders = 0;
  let pieces = 0;
  let total = 0;
  let recent = 0;
  let gift = 0;
  const tops = new Map<string, number>();
  for (const t of tuples) {
    if (t.categoryId === SEARCH_CATEGORY_ID) continue;
    const w = tupleWeight(t);
    orders += t.counts.order ?? 0;
    pieces += t.quantity;
    total += w;
    if (daysBetween(t.weekStart, asOf) <= 56) recent += w;
    const topId = top(t.categoryId);
    tops.set(topId, (tops.get(topId) ?? 0) + w);
    const topName = cat.get(topId)?.name ?? "";
    if (GIFT_LIKE.test(topName)) gift += w;
  }
  const significantTops = [...tops.values()].filter((w) => total > 0 && w / total >= 0.1).length;
  return {
    orders,
    pieces,
    piecesPerOrder: orders > 0 ? pieces / orders : 0,
    recentShare: total > 0 ? recent / total : 0,
    topLevelCount: significantTops,
    giftShare: total > 0 ? gift / total : 0,
  };
}

export function mainCategories(tuples: Tuple[], vocab: Vocabulary): Portrait["mainCategories"] {
  const names = new Map(vocab.categories.map((c) => [c.id, c.name]));
  const byCat = new Map<string, number>();
  let total = 0;
  for (const t of tuples) {
    if (t.categoryId === SEARCH_CATEGORY_ID) continue;
    const w = tupleWeight(t);
    byCat.set(t.categoryId, (byCat.get(t.categoryId) ?? 0) + w);
    total += w;
  }
  return [...byCat.entries()]
    .map(([categoryId, w]) => ({ categoryId, name: names.get(categoryId) ?? categoryId, share: total > 0 ? w / total : 0 }))
    .filter((c) => c.share >= 0.05)
    .sort((a, b) => b.share - a.share || a.categoryId.localeCompare(b.categoryId))
    .slice(0, 6)
    .map((c) => ({ ...c, share: Math.round(c.share * 1000) / 1000 }));
}

function topValues(tuples: Tuple[], n: number): string[] {
  const w = new Map<string, number>();
  for (const t of tuples) for (const f of t.factors) w.set(f.name, (w.get(f.name) ?? 0) + f.weight);
  return [...w.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k]) => k);
}

export function analyticPortrait(tuples: Tuple[], vocab: Vocabulary, asOf: string): Portrait {
  const s = portraitStats(tuples, vocab, asOf);
  const mains = mainCategories(tuples, vocab);
  const reasons: string[] = [
    `订单 ${s.orders} 笔，共 ${s.pieces} 件，平均每单 ${s.piecesPerOrder.toFixed(1)} 件`,
    `主营叶子类目 ${mains.length} 个，一级类目 ${s.topLevelCount} 个，礼品类占比 ${(s.giftShare * 100).toFixed(0)}%`,
    `近 8 周行为占比 ${(s.recentShare * 100).toFixed(0)}%`,
  ];
  let bType: Portrait["bType"] = "boutique";
  if (s.orders >= 4 && s.piecesPerOrder <= 3) bType = "drop_shipper";
  else if (s.piecesPerOrder >= 150) bType = "wholesaler";
  else if (mains.length >= 3 && s.giftShare >= 0.5) bType = "gift_shop";
  else if (s.recentShare >= 0.4 && s.orders >= 6) bType = "live_stream";
  else if (s.piecesPerOrder >= 40 && s.topLevelCount >= 3) bType = "cross_border";
  const dropShipperType: Portrait["dropShipperType"] =
    bType !== "drop_shipper" ? "none" : mains.length >= 4 ? "store_group" : "curated";
  const catNames = mains.slice(0, 3).map((c) => c.name);
  const values = topValues(tuples, 3);
  const zh = B_TYPE_ZH[bType];
  const catText = catNames.length > 0 ? catNames.join("、") : "暂无明确类目";
  const valText = values.length > 0 ? values.join("、") : "暂无明显偏好";
  return {
    reasons,
    mainCategories: mains,
    bType,
    dropShipperType,
    coreIntent: `${zh}采购${catText}，偏好${valText}`,
    profile: {
      identity: `${zh}${dropShipperType !== "none" ? `（${dropShipperType === "store_group" ? "店群代发" : "精品代发"}）` : ""}`,
      customerGroup: values.length > 0 ? `偏好${valText}风格的终端消费者` : "终端消费者",
      operatingStrategy:
        bType === "wholesaler"
          ? "大批量拿货、薄利走量"
          : bType === "drop_shipper"
            ? "零库存、按单代发"
            : `小批量多频次补货，平均每单 ${Math.round(s.piecesPerOrder)} 件`,
      purchaseMotive: `为${catText}补货与上新`,
    },
  };
}

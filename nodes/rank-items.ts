/**
 * rank_items — reads `retrieved`, `finalQueries`, `trends`, `context.recentlyOrderedItemIds`;
 * writes `ranked`: one list of `finalListSize` items. Each item's score is its best retrieval
 * score × boosts (new item: launched within `newItemDays`; trend: carries a value of a trend
 * selling point; new seller: joined within `newSellerDays`); items ordered in the last
 * `recentOrderWeeks` are excluded when `excludeRecentlyOrdered`; duplicates are merged (all
 * queries kept); the list interleaves the queries' own rankings, queries in order of U-Q score,
 * sharing slots in proportion to each query's weight (highest weight / (slots taken + 1) next, as
 * in D'Hondt apportionment; equal weights give plain round-robin). A query's weight is its U-Q
 * score × `horizonSlotWeights[horizon]`, so history-grounded queries get more slots than
 * speculative ones. Slots go first to buckets: one per category the buyer engaged with, weighted
 * (1 − `discoverySlotShare`) × the category's share of the buyer's decayed engagement
 * (nodes/engagement.ts), and one discovery bucket for queries in categories the buyer never
 * touched, weighted `discoverySlotShare`; inside a bucket the queries share its slots as above.
 * So the list follows the buyer's category mix, with new values in those categories competing
 * inside them, before discovery slots are added. "Buy again": in each bucket the items the buyer
 * engaged with before that its queries retrieved, strongest decayed engagement first, form one
 * more list that takes the buyer's re-engagement rate (lib/engagement.ts: the share of the
 * buyer's recent items that were items engaged before) of the weight of the bucket's history
 * queries (long, recent), which keep the rest; queries for new values keep their weight.
 * A category of the buyer that no final query covers (`againInUncoveredCategories`) keeps its
 * share × the re-engagement rate, filled with the buyer's engaged items there, strongest first;
 * those items carry no query (their chain is behaviour → item, nodes/explain.ts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration, type Configuration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { daysBetween } from "../lib/time.js";
import { getDeps } from "../lib/deps.js";
import { historyEvents } from "../lib/history.js";
import { categoryShares, engagedItems, reengagementRate } from "../lib/engagement.js";
import type { ScoredQuery } from "../contracts/queries.js";
import { RetrievedItemSchema, type RetrievedItem } from "../contracts/items.js";
import { type RankedItem } from "../contracts/items.js";

export function rankList(args: {
  retrieved: Record<string, RetrievedItem[]>;
  queryOrder: string[];
  /** Slot weight per query id (default 1 each). */
  queryWeights?: Record<string, number>;
  /** Bucket per query id (default: its own); slots go first to buckets by weight, then to queries inside. */
  queryBucket?: Record<string, string>;
  /** Slot weight per bucket (default 1 each). */
  bucketWeights?: Record<string, number>;
  /** "Buy again": the buyer's decayed engagement per item, re-engagement rate (0..1) and the history queries whose weight it shares. */
  again?: { engagement: ReadonlyMap<string, number>; rate: number; historyQueryIds: ReadonlySet<string> };
  /** Lists of items outside any query (the buyer's engaged items of a category no query covers), each in its own bucket (weight from `bucketWeights`). */
  ownLists?: { bucket: string; items: Omit<RankedItem, "rank">[] }[];
  trendValueIds: Set<string>;
  excluded: Set<string>;
  asOf: string;
  cfg: Pick<Configuration, "boosts" | "newItemDays" | "newSellerDays" | "finalListSize">;
}): RankedItem[] {
  const { cfg } = args;
  const merged = new Map<string, Omit<RankedItem, "rank">>();
  const perQuery: string[][] = [];
  for (const qid of args.queryOrder) {
    const list = (args.retrieved[qid] ?? []).filter((h) => !args.excluded.has(h.itemId));
    const boosted = list.map((h) => {
      const flags = {
        newItem: daysBetween(h.launchedAt, args.asOf) <= cfg.newItemDays,
        trend: h.valueIds.some((v) => args.trendValueIds.has(v)),
        newSeller: daysBetween(h.sellerJoinedAt, args.asOf) <= cfg.newSellerDays,
      };
      const score =
        h.score * (flags.newItem ? cfg.boosts.newItem : 1) * (flags.trend ? cfg.boosts.trend : 1) * (flags.newSeller ? cfg.boosts.newSeller : 1);
      return { h, flags, score };
    });
    boosted.sort((a, b) => b.score - a.score || a.h.itemId.localeCompare(b.h.itemId));
    perQuery.push(boosted.map((b) => b.h.itemId));
    for (const { h, flags, score } of boosted) {
      const prev = merged.get(h.itemId);
      const { queryId: _q, rrf: _r, ftRank: _f, vecRank: _v, ...rest } = h;
      if (!prev) merged.set(h.itemId, { ...rest, score, queryIds: [qid], flags });
      else {
        prev.queryIds.push(qid);
        prev.score = Math.max(prev.score, score);
      }
    }
  }
  const out: RankedItem[] = [];
  const placed = new Set<string>();
  const weights = args.queryOrder.map((q) => Math.max(1e-6, args.queryWeights?.[q] ?? 1));
  const bucketOf = args.queryOrder.map((q) => args.queryBucket?.[q] ?? q);
  const again = args.again;
  if (again && again.rate > 0) {
    const rate = Math.min(1, again.rate);
    for (const b of [...new Set(bucketOf)]) {
      const members = args.queryOrder.map((_, i) => i).filter((i) => bucketOf[i] === b);
      const history = members.filter((i) => again.historyQueryIds.has(args.queryOrder[i]));
      const ids = [...new Set(members.flatMap((i) => perQuery[i]))].filter((id) => again.engagement.has(id));
      if (history.length === 0 || ids.length === 0) continue;
      ids.sort((x, y) => again.engagement.get(y)! - again.engagement.get(x)! || x.localeCompare(y));
      const historyWeight = history.reduce((s, i) => s + weights[i], 0);
      for (const i of history) weights[i] = Math.max(1e-6, weights[i] * (1 - rate));
      perQuery.push(ids);
      weights.push(Math.max(1e-6, historyWeight * rate));
      bucketOf.push(b);
    }
  }
  for (const l of args.ownLists ?? []) {
    const ids = l.items.map((i) => i.itemId).filter((id) => !args.excluded.has(id));
    for (const i of l.items) if (!merged.has(i.itemId)) merged.set(i.itemId, i);
    perQuery.push(ids);
    weights.push(1);
    bucketOf.push(l.bucket);
  }
  const bucketTaken = new Map<string, number>();
  const ownWeight = new Map(args.queryOrder.map((q) => [q, args.queryWeights?.[q] ?? 1]));
  const bucketWeight = (b: string) => Math.max(1e-6, args.bucketWeights?.[b] ?? ownWeight.get(b) ?? 1);
  const taken = perQuery.map(() => 0);
  const next = perQuery.map(() => 0);
  while (out.length < cfg.finalListSize) {
    const open: number[] = [];
    for (let q = 0; q < perQuery.length; q++) {
      while (next[q] < perQuery[q].length && placed.has(perQuery[q][next[q]])) next[q]++;
      if (next[q] < perQuery[q].length) open.push(q);
    }
    if (open.length === 0) break;
    let bucket: string | null = null;
    for (const q of open) {
      const b = bucketOf[q];
      const better = bucket === null || bucketWeight(b) / ((bucketTaken.get(b) ?? 0) + 1) > bucketWeight(bucket) / ((bucketTaken.get(bucket) ?? 0) + 1);
      if (better) bucket = b;
    }
    let best = -1;
    for (const q of open) {
      if (bucketOf[q] !== bucket) continue;
      if (best < 0 || weights[q] / (taken[q] + 1) > weights[best] / (taken[best] + 1)) best = q;
    }
    const id = perQuery[best][next[best]++];
    taken[best]++;
    bucketTaken.set(bucket!, (bucketTaken.get(bucket!) ?? 0) + 1);
    placed.add(id);
    out.push({ ...merged.get(id)!, rank: out.length + 1 });
  }
  return out;
}

/** Bucket per query and bucket weights: history categories by engagement share, one discovery bucket. */
export function slotBuckets(
  queries: readonly Pick<ScoredQuery, "id" | "categoryId">[],
  shares: ReadonlyMap<string, number>,
  discoverySlotShare: number,
  /** Categories outside any query that still get their share (filled by `ownLists`). */
  uncovered: readonly string[] = [],
  /** Multiplier of an uncovered category's share (the buyer's re-engagement rate: only that part of its demand is "buy again"). */
  uncoveredFactor = 1,
) {
  const queryBucket: Record<string, string> = {};
  for (const q of queries) queryBucket[q.id] = shares.has(q.categoryId) ? `category:${q.categoryId}` : "discovery";
  const queried = new Set(queries.filter((q) => shares.has(q.categoryId)).map((q) => q.categoryId));
  const share = new Map([...queried].map((c) => [c, shares.get(c)!]));
  for (const c of uncovered) if (shares.has(c) && !queried.has(c)) share.set(c, shares.get(c)! * uncoveredFactor);
  const total = [...share.values()].reduce((s, w) => s + w, 0);
  const bucketWeights: Record<string, number> = { discovery: discoverySlotShare };
  for (const [c, w] of share) bucketWeights[`category:${c}`] = ((1 - discoverySlotShare) * w) / (total || 1);
  return { queryBucket, bucketWeights };
}

export async function rankItems(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const cfg = readConfiguration(config);
  const deps = await getDeps(config);
  const events = await historyEvents(deps, state.userId, state.asOf!, cfg.historyWeeks);
  const engaged = engagedItems(events, state.asOf!);
  const shares = categoryShares(engaged);
  const trendValueIds = new Set((state.trends?.sellingPoints ?? []).map((s) => s.valueId).filter((v): v is string => v !== null));
  const queried = new Set(state.finalQueries.map((q) => q.categoryId));
  const rate = reengagementRate(events, state.asOf!);
  const uncovered = cfg.againInUncoveredCategories ? [...shares.keys()].filter((c) => !queried.has(c)) : [];
  const uncoveredSet = new Set(uncovered);
  const againIds = engaged.filter((i) => uncoveredSet.has(i.categoryId)).map((i) => i.itemId);
  const details = new Map((againIds.length > 0 ? await deps.kg.itemsByIds(againIds, { asOf: state.asOf! }) : []).map((h) => [h.itemId, h]));
  const ownLists = uncovered.map((c) => ({
    bucket: `category:${c}`,
    items: engaged
      .filter((i) => i.categoryId === c && details.has(i.itemId))
      .map((i) => ({ ...details.get(i.itemId)!, score: i.weight, queryIds: [], flags: { newItem: false, trend: false, newSeller: false } })),
  }));
  const ranked = rankList({
    retrieved: state.retrieved,
    queryOrder: [...state.finalQueries].sort((a, b) => b.uq.score - a.uq.score || a.id.localeCompare(b.id)).map((q) => q.id),
    queryWeights: Object.fromEntries(state.finalQueries.map((q) => [q.id, q.uq.score * cfg.horizonSlotWeights[q.horizon]])),
    ...slotBuckets(state.finalQueries, shares, cfg.discoverySlotShare, uncovered, rate),
    ownLists,
    again: {
      engagement: new Map(engaged.map((i) => [i.itemId, i.weight])),
      rate,
      historyQueryIds: new Set(state.finalQueries.filter((q) => q.horizon === "long" || q.horizon === "recent").map((q) => q.id)),
    },
    trendValueIds,
    excluded: new Set(cfg.excludeRecentlyOrdered ? (state.context?.recentlyOrderedItemIds ?? []) : []),
    asOf: state.asOf!,
    cfg,
  });
  return { ranked };
}

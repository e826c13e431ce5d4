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
 * speculative ones.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration, type Configuration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { daysBetween } from "../lib/time.js";
import { RetrievedItemSchema, type RetrievedItem } from "../contracts/items.js";
import { type RankedItem } from "../contracts/items.js";

export function rankList(args: {
  retrieved: Record<string, RetrievedItem[]>;
  queryOrder: string[];
  /** Slot weight per query id (default 1 each). */
  queryWeights?: Record<string, number>;
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
  const taken = perQuery.map(() => 0);
  const next = perQuery.map(() => 0);
  while (out.length < cfg.finalListSize) {
    let best = -1;
    for (let q = 0; q < perQuery.length; q++) {
      while (next[q] < perQuery[q].length && placed.has(perQuery[q][next[q]])) next[q]++;
      if (next[q] >= perQuery[q].length) continue;
      if (best < 0 || weights[q] / (taken[q] + 1) > weights[best] / (taken[best] + 1)) best = q;
    }
    if (best < 0) break;
    const id = perQuery[best][next[best]++];
    taken[best]++;
    placed.add(id);
    out.push({ ...merged.get(id)!, rank: out.length + 1 });
  }
  return out;
}

export async function rankItems(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const cfg = readConfiguration(config);
  const trendValueIds = new Set((state.trends?.sellingPoints ?? []).map((s) => s.valueId).filter((v): v is string => v !== null));
  const ranked = rankList({
    retrieved: state.retrieved,
    queryOrder: [...state.finalQueries].sort((a, b) => b.uq.score - a.uq.score || a.id.localeCompare(b.id)).map((q) => q.id),
    queryWeights: Object.fromEntries(state.finalQueries.map((q) => [q.id, q.uq.score * cfg.horizonSlotWeights[q.horizon]])),
    trendValueIds,
    excluded: new Set(cfg.excludeRecentlyOrdered ? (state.context?.recentlyOrderedItemIds ?? []) : []),
    asOf: state.asOf!,
    cfg,
  });
  return { ranked };
}

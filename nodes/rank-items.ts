/**
 * rank_items — reads `retrieved`, `finalQueries`, `trends`, `context.recentlyOrderedItemIds`;
 * writes `ranked`: one list of `finalListSize` items. Each item's score is its best retrieval
 * score × boosts (new item: launched within `newItemDays`; trend: carries a value of a trend
 * selling point; new seller: joined within `newSellerDays`); items ordered in the last
 * `recentOrderWeeks` are excluded when `excludeRecentlyOrdered`; duplicates are merged (all
 * queries kept); the list interleaves the queries' own rankings round-robin, queries in order of
 * U-Q score.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration, type Configuration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { daysBetween } from "./time.js";
import { RetrievedItemSchema, type RetrievedItem } from "./retrieve-items.js";

export const RankedItemSchema = RetrievedItemSchema.omit({ queryId: true, rrf: true, ftRank: true, vecRank: true }).extend({
  rank: z.number().int().positive(),
  queryIds: z.array(z.string()),
  flags: z.object({ newItem: z.boolean(), trend: z.boolean(), newSeller: z.boolean() }),
});
export type RankedItem = z.infer<typeof RankedItemSchema>;

export function rankList(args: {
  retrieved: Record<string, RetrievedItem[]>;
  queryOrder: string[];
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
  for (let i = 0; out.length < cfg.finalListSize && perQuery.some((l) => l.length > i); i++) {
    for (const l of perQuery) {
      const id = l[i];
      if (!id || placed.has(id)) continue;
      placed.add(id);
      out.push({ ...merged.get(id)!, rank: out.length + 1 });
      if (out.length >= cfg.finalListSize) break;
    }
  }
  return out;
}

export async function rankItems(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const cfg = readConfiguration(config);
  const trendValueIds = new Set((state.trends?.sellingPoints ?? []).map((s) => s.valueId).filter((v): v is string => v !== null));
  const ranked = rankList({
    retrieved: state.retrieved,
    queryOrder: [...state.finalQueries].sort((a, b) => b.uq.score - a.uq.score || a.id.localeCompare(b.id)).map((q) => q.id),
    trendValueIds,
    excluded: new Set(cfg.excludeRecentlyOrdered ? (state.context?.recentlyOrderedItemIds ?? []) : []),
    asOf: state.asOf!,
    cfg,
  });
  return { ranked };
}

/**
 * retrieve_items — reads `finalQueries`; writes `retrieved`: per query up to `itemsPerQuery`
 * items, full-text (cjk) + vector search fused by reciprocal rank within the query's category
 * subtree, weighted by the query's U-Q score (UQ2I; kg/retrieval.ts). History queries (long,
 * recent) also fuse the buyer's engaged items of their category (nodes/engagement.ts), ordered by
 * decayed engagement and by how many of the query's values each carries.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { retrieveForQuery } from "../kg/retrieval.js";
import { queryVectors } from "./diversify.js";
import { historyEvents } from "./load-context.js";
import { engagedForQuery, engagedItems } from "./engagement.js";

export const RetrievedItemSchema = z.object({
  itemId: z.string(),
  queryId: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  categoryId: z.string(),
  price: z.number(),
  moq: z.number(),
  launchedAt: z.string(),
  sellerId: z.string(),
  sellerJoinedAt: z.string(),
  valueIds: z.array(z.string()),
  score: z.number(),
  rrf: z.number(),
  ftRank: z.number().nullable(),
  vecRank: z.number().nullable(),
});
export type RetrievedItem = z.infer<typeof RetrievedItemSchema>;

export async function retrieveItems(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const qs = state.finalQueries;
  if (qs.length === 0) return { retrieved: {} };
  const vectors = await queryVectors(deps, qs.map((q) => q.text));
  const engaged = engagedItems(await historyEvents(deps, state.userId, state.asOf!, cfg.historyWeeks), state.asOf!);
  const lists = await Promise.all(
    qs.map((q, i) =>
      retrieveForQuery(deps.kg, vectors[i], { id: q.id, text: q.text, categoryId: q.categoryId, uq: q.uq.score }, {
        asOf: state.asOf!,
        limit: cfg.itemsPerQuery,
        engagedItemIds: q.horizon === "long" || q.horizon === "recent" ? engagedForQuery(engaged, q.categoryId, q.valueIds).map((e) => e.itemId) : [],
      }),
    ),
  );
  return { retrieved: Object.fromEntries(qs.map((q, i) => [q.id, lists[i]])) };
}

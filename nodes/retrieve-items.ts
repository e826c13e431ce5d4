/**
 * retrieve_items — reads `finalQueries`; writes `retrieved`: per query up to `itemsPerQuery`
 * items, full-text (cjk) + vector search fused by reciprocal rank within the query's category
 * subtree, weighted by the query's U-Q score (UQ2I; kg/retrieval.ts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { retrieveForQuery } from "../kg/retrieval.js";
import { queryVectors } from "./diversify.js";

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
  const lists = await Promise.all(
    qs.map((q, i) =>
      retrieveForQuery(deps.kg, vectors[i], { id: q.id, text: q.text, categoryId: q.categoryId, uq: q.uq.score }, { asOf: state.asOf!, limit: cfg.itemsPerQuery }),
    ),
  );
  return { retrieved: Object.fromEntries(qs.map((q, i) => [q.id, lists[i]])) };
}

/**
 * retrieve_items — reads `finalQueries`; writes `retrieved`: per query up to `itemsPerQuery`
 * items, full-text (cjk) + vector search fused by reciprocal rank within the query's category
 * subtree, weighted by the query's U-Q score (UQ2I; kg/retrieval.ts). History queries (long,
 * recent) also fuse the buyer's engaged items of their category (nodes/engagement.ts), ordered by
 * decayed engagement and by how many of the query's values each carries.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { retrieveForQuery } from "../kg/retrieval.js";
import { queryVectors } from "../lib/vectors.js";
import { historyEvents } from "../lib/history.js";
import { engagedForQuery, engagedItems } from "../lib/engagement.js";

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

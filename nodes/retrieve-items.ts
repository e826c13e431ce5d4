/**
 * retrieve_items — reads `finalQueries`; writes `retrieved`: per query up to `itemsPerQuery`
 * items, full-text (cjk) + vector search fused by reciprocal rank within the query's category
 * subtree, weighted by the query's U-Q score (UQ2I; kg/retrieval.ts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { retrieveForQuery } from "../kg/retrieval.js";
import { queryVectors } from "../lib/vectors.js";

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

/**
 * Query embeddings through the run's embedder, memoised per deps (diversify and retrieve_items
 * share them).
 */
import type { GraphDeps } from "../contracts/deps.js";

/** The query embedding of a query text, memoised (diversify and retrieve_items share it). */
export function queryVector(deps: GraphDeps, text: string): Promise<number[]> {
  return deps.memo.get(`qvec:${text}`, () => deps.embedder.embedQuery(text), 600_000);
}

/** Query embeddings of many texts: one batched request when the embedder can, else one memoised request each. */
export function queryVectors(deps: GraphDeps, texts: string[]): Promise<number[][]> {
  if (deps.embedder.embedQueries) return deps.embedder.embedQueries(texts);
  return Promise.all(texts.map((t) => queryVector(deps, t)));
}


/**
 * diversify — reads `scored`; writes `finalQueries`: at most `finalQueryCount` queries chosen by
 * maximal marginal relevance over query-text embeddings, MMR = λ·uq − (1−λ)·max cosine to the
 * chosen ones, plus a coverage bonus of (1−λ)/2 each for a category and a horizon not yet
 * covered (λ = `diversityWeight`).
 */
import { cosine } from "../llm/embeddings.js";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { type GraphDeps } from "../contracts/deps.js";
import type { ScoredQuery } from "../contracts/queries.js";
import { queryVectors } from "../lib/vectors.js";

/** Pure MMR with category / horizon coverage; returns indices into `queries` in pick order. */
export function mmrSelect(queries: Pick<ScoredQuery, "categoryId" | "horizon" | "uq">[], vectors: number[][], k: number, lambda: number): number[] {
  const chosen: number[] = [];
  const cats = new Set<string>();
  const horizons = new Set<string>();
  const left = new Set(queries.map((_, i) => i));
  while (chosen.length < k && left.size > 0) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of left) {
      const sim = chosen.length === 0 ? 0 : Math.max(...chosen.map((j) => cosine(vectors[i], vectors[j])));
      const coverage = (cats.has(queries[i].categoryId) ? 0 : 0.5) + (horizons.has(queries[i].horizon) ? 0 : 0.5);
      const s = lambda * queries[i].uq.score - (1 - lambda) * sim + (1 - lambda) * coverage;
      if (s > bestScore || (s === bestScore && i < best)) {
        best = i;
        bestScore = s;
      }
    }
    chosen.push(best);
    left.delete(best);
    cats.add(queries[best].categoryId);
    horizons.add(queries[best].horizon);
  }
  return chosen;
}

export async function diversify(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  if (state.scored.length === 0) return { finalQueries: [] };
  const vectors = await queryVectors(deps, state.scored.map((q) => q.text));
  const picks = mmrSelect(state.scored, vectors, cfg.finalQueryCount, cfg.diversityWeight);
  return { finalQueries: picks.map((i) => state.scored[i]) };
}

/**
 * Builds the JSON result contract (`graph/result.ts`) from the final state of a graph run. A
 * server-side adapter until the graph exports its own state-to-result function; it reads only
 * state fields documented in `graph/state.ts`.
 */
import type { RecommendationResult } from "../graph/result.js";
import type { GraphState } from "../graph/state.js";

export function stateToResult(state: GraphState, meta: { runId: string; userId: string; now?: () => Date }): RecommendationResult {
  const verdicts = state.verdicts ?? {};
  const queries = (state.finalQueries ?? []).map((q) => {
    const v = verdicts[q.id];
    return {
      id: q.id,
      text: q.text,
      categoryId: q.categoryId,
      categoryName: q.categoryName,
      valueIds: q.valueIds,
      values: q.values,
      horizon: q.horizon,
      evidence: q.evidence,
      uq: { score: q.uq.score, paths: q.uq.paths.map((p) => ({ type: p.type, weight: p.weight, description: p.description })) },
      critic: { verdict: v?.verdict ?? "pass", issues: v?.issues ?? [], loops: q.criticRound },
    };
  });
  const explanations = state.explanations ?? {};
  const items = (state.ranked ?? []).map((i) => ({
    rank: i.rank,
    itemId: i.itemId,
    title: i.title,
    shortTitle: i.shortTitle,
    categoryId: i.categoryId,
    price: i.price,
    moq: i.moq,
    launchedAt: i.launchedAt,
    score: i.score,
    queryIds: i.queryIds,
    flags: i.flags,
    chain: explanations[i.itemId] ?? [],
  }));
  const c = state.compression;
  return {
    userId: meta.userId,
    asOf: state.asOf ?? "",
    runId: meta.runId,
    generatedAt: (meta.now?.() ?? new Date()).toISOString(),
    portrait: (state.portrait ?? {}) as Record<string, unknown>,
    cfv: (state.cfv ?? {}) as Record<string, unknown>,
    compression: {
      tuples: c?.tuples.length ?? 0,
      rawTokens: c?.rawTokens ?? 0,
      compressedTokens: c?.compressedTokens ?? 0,
      factorMassKept: c?.factorMassShare ?? 0,
      text: c?.text ?? "",
    },
    trends: [
      ...(state.trends?.sellingPoints ?? []).map((p) => ({ ...p }) as Record<string, unknown>),
      ...(state.trends?.docs ?? []).map((d) => ({ ...d, kind: "document" }) as Record<string, unknown>),
    ],
    queries,
    items,
    hallucination: state.hallucination ?? { before: 0, after: 0, loops: state.criticRounds ?? 0 },
    steps: state.steps ?? [],
    timings: state.timings ?? [],
  };
}

/** Turns a finished graph state into the JSON result contract (contracts/result.ts). */
import { randomUUID } from "node:crypto";
import { RecommendationResult } from "../contracts/result.js";
import type { GraphState } from "../contracts/state.js";

export function toResult(state: GraphState, opts: { runId?: string; now?: () => Date } = {}): RecommendationResult {
  const c = state.compression;
  const queryById = new Map(state.finalQueries.map((q) => [q.id, q]));
  const result: RecommendationResult = {
    userId: state.userId,
    asOf: state.asOf!,
    runId: opts.runId ?? randomUUID(),
    generatedAt: (opts.now ?? (() => new Date()))().toISOString(),
    portrait: { ...(state.portrait ?? {}) },
    cfv: { categories: state.cfv?.categories ?? [] },
    compression: {
      tuples: c?.tuples.length ?? 0,
      rawTokens: c?.rawTokens ?? 0,
      compressedTokens: c?.compressedTokens ?? 0,
      factorMassKept: c?.factorMassShare ?? 1,
      text: c?.text ?? "",
    },
    trends: (state.trends?.sellingPoints ?? []).map((sp) => ({
      ...sp,
      docs: sp.docIds.map((id) => state.trends!.docs.find((d) => d.id === id)).filter((d) => d !== undefined).map((d) => ({ id: d.id, source: d.source, title: d.title })),
    })),
    queries: state.finalQueries.map((q) => ({
      id: q.id,
      text: q.text,
      categoryId: q.categoryId,
      categoryName: q.categoryName,
      valueIds: q.valueIds,
      values: q.values,
      horizon: q.horizon,
      evidence: q.evidence,
      uq: { score: q.uq.score, paths: q.uq.paths.map(({ type, weight, description }) => ({ type, weight, description })) },
      critic: { verdict: state.verdicts[q.id]?.verdict ?? "pass", issues: state.verdicts[q.id]?.issues ?? [], loops: q.criticRound },
    })),
    items: state.ranked.map((i) => ({
      rank: i.rank,
      itemId: i.itemId,
      title: i.title,
      shortTitle: i.shortTitle,
      categoryId: i.categoryId,
      price: i.price,
      moq: i.moq,
      launchedAt: i.launchedAt,
      score: i.score,
      queryIds: i.queryIds.filter((id) => queryById.has(id)),
      flags: i.flags,
      chain: state.explanations[i.itemId] ?? [],
    })),
    hallucination: state.hallucination ?? { before: 0, after: 0, loops: state.criticRounds },
    steps: state.steps,
    timings: state.timings,
  };
  return RecommendationResult.parse(result);
}

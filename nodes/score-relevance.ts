/**
 * score_relevance — reads `candidates`, `verdicts`; queries that failed after the critic cap are
 * dropped here. Scores the passing ones with the KG-path U-Q scorer (kg/uq.ts) on the buyer's
 * history events the run already read (one Cypher round trip for paired categories and trends)
 * and keeps those at or above `uqThreshold`; writes `scored` (query + U-Q score + paths) and
 * `dropped` (query id + reason). With no trend sources configured the trend path weighs 0.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { QuerySchema } from "../contracts/queries.js";
import { UQ_FEATURES } from "../contracts/uq.js";
import { historyEvents } from "../lib/history.js";
import { type Dropped, type ScoredQuery } from "../contracts/queries.js";

export async function scoreRelevance(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const dropped: Dropped[] = [];
  const passing = state.candidates.filter((q) => {
    const v = state.verdicts[q.id];
    if (v?.verdict === "pass") return true;
    dropped.push({ queryId: q.id, text: q.text, reason: `critic: ${(v?.issues ?? ["not critiqued"]).join("; ")}` });
    return false;
  });
  const events = await historyEvents(deps, state.userId, state.asOf!, cfg.historyWeeks);
  const scores = await deps.uq.score({
    userId: state.userId,
    asOf: state.asOf!,
    behaviour: events.flatMap((e) =>
      e.type !== "search" && e.itemId && e.categoryId ? [{ itemId: e.itemId, categoryId: e.categoryId, valueIds: e.values.map((v) => v.id), type: e.type, at: e.at }] : [],
    ),
    queries: passing.map((q) => ({ id: q.id, categoryId: q.categoryId, valueIds: q.valueIds })),
    weights: cfg.trendSources.length > 0 ? cfg.uqWeights : { ...(cfg.uqWeights ?? {}), trend: 0 },
    historyDays: cfg.historyWeeks * 7,
    trendDays: cfg.trendWeeks * 7,
  });
  const byId = new Map(scores.map((s) => [s.queryId, s]));
  const scored: ScoredQuery[] = [];
  for (const q of passing) {
    const s = byId.get(q.id)!;
    if (s.score < cfg.uqThreshold) {
      dropped.push({ queryId: q.id, text: q.text, reason: `U-Q score ${s.score} below ${cfg.uqThreshold}` });
      continue;
    }
    scored.push({ ...q, uq: { score: s.score, features: s.features, paths: s.paths }, criticRound: state.verdicts[q.id].round });
  }
  scored.sort((a, b) => b.uq.score - a.uq.score || a.id.localeCompare(b.id));
  return { scored, dropped };
}

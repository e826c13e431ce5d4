/**
 * Pure routers over state, each with its explicit destination map. The critic loop is bounded by
 * `maxCriticLoops` through the `criticRounds` counter, never by the recursion limit.
 */
import type { GraphState } from "../contracts/state.js";

export const AFTER_CRITIC = {
  regenerate: "generate_queries",
  score: "score_relevance",
} as const;

/**
 * After a critic round: back to the generator while some query failed and fewer than
 * `maxCriticLoops` rounds have sent queries back; otherwise on (failures are dropped there).
 */
export function routeAfterCritic(
  state: Pick<GraphState, "candidates" | "verdicts" | "criticRounds">,
  maxCriticLoops: number,
): keyof typeof AFTER_CRITIC {
  const failed = state.candidates.some((q) => state.verdicts[q.id]?.verdict === "fail");
  return failed && state.criticRounds <= maxCriticLoops ? "regenerate" : "score";
}


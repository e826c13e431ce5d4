/**
 * Cost metrics: latency percentiles, LLM calls / prompt / completion tokens per buyer, and the
 * share of degraded steps per reasoning role.
 */
import { type EvalResult, fmt, mean } from "./types.js";

/** The p-th percentile (0..100) by linear interpolation between closest ranks; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function latencyEvaluators(ms: readonly number[]): EvalResult[] {
  const p50 = percentile(ms, 50);
  const p95 = percentile(ms, 95);
  return [
    { key: "latency_p50_ms", score: p50, comment: `median wall time per buyer over ${ms.length} runs: ${fmt(p50, 0)} ms` },
    { key: "latency_p95_ms", score: p95, comment: `95th percentile wall time per buyer: ${fmt(p95, 0)} ms` },
  ];
}

/** Per-buyer cost: the sum over a run's steps. */
export interface RunCost {
  llmCalls: number;
  promptTokens: number;
  /** Completion tokens the server reported (0 when it reported none). */
  completionTokens?: number;
}

export function costEvaluators(runs: readonly RunCost[]): EvalResult[] {
  const calls = mean(runs.map((r) => r.llmCalls));
  const tokens = mean(runs.map((r) => r.promptTokens));
  const completion = mean(runs.map((r) => r.completionTokens ?? 0));
  return [
    { key: "llm_calls_per_buyer", score: calls, comment: `mean LLM calls per buyer over ${runs.length} runs: ${fmt(calls, 2)}` },
    { key: "prompt_tokens_per_buyer", score: tokens, comment: `mean prompt tokens per buyer: ${fmt(tokens, 0)}` },
    { key: "completion_tokens_per_buyer", score: completion, comment: `mean completion tokens per buyer (server usage): ${fmt(completion, 0)}` },
  ];
}

/**
 * Per reasoning role that asked a model at least once: the share of its steps that fell back to
 * the analytic reasoner (`degraded_rate_<role>`), with the count.
 */
export function degradedByRoleEvaluators(steps: readonly { role: string; degraded: boolean; llmCalls: number }[]): EvalResult[] {
  const roles = [...new Set(steps.filter((s) => s.llmCalls > 0).map((s) => s.role))].sort();
  return roles.map((role) => {
    const mine = steps.filter((s) => s.role === role && s.llmCalls > 0);
    const degraded = mine.filter((s) => s.degraded).length;
    return { key: `degraded_rate_${role}`, score: degraded / mine.length, comment: `${degraded} of ${mine.length} ${role} steps that asked the model fell back to the analytic reasoner` };
  });
}

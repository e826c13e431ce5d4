/**
 * Cost metrics: latency percentiles and LLM calls / prompt tokens per buyer.
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
}

export function costEvaluators(runs: readonly RunCost[]): EvalResult[] {
  const calls = mean(runs.map((r) => r.llmCalls));
  const tokens = mean(runs.map((r) => r.promptTokens));
  return [
    { key: "llm_calls_per_buyer", score: calls, comment: `mean LLM calls per buyer over ${runs.length} runs: ${fmt(calls, 2)}` },
    { key: "prompt_tokens_per_buyer", score: tokens, comment: `mean prompt tokens per buyer: ${fmt(tokens, 0)}` },
  ];
}

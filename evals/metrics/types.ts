/**
 * The evaluator result shape shared by every metric (LangSmith's convention): a stable `key`, a
 * `score` (a number; rates are in 0..1, counts and latencies are in their own unit) and a human
 * `comment` that says what was measured.
 */
export interface EvalResult {
  key: string;
  score: number;
  comment: string;
}

/** Mean of a list; 0 for an empty list. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Rounds for comments only (scores stay exact). */
export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

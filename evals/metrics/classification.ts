/**
 * Binary classification metrics: precision / recall / F1 (positive = "flagged", e.g. a critic's
 * fail verdict on a hallucinated query) and ROC AUC by the Mann–Whitney rank statistic.
 */
import { type EvalResult, fmt } from "./types.js";

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusion(pairs: readonly { predicted: boolean; actual: boolean }[]): Confusion {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { predicted, actual } of pairs) {
    if (predicted && actual) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Precision, recall and F1; each is 0 when its denominator is 0. */
export function prf(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * ROC AUC: the probability that a random positive scores above a random negative, ties counting
 * one half (average ranks). NaN when either class is empty.
 */
export function auc(samples: readonly { score: number; label: boolean }[]): number {
  const sorted = samples.map((s, i) => ({ ...s, i })).sort((a, b) => a.score - b.score);
  const ranks = new Array<number>(sorted.length);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].score === sorted[i].score) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = avg;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  sorted.forEach((s, k) => {
    if (s.label) {
      pos++;
      rankSum += ranks[k];
    }
  });
  const neg = sorted.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Precision, recall and F1 as three evaluator results with a shared `prefix`. */
export function prfEvaluators(prefix: string, pairs: readonly { predicted: boolean; actual: boolean }[]): EvalResult[] {
  const c = confusion(pairs);
  const { precision, recall, f1 } = prf(c);
  const cm = `tp=${c.tp} fp=${c.fp} fn=${c.fn} tn=${c.tn}`;
  return [
    { key: `${prefix}_precision`, score: precision, comment: `${cm}: ${fmt(precision)}` },
    { key: `${prefix}_recall`, score: recall, comment: `${cm}: ${fmt(recall)}` },
    { key: `${prefix}_f1`, score: f1, comment: `${cm}: ${fmt(f1)}` },
  ];
}

export function aucEvaluator(key: string, samples: readonly { score: number; label: boolean }[]): EvalResult {
  const score = auc(samples);
  const pos = samples.filter((s) => s.label).length;
  return { key, score, comment: `ROC AUC over ${samples.length} pairs (${pos} positive): ${fmt(score)}` };
}

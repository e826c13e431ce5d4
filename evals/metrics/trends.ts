/**
 * Trend-term extraction: micro-averaged precision and recall of extracted terms against the
 * labelled terms of each document. Terms are compared after NFKC normalisation, trimming and
 * lower-casing. Noise and injection documents have no labelled terms, so anything extracted
 * from them counts against precision.
 */
import { type EvalResult, fmt } from "./types.js";

export function normTerm(t: string): string {
  return t.normalize("NFKC").trim().toLowerCase();
}

export interface TermCase {
  docId: string;
  gold: readonly string[];
  predicted: readonly string[];
}

export function termPrecisionRecall(cases: readonly TermCase[]): { precision: number; recall: number; tp: number; predicted: number; gold: number } {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const c of cases) {
    const g = new Set(c.gold.map(normTerm));
    const p = new Set(c.predicted.map(normTerm));
    gold += g.size;
    predicted += p.size;
    for (const t of p) if (g.has(t)) tp++;
  }
  return { precision: predicted === 0 ? 0 : tp / predicted, recall: gold === 0 ? 0 : tp / gold, tp, predicted, gold };
}

/**
 * Lenient phrase matching for labelled trend phrases (e.g. 奶油风抱枕): an extracted term is
 * correct when it occurs inside one of the document's labelled phrases (precision), and a
 * labelled phrase is found when some extracted term occurs inside it (recall).
 */
export function lenientTermPrecisionRecall(cases: readonly TermCase[]): { precision: number; recall: number; correct: number; predicted: number; found: number; gold: number } {
  let correct = 0;
  let predicted = 0;
  let found = 0;
  let gold = 0;
  for (const c of cases) {
    const g = [...new Set(c.gold.map(normTerm))];
    const p = [...new Set(c.predicted.map(normTerm))].filter((t) => t.length > 0);
    predicted += p.length;
    gold += g.length;
    correct += p.filter((t) => g.some((x) => x.includes(t))).length;
    found += g.filter((x) => p.some((t) => x.includes(t))).length;
  }
  return { precision: predicted === 0 ? 0 : correct / predicted, recall: gold === 0 ? 0 : found / gold, correct, predicted, found, gold };
}

export function trendTermEvaluators(cases: readonly TermCase[]): EvalResult[] {
  const r = termPrecisionRecall(cases);
  const cm = `${r.tp} correct of ${r.predicted} extracted, ${r.gold} labelled over ${cases.length} docs`;
  return [
    { key: "trend_term_precision", score: r.precision, comment: `${cm}: ${fmt(r.precision)}` },
    { key: "trend_term_recall", score: r.recall, comment: `${cm}: ${fmt(r.recall)}` },
  ];
}

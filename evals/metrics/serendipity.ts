/**
 * Beyond-accuracy metrics against a primitive recommender (Ge, Delgado-Battenfeld & Jannach 2010,
 * "Beyond accuracy"): with PM the primitive model's list (here the cocoon baseline's) and RS the
 * system's list, unexpectedness is |RS \ PM| / |RS| and serendipity is |(RS \ PM) ∩ relevant| / K,
 * relevant = the buyer's held-out items. Both are means over buyers.
 */
import { type EvalResult, fmt, mean } from "./types.js";

export interface SerendipityCase {
  list: readonly string[];
  primitive: readonly string[];
  relevant: ReadonlySet<string>;
}

export function unexpectedness(c: SerendipityCase): number {
  if (c.list.length === 0) return 0;
  const pm = new Set(c.primitive);
  return c.list.filter((i) => !pm.has(i)).length / c.list.length;
}

export function serendipity(c: SerendipityCase, k: number): number {
  const pm = new Set(c.primitive);
  return c.list.slice(0, k).filter((i) => !pm.has(i) && c.relevant.has(i)).length / k;
}

export function serendipityEvaluators(cases: readonly SerendipityCase[], k: number, primitiveName: string): EvalResult[] {
  const ser = mean(cases.map((c) => serendipity(c, k)));
  const unx = mean(cases.map(unexpectedness));
  return [
    { key: `serendipity@${k}`, score: ser, comment: `held-out items in the top ${k} that the ${primitiveName} list does not hold, over ${k} (Ge et al.): ${fmt(ser, 4)}` },
    { key: "unexpectedness", score: unx, comment: `share of list items the ${primitiveName} list does not hold: ${fmt(unx)}` },
  ];
}

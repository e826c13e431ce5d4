/**
 * `npm run induce:train`: estimates the weights of the product-type detector
 * (`kg/induce/product-type.ts`) on the train split of the shared labelled Taobao titles
 * (`../shared/data/taobao-titles/train.bio`, HCCX spans; dev.bio is never read) and writes
 * `kg/induce/product-type-weights.json`. Logistic regression by stochastic gradient descent with
 * a fixed seed (same data → same file); features seen in fewer than 3 training titles are dropped.
 * The decision threshold is the one with the best F1 in 2-fold cross-validation on the train split.
 * Prints the cross-validated train figures.
 */
import { writeFileSync } from "node:fs";
import { catalogStats } from "../kg/induce/catalog-stats.js";
import { candidateSpans, chooseSpans, type Candidate, type ProductTypeWeights } from "../kg/induce/product-type.js";
import { normaliseTitle, segment } from "../kg/induce/segment.js";
import { readTaobao } from "../kg/induce/taobao.js";
import type { BioTitle } from "../kg/induce/bio.js";

const EPOCHS = 8;
const LEARNING_RATE = 0.2;
const DECAY = 0.7;
const L2 = 1e-4;
const MIN_FEATURE_COUNT = 3;
const THRESHOLDS = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

interface Example {
  title: BioTitle;
  candidates: Candidate[];
  labels: number[];
}

function examples(titles: readonly BioTitle[]): Example[] {
  const segmented = titles.map((t) => ({ title: t.text, tokens: segment(t.text) }));
  const stats = catalogStats(segmented);
  return titles.map((title, n) => {
    const candidates = candidateSpans(segmented[n].tokens, stats);
    const gold = new Set(title.spans.filter((s) => s.type === "HCCX").map((s) => `${s.start}:${s.end}`));
    return { title, candidates, labels: candidates.map((c) => (gold.has(`${c.start}:${c.end}`) ? 1 : 0)) };
  });
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

function train(data: readonly Example[]): Omit<ProductTypeWeights, "threshold" | "trainedOn"> {
  const count = new Map<string, number>();
  for (const e of data) for (const f of new Set(e.candidates.flatMap((c) => c.features))) count.set(f, (count.get(f) ?? 0) + 1);
  const rows = data.flatMap((e) => e.candidates.map((c, i) => ({ features: c.features.filter((f) => (count.get(f) ?? 0) >= MIN_FEATURE_COUNT), label: e.labels[i] })));
  const w = new Map<string, number>();
  let bias = 0;
  let rate = LEARNING_RATE;
  const random = lcg(1);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const { features, label } = rows[i];
      let z = bias;
      for (const f of features) z += w.get(f) ?? 0;
      const g = 1 / (1 + Math.exp(-z)) - label;
      bias -= rate * g;
      for (const f of features) {
        const v = w.get(f) ?? 0;
        w.set(f, v - rate * (g + L2 * v));
      }
    }
    rate *= DECAY;
  }
  const weights: Record<string, number> = {};
  for (const [f, v] of [...w].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (Math.abs(v) >= 1e-3) weights[f] = Math.round(v * 1e4) / 1e4;
  return { bias: Math.round(bias * 1e4) / 1e4, weights };
}

function counts(data: readonly Example[], model: Omit<ProductTypeWeights, "threshold" | "trainedOn">, threshold: number): { tp: number; predicted: number; gold: number } {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const e of data) {
    const left = e.title.spans.filter((s) => s.type === "HCCX").map((s) => normaliseTitle(s.text));
    gold += left.length;
    for (const c of chooseSpans(e.candidates, model, threshold)) {
      predicted++;
      const k = left.indexOf(c.text);
      if (k >= 0) {
        tp++;
        left.splice(k, 1);
      }
    }
  }
  return { tp, predicted, gold };
}

const f1 = ({ tp, predicted, gold }: { tp: number; predicted: number; gold: number }) => {
  const p = predicted === 0 ? 0 : tp / predicted;
  const r = gold === 0 ? 0 : tp / gold;
  return { p, r, f: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
};

function main(): void {
  const titles = readTaobao("train");
  const folds = [titles.filter((_, n) => n % 2 === 0), titles.filter((_, n) => n % 2 === 1)];
  const totals = THRESHOLDS.map(() => ({ tp: 0, predicted: 0, gold: 0 }));
  for (let k = 0; k < 2; k++) {
    const model = train(examples(folds[1 - k]));
    const held = examples(folds[k]);
    THRESHOLDS.forEach((th, i) => {
      const c = counts(held, model, th);
      totals[i].tp += c.tp;
      totals[i].predicted += c.predicted;
      totals[i].gold += c.gold;
    });
  }
  let best = 0;
  THRESHOLDS.forEach((th, i) => {
    const s = f1(totals[i]);
    console.log(`train.bio 2-fold cross-validation, threshold ${th}: precision ${s.p.toFixed(3)} recall ${s.r.toFixed(3)} F1 ${s.f.toFixed(3)}`);
    if (s.f > f1(totals[best]).f) best = i;
  });
  const model = train(examples(titles));
  const out: ProductTypeWeights = { trainedOn: `train.bio (${titles.length} titles, HCCX spans)`, threshold: THRESHOLDS[best], ...model };
  const file = new URL("../kg/induce/product-type-weights.json", import.meta.url);
  writeFileSync(file, JSON.stringify(out) + "\n");
  console.log(`threshold ${out.threshold} (best cross-validated F1); ${Object.keys(out.weights).length} weights written to kg/induce/product-type-weights.json`);
}

main();

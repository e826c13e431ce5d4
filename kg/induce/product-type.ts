/**
 * Product-type (品类词) detection in a segmented title. Candidates are every segment and every
 * run of two or three adjacent segments (so a one-character head joins the word before it,
 * 亲子 + 鞋 → 亲子鞋, and a run jieba could not segment becomes one noun, 竹 + 腾 + 椅 → 竹腾椅). Each
 * candidate is scored by a logistic model over general features: its last and first character
 * (product-type suffixes such as 裙, 鞋, 机 weigh for it), the jieba tags of its segments, its
 * length, its shape (one segment or a join), the hand seeds (`lexicon.ts`: product heads, noise,
 * attribute lexicons), the tags of its neighbours and whether a product-like word follows, its
 * place in the title, and the catalog's own statistics (`CatalogStats`: how often the string and
 * the word occur in the catalog). No word identity is a feature. The weights
 * (`product-type-weights.json`) are estimated by `npm run induce:train` on the train split of
 * the shared labelled Taobao titles only. Candidates above the threshold that are no seeded
 * attribute or noise word (also behind a modifier affix: 小碎花) are taken best first without overlap. Reads the weights file once; otherwise pure.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CatalogStats } from "./catalog-stats.js";
import { FACTOR_SEEDS, MODIFIER_AFFIXES, NOISE_WORDS, PRODUCT_HEADS } from "./lexicon.js";
import { hasHan, type Token } from "./segment.js";

export interface TermSpan {
  text: string;
  start: number;
  end: number;
}

export interface Candidate extends TermSpan {
  features: string[];
}

const HEADS = new Set([...PRODUCT_HEADS]);
const NOISE = new Set(NOISE_WORDS);
const ATTRIBUTE = new Set(Object.values(FACTOR_SEEDS).flat());
const MAX_JOINED = 6;

const bucket = (n: number): number => (n <= 0 ? 0 : Math.min(6, Math.floor(Math.log2(n)) + 1));
const end = (t: Token): number => t.start + t.word.length;

function followingChar(next: Token | undefined, at: number): string {
  if (next === undefined || next.start !== at || next.word.length !== 1) return "-";
  return HEADS.has(next.word) ? "head" : "other";
}

/** Candidate product-type spans of a segmented title with their features. */
export function candidateSpans(tokens: readonly Token[], stats: CatalogStats): Candidate[] {
  const length = tokens.length === 0 ? 1 : end(tokens[tokens.length - 1]);
  const out: Candidate[] = [];
  const add = (i0: number, i1: number, kind: string) => {
    const parts = tokens.slice(i0, i1 + 1);
    const text = parts.map((t) => t.word).join("");
    if (text.length < 2) return;
    const start = parts[0].start;
    const stop = end(parts[parts.length - 1]);
    const last = text[text.length - 1];
    const next = tokens[i1 + 1];
    const prev = tokens[i0 - 1];
    const lastTag = parts[parts.length - 1].tag;
    out.push({
      text,
      start,
      end: stop,
      features: [
        `k:${kind}`,
        `L:${last}`,
        `F:${text[0]}`,
        `T:${parts.map((t) => t.tag).join("+")}`,
        `len:${Math.min(text.length, MAX_JOINED)}`,
        `H:${HEADS.has(last)}`,
        `N:${NOISE.has(text)}`,
        `A:${ATTRIBUTE.has(text)}`,
        `ws:${bucket(stats.wordSupport(text))}`,
        `ng:${bucket(stats.ngramSupport(text))}`,
        `nt:${next ? (next.start === stop ? next.tag : "gap") : "end"}`,
        `pt:${prev ? (end(prev) === start ? prev.tag : "gap") : "begin"}`,
        `nH:${next ? next.word.length > 1 && HEADS.has(next.word[next.word.length - 1]) : "end"}`,
        `pos:${Math.floor((4 * start) / length)}`,
        `LT:${last}|${lastTag}`,
        `lat:${!hasHan(text)}`,
        `n1:${followingChar(next, stop)}`,
      ],
    });
  };
  for (let i = 0; i < tokens.length; i++) {
    add(i, i, "tok");
    for (let k = 1; k <= 2 && i - k >= 0; k++) {
      if (end(tokens[i - k]) !== tokens[i - k + 1].start) break;
      const parts = tokens.slice(i - k, i + 1);
      const text = parts.map((t) => t.word).join("");
      if (text.length > MAX_JOINED || !hasHan(text)) break;
      add(i - k, i, `join${k}:${parts.map((t) => (t.word.length === 1 ? "1" : "w")).join("")}`);
    }
  }
  return out;
}

export const ProductTypeWeightsSchema = z.object({
  trainedOn: z.string(),
  threshold: z.number().min(0).max(1),
  bias: z.number(),
  weights: z.record(z.string(), z.number()),
});
export type ProductTypeWeights = z.infer<typeof ProductTypeWeightsSchema>;

let shipped: ProductTypeWeights | undefined;

/** The shipped weights (`product-type-weights.json`, written by `npm run induce:train`). */
export function productTypeWeights(): ProductTypeWeights {
  shipped ??= ProductTypeWeightsSchema.parse(JSON.parse(readFileSync(new URL("./product-type-weights.json", import.meta.url), "utf8")));
  return shipped;
}

/** Probability that a candidate is a product type under `weights`. */
export function candidateProbability(features: readonly string[], weights: Pick<ProductTypeWeights, "bias" | "weights">): number {
  let z = weights.bias;
  for (const f of features) z += weights.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** Options of `productTypeSpans`. */
export interface ProductTypeOptions {
  /** The catalog's statistics; without them each candidate counts as seen once. */
  stats?: CatalogStats;
  /** Weights other than the shipped ones (training, tests). */
  weights?: ProductTypeWeights;
  /** Probability a candidate needs (default: the weights' threshold). */
  threshold?: number;
}

/** True when `text` is a seeded attribute or noise word, also behind a modifier affix (小碎花, 韩版款): never a product type. */
export function isAttributeOrNoise(text: string): boolean {
  if (NOISE.has(text) || ATTRIBUTE.has(text)) return true;
  return MODIFIER_AFFIXES.some((a) => (text.startsWith(a) && ATTRIBUTE.has(text.slice(a.length))) || (text.endsWith(a) && ATTRIBUTE.has(text.slice(0, -a.length))));
}

const SEEN_ONCE: CatalogStats = { ngramSupport: () => 1, wordSupport: () => 1 };

/** The candidates above `threshold` that are no attribute or noise word, best first without overlap, in title order. */
export function chooseSpans(candidates: readonly Candidate[], weights: Pick<ProductTypeWeights, "bias" | "weights">, threshold: number): TermSpan[] {
  const scored = candidates
    .map((c) => ({ c, p: candidateProbability(c.features, weights) }))
    .filter((x) => x.p > threshold && !isAttributeOrNoise(x.c.text))
    .sort((a, b) => b.p - a.p || a.c.start - b.c.start);
  const chosen: TermSpan[] = [];
  for (const { c } of scored) {
    if (!chosen.some((o) => o.start < c.end && c.start < o.end)) chosen.push({ text: c.text, start: c.start, end: c.end });
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** Product-type spans of a segmented title, left to right, by offset in the normalised title. */
export function productTypeSpans(tokens: readonly Token[], options: ProductTypeOptions = {}): TermSpan[] {
  const weights = options.weights ?? productTypeWeights();
  return chooseSpans(candidateSpans(tokens, options.stats ?? SEEN_ONCE), weights, options.threshold ?? weights.threshold);
}

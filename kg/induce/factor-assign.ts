/**
 * Factor assignment shared by catalog and trend induction: a term in a seed lexicon takes the
 * seed's factor (`SEED_FACTOR`); any other term takes the factor whose prototype (the seeds'
 * embeddings: their centre and each seed) is nearest by cosine, when it is near enough and ahead
 * of the second factor by a margin, with that cosine as its confidence. Embeds through the
 * injected `embed` (cached by the caller); otherwise pure.
 */
import { FACTOR_SEEDS } from "./lexicon.js";

/** Seed term → its factor (the first factor listing it). */
export const SEED_FACTOR: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [factor, terms] of Object.entries(FACTOR_SEEDS)) for (const t of terms) if (!m.has(t)) m.set(t, factor);
  return m;
})();

function unit(v: readonly number[]): Float32Array {
  const out = Float32Array.from(v);
  let n = 0;
  for (const x of out) n += x * x;
  const norm = Math.sqrt(n) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function mean(vectors: number[][]): number[] {
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] += v[i] / vectors.length;
  return out;
}

/**
 * Gives each candidate without a factor the nearest factor prototype's (setting `factor` and
 * `confidence`) when the cosine is ≥ `minCosine` (0.86) and leads the second factor by
 * `minMargin` (0.01). Returns every embedded term's vector (seeds and candidates).
 */
export async function assignFactorsByPrototype(
  candidates: { term: string; factor?: string; confidence: number }[],
  embed: (texts: string[]) => Promise<number[][]>,
  options: { minCosine?: number; minMargin?: number } = {},
): Promise<Map<string, number[]>> {
  const vectors = new Map<string, number[]>();
  const seedTerms = [...SEED_FACTOR.keys()];
  const texts = [...new Set([...seedTerms, ...candidates.map((c) => c.term)])];
  const embedded = await embed(texts);
  texts.forEach((t, i) => vectors.set(t, embedded[i]));
  const prototypes = Object.entries(FACTOR_SEEDS).map(([factor, terms]) => ({
    factor,
    vectors: terms.map((t) => unit(vectors.get(t) as number[])),
    centre: unit(mean(terms.map((t) => vectors.get(t) as number[]))),
  }));
  const minCos = options.minCosine ?? 0.86;
  const minMargin = options.minMargin ?? 0.01;
  for (const c of candidates) {
    if (c.factor) continue;
    const v = unit(vectors.get(c.term) as number[]);
    const nearest = prototypes
      .map((p) => ({ p, centre: dot(v, p.centre) }))
      .sort((a, b) => b.centre - a.centre)
      .slice(0, 3);
    const scored = nearest
      .map(({ p, centre }) => ({ factor: p.factor, score: Math.max(centre, ...p.vectors.map((s) => dot(v, s))) }))
      .sort((a, b) => b.score - a.score);
    if (scored[0].score >= minCos && scored[0].score - scored[1].score >= minMargin) {
      c.factor = scored[0].factor;
      c.confidence = Math.round(scored[0].score * 1000) / 1000;
    }
  }
  return vectors;
}

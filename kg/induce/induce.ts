/**
 * Vocabulary induction from a catalog's own titles (no labels): segment each title (`segment.ts`),
 * measure the catalog's own n-gram and word statistics, find product-type nouns (`product-type.ts`),
 * drop marketing / logistics noise (the hand list plus frequent terms measured as spread over the
 * catalog's categories as evenly as chance would spread them: dispersion = categories seen /
 * categories expected ≥ 0.8), keep terms with enough support that are seeded or distinctive
 * (concentrated in few categories), assign each a factor (seed lexicon, else the
 * nearest factor prototype by embedding cosine with a margin), cluster near-synonyms into one
 * value with aliases (affix containment 小碎花 → 碎花, or embedding cosine), and derive category
 * `allows`, each category's noun and each item's product noun. Curated values always win: a term
 * they already name is never induced again. Pure computation apart from the injected `embed`.
 */
import { createHash } from "node:crypto";
import { cosine as cos } from "../../llm/embeddings.js";
import { MODIFIER_AFFIXES, NOISE_WORDS } from "./lexicon.js";
import { catalogStats } from "./catalog-stats.js";
import { assignFactorsByPrototype, SEED_FACTOR } from "./factor-assign.js";
import { productTypeSpans } from "./product-type.js";
import { PRODUCT_TYPE_FACTOR, type ValueWithProvenance } from "./records.js";
import { hasHan, segment, type Token } from "./segment.js";

export interface InductionItem {
  id: string;
  title: string;
  categoryId: string;
}

export interface InductionOptions {
  /** Values a person wrote (or kept); their names and aliases are never induced again. */
  curated?: readonly Pick<ValueWithProvenance, "id" | "factor" | "name" | "aliases">[];
  /** Embeds short texts (through a cache); without it only seeds and product heads assign factors. */
  embed?: (texts: string[]) => Promise<number[][]>;
  /** Fewest items a seeded term must appear in (default 2); product types and unseeded terms need one more. */
  minSupport?: number;
  /** Lowest cosine to a factor prototype for an unseeded term (default 0.86). */
  minPrototypeCosine?: number;
  /** Least lead of the best factor prototype over the second (default 0.01). */
  minPrototypeMargin?: number;
  /** Cosine at which two terms of one factor are the same value (default 0.97). */
  synonymCosine?: number;
  /** Source recorded on the values (default `induced`). */
  source?: "induced" | "trend";
}

export interface InductionResult {
  values: ValueWithProvenance[];
  factors: string[];
  /** Category id → factor names its items use. */
  allows: Map<string, string[]>;
  /** Category id → its most frequent product noun. */
  categoryNouns: Map<string, string>;
  /** Item id → its product noun (the most frequent of its title's product types in its category). */
  itemNouns: Map<string, string>;
  /** Terms dropped as noise by measurement (not the hand list), for review. */
  measuredNoise: string[];
}

const NOISE = new Set(NOISE_WORDS);
/** Dispersion (observed / expected categories) at which a term is catalog-wide, not distinctive. */
const MAX_DISPERSION = 0.8;
/** Fewest items a term needs before its dispersion is trusted enough to call it noise. */
const NOISE_MIN_SUPPORT = 20;

const isJunk = (w: string): boolean => /^[\d.]+[a-z]*$|^[a-z]*\d[\da-z-]*$/.test(w) || (!hasHan(w) && !SEED_FACTOR.has(w));

/** Deterministic value id of an induced term. */
export function inducedValueId(factor: string, name: string): string {
  return `v-ind-${createHash("sha1").update(`${factor}\u0000${name}`).digest("hex").slice(0, 10)}`;
}

/** Candidate attribute terms of one segmented title: segments, plus joined single-character runs. */
function attributeTerms(tokens: readonly Token[], claimed: (start: number, end: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (claimed(t.start, t.start + t.word.length)) continue;
    out.push(t.word);
    let joined = t.word;
    let end = t.start + t.word.length;
    for (let j = i + 1; j < tokens.length && j <= i + 2; j++) {
      const n = tokens[j];
      if (n.start !== end || claimed(n.start, n.start + n.word.length)) break;
      if (joined.length > 1 && n.word.length > 1) break;
      joined += n.word;
      end += n.word.length;
      out.push(joined);
    }
  }
  return out;
}

/** Runs induction over `items`. */
export async function induceVocabulary(items: readonly InductionItem[], options: InductionOptions = {}): Promise<InductionResult> {
  const minSupport = options.minSupport ?? 2;
  const source = options.source ?? "induced";
  const curatedTerms = new Set<string>();
  for (const v of options.curated ?? []) for (const t of [v.name, ...(v.aliases ?? [])]) curatedTerms.add(t.toLowerCase());

  const segmented = items.map((item) => ({ item, tokens: segment(item.title) }));
  const stats = catalogStats(segmented.map(({ item, tokens }) => ({ title: item.title, tokens })));

  const categories = [...new Set(items.map((i) => i.categoryId))];
  const categorySize = new Map<string, number>();
  for (const i of items) categorySize.set(i.categoryId, (categorySize.get(i.categoryId) ?? 0) + 1);
  const df = new Map<string, number>();
  const catDf = new Map<string, Map<string, number>>();
  const termCats = new Map<string, Map<string, number>>();
  const productDf = new Map<string, number>();
  const itemTerms = new Map<string, { products: string[]; terms: Set<string> }>();
  for (const { item, tokens } of segmented) {
    const products = productTypeSpans(tokens, { stats });
    const claimed = (s: number, e: number) => products.some((p) => s < p.end && e > p.start);
    const terms = new Set(attributeTerms(tokens, claimed).filter((t) => !NOISE.has(t) && !isJunk(t)));
    for (const p of products) terms.add(p.text);
    itemTerms.set(item.id, { products: products.map((p) => p.text), terms });
    for (const p of new Set(products.map((p) => p.text))) productDf.set(p, (productDf.get(p) ?? 0) + 1);
    const perCat = catDf.get(item.categoryId) ?? new Map<string, number>();
    catDf.set(item.categoryId, perCat);
    for (const t of terms) {
      df.set(t, (df.get(t) ?? 0) + 1);
      perCat.set(t, (perCat.get(t) ?? 0) + 1);
      const cats = termCats.get(t) ?? new Map<string, number>();
      termCats.set(t, cats);
      cats.set(item.categoryId, (cats.get(item.categoryId) ?? 0) + 1);
    }
  }

  const total = items.length;
  const shares = [...categorySize.values()].map((n) => n / total);
  /** Categories a term occurs in / categories it would occur in if spread like the catalog (1 = no preference). */
  const dispersion = (term: string): number => {
    const n = df.get(term) as number;
    const expected = shares.reduce((sum, s) => sum + 1 - Math.pow(1 - s, n), 0);
    return (termCats.get(term)?.size ?? 0) / expected;
  };
  const noiseSupport = Math.max(NOISE_MIN_SUPPORT, Math.ceil(total * 0.003));

  const measuredNoise: string[] = [];
  const candidates: { term: string; support: number; factor?: string; confidence: number }[] = [];
  for (const [term, support] of df) {
    if (support < minSupport || curatedTerms.has(term)) continue;
    const seeded = SEED_FACTOR.get(term);
    const productShare = (productDf.get(term) ?? 0) / support;
    if (!seeded && categories.length >= 4 && support >= noiseSupport && dispersion(term) >= MAX_DISPERSION) {
      measuredNoise.push(term);
      continue;
    }
    if (seeded) candidates.push({ term, support, factor: seeded, confidence: 0.95 });
    else if (productShare >= 0.5 && support > minSupport) candidates.push({ term, support, factor: PRODUCT_TYPE_FACTOR, confidence: Math.min(0.9, 0.5 + productShare * 0.4) });
    else if (term.length >= 2 && term.length <= 4 && support > minSupport && (categories.length < 4 || dispersion(term) < MAX_DISPERSION)) {
      candidates.push({ term, support, confidence: 0 });
    }
  }

  const vectors = options.embed
    ? await assignFactorsByPrototype(candidates, options.embed, { minCosine: options.minPrototypeCosine, minMargin: options.minPrototypeMargin })
    : new Map<string, number[]>();

  const synonymCosine = options.synonymCosine ?? 0.97;
  const assigned = candidates.filter((c) => c.factor).sort((a, b) => b.support - a.support || a.term.length - b.term.length || (a.term < b.term ? -1 : 1));
  const clusters: { factor: string; name: string; aliases: string[]; support: number; confidence: number }[] = [];
  const sharesCharacter = (a: string, b: string) => [...a].some((ch) => b.includes(ch));
  const foldsInto = (longer: string, shorter: string): boolean => {
    if (!longer.includes(shorter) || longer === shorter) return false;
    const rest = longer.replace(shorter, "");
    return MODIFIER_AFFIXES.includes(rest);
  };
  const byName = new Map<string, (typeof clusters)[number]>();
  for (const c of assigned) {
    const factor = c.factor as string;
    const v = vectors.get(c.term);
    const affixed = [...MODIFIER_AFFIXES].flatMap((a) => (c.term.startsWith(a) ? [c.term.slice(a.length)] : c.term.endsWith(a) ? [c.term.slice(0, -a.length)] : []));
    const home =
      affixed.map((t) => byName.get(`${factor}\u0000${t}`)).find((k) => k !== undefined && foldsInto(c.term, k.name)) ??
      (factor === PRODUCT_TYPE_FACTOR || v === undefined
        ? undefined
        : clusters.find((k) => k.factor === factor && sharesCharacter(k.name, c.term) && vectors.has(k.name) && cos(v, vectors.get(k.name) as number[]) >= synonymCosine));
    if (home) {
      home.aliases.push(c.term);
      home.support += c.support;
    } else {
      const k = { factor, name: c.term, aliases: [], support: c.support, confidence: c.confidence };
      clusters.push(k);
      byName.set(`${factor}\u0000${c.term}`, k);
    }
  }

  const values: ValueWithProvenance[] = clusters.map((k) => ({
    id: inducedValueId(k.factor, k.name),
    factor: k.factor,
    name: k.name,
    aliases: k.aliases,
    source,
    support: k.support,
    confidence: k.confidence,
  }));
  const factorOfTerm = new Map<string, string>();
  for (const k of clusters) for (const t of [k.name, ...k.aliases]) factorOfTerm.set(t, k.factor);
  for (const v of options.curated ?? []) for (const t of [v.name, ...(v.aliases ?? [])]) factorOfTerm.set(t.toLowerCase(), v.factor);

  const allows = new Map<string, string[]>();
  const categoryNouns = new Map<string, string>();
  const itemNouns = new Map<string, string>();
  for (const c of categories) {
    const perCat = catDf.get(c) as Map<string, number>;
    const factors = new Map<string, number>();
    let noun: string | undefined;
    let nounSupport = 0;
    for (const [term, n] of perCat) {
      const f = factorOfTerm.get(term);
      if (f) factors.set(f, (factors.get(f) ?? 0) + n);
      if (f === PRODUCT_TYPE_FACTOR && n > nounSupport) {
        noun = term;
        nounSupport = n;
      }
    }
    allows.set(c, [...factors.keys()].sort());
    if (noun) categoryNouns.set(c, noun);
  }
  for (const { item } of segmented) {
    const perCat = catDf.get(item.categoryId) as Map<string, number>;
    const products = itemTerms.get(item.id)?.products ?? [];
    const best = [...products].sort((a, b) => (perCat.get(b) ?? 0) - (perCat.get(a) ?? 0))[0];
    if (best) itemNouns.set(item.id, best);
  }
  const factors = [...new Set(values.map((v) => v.factor))].sort();
  return { values, factors, allows, categoryNouns, itemNouns, measuredNoise: measuredNoise.sort() };
}

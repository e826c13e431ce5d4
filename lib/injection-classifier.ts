/**
 * The offline injection classifier: a binarized multinomial naive Bayes over character n-grams of
 * Chinese runs (uni- and bigrams) and word n-grams of Latin text (uni- and bigrams), trained once
 * per process from the committed corpus `./injection-corpus.ts` (instruction-like sentences aimed
 * at a model vs ordinary trend, market and product text). Text is normalised first (NFKC, so
 * full-width letters read as ASCII; zero-width and soft-hyphen characters removed; lower case).
 * A document is split into segments (sentences, lines and the inside of HTML comments) and scored
 * by its most instruction-like segment. Pure: no network, no files; `instructionProbability` is
 * deterministic for a given corpus.
 */
import { INSTRUCTION_TEXTS, ORDINARY_TEXTS } from "./injection-corpus.js";

/** Zero-width, joiner, direction-mark, word-joiner, BOM and soft-hyphen characters. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** NFKC-normalised, invisible characters removed: the form every guard check reads. */
export function normalizeUntrusted(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "");
}

/** The features of one segment (a set: presence, not counts). */
export function segmentFeatures(segment: string): Set<string> {
  const out = new Set<string>();
  const lower = normalizeUntrusted(segment).toLowerCase();
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i < run.length; i++) {
      out.add(`c:${run[i]}`);
      if (i + 1 < run.length) out.add(`b:${run.slice(i, i + 2)}`);
    }
  }
  const words = lower.match(/[a-z][a-z']+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    out.add(`w:${words[i]}`);
    if (i + 1 < words.length) out.add(`p:${words[i]}_${words[i + 1]}`);
  }
  return out;
}

/** Distinct sentences, lines and whole HTML-comment bodies of a document, each at least 2 characters long. */
export function segmentsOf(text: string): string[] {
  const t = normalizeUntrusted(text);
  const comments = [...t.matchAll(/<!--([\s\S]*?)(-->|$)/g)].map((m) => m[1]);
  const sentences = t.split(/[。！？!?；;\n]+|\.(?:\s|$)|<!--|-->/);
  return [...new Set([...sentences, ...comments].map((s) => s.trim()).filter((s) => s.length >= 2))];
}

interface Model {
  /** log P(f | instruction) − log P(f | ordinary) for every feature seen in training. */
  weights: Map<string, number>;
}

const SMOOTHING = 1;

function train(positive: readonly string[], negative: readonly string[]): Model {
  const count = (texts: readonly string[]) => {
    const c = new Map<string, number>();
    let total = 0;
    for (const t of texts) for (const f of segmentFeatures(t)) {
      c.set(f, (c.get(f) ?? 0) + 1);
      total++;
    }
    return { c, total };
  };
  const pos = count(positive);
  const neg = count(negative);
  const vocab = new Set([...pos.c.keys(), ...neg.c.keys()]);
  const weights = new Map<string, number>();
  for (const f of vocab) {
    const p = ((pos.c.get(f) ?? 0) + SMOOTHING) / (pos.total + SMOOTHING * vocab.size);
    const n = ((neg.c.get(f) ?? 0) + SMOOTHING) / (neg.total + SMOOTHING * vocab.size);
    weights.set(f, Math.log(p) - Math.log(n));
  }
  return { weights };
}

/** A trained classifier: the instruction probability of one segment and of a document. */
export interface InjectionClassifier {
  segmentProbability(segment: string): number;
  /** The highest segment probability of the document, with that segment. */
  documentScore(text: string): { probability: number; segment: string };
}

/** Trains a classifier on the given texts (equal class priors). */
export function trainInjectionClassifier(instruction: readonly string[], ordinary: readonly string[]): InjectionClassifier {
  const { weights } = train(instruction, ordinary);
  const segmentProbability = (segment: string) => {
    let logOdds = 0;
    for (const f of segmentFeatures(segment)) logOdds += weights.get(f) ?? 0;
    return 1 / (1 + Math.exp(-logOdds));
  };
  return {
    segmentProbability,
    documentScore(text) {
      let best = { probability: 0, segment: "" };
      for (const s of segmentsOf(text)) {
        const probability = segmentProbability(s);
        if (probability > best.probability) best = { probability, segment: s };
      }
      return best;
    },
  };
}

let defaultClassifier: InjectionClassifier | undefined;

/** The classifier trained on the committed corpus (trained on first use, then kept). */
export function injectionClassifier(): InjectionClassifier {
  defaultClassifier ??= trainInjectionClassifier(INSTRUCTION_TEXTS, ORDINARY_TEXTS);
  return defaultClassifier;
}

/** The probability (0–1) that the most instruction-like segment of `text` addresses the model. */
export function instructionProbability(text: string): number {
  return injectionClassifier().documentScore(text).probability;
}

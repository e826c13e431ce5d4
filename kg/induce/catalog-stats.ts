/**
 * A catalog's own statistics for product-type detection, computed from its titles alone (no
 * labels): in how many titles each character n-gram (2–4 Chinese characters) occurs, and in how
 * many titles each word is a segment of its own. Pure computation over segmented titles.
 */
import { normaliseTitle, type Token } from "./segment.js";

export interface CatalogStats {
  /** Titles containing `text` as a run of Chinese characters (2–4 characters; 0 beyond). */
  ngramSupport(text: string): number;
  /** Titles in which `word` is one jieba segment. */
  wordSupport(word: string): number;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const MAX_NGRAM = 4;

/** Statistics of a catalog from its titles and their segments. */
export function catalogStats(titles: readonly { title: string; tokens: readonly Token[] }[]): CatalogStats {
  const ngrams = new Map<string, number>();
  const words = new Map<string, number>();
  for (const { title, tokens } of titles) {
    const seen = new Set<string>();
    for (const run of normaliseTitle(title).matchAll(HAN_RUN)) {
      const r = run[0];
      for (let n = 2; n <= MAX_NGRAM; n++) for (let i = 0; i + n <= r.length; i++) seen.add(r.slice(i, i + n));
    }
    for (const g of seen) ngrams.set(g, (ngrams.get(g) ?? 0) + 1);
    for (const w of new Set(tokens.map((t) => t.word))) words.set(w, (words.get(w) ?? 0) + 1);
  }
  return { ngramSupport: (text) => ngrams.get(text) ?? 0, wordSupport: (word) => words.get(word) ?? 0 };
}

/**
 * Product-type (品类词) detection in a segmented title: a segment is a product noun when it is a
 * Chinese noun-like segment whose last character is a product head (`PRODUCT_HEADS`: 裙, 帽, 器 …)
 * and is no attribute or noise word; a one-character head (帽) joins the segment before it
 * (工作 + 帽 → 工作帽), and a modifier segment before a noun joins it when the catalog has seen
 * the compound often enough (`compoundSupport`). Pure functions over tokens.
 */
import { FACTOR_SEEDS, NOISE_WORDS, PRODUCT_HEADS } from "./lexicon.js";
import { hasHan, type Token } from "./segment.js";

export interface TermSpan {
  text: string;
  start: number;
  end: number;
}

const HEADS = new Set([...PRODUCT_HEADS]);
const NOT_PRODUCT = new Set([...NOISE_WORDS, ...Object.values(FACTOR_SEEDS).flat()]);
const NOT_NOUN = /^(m|mq|q|x|p|c|u|uj|ul|uz|ud|ug|r|rr|rz|f|y|e|o|ns|ng|v|vn|ad|a|b)$/;
const MODIFIER_TAGS = /^(n|nz|nr|vn|a|b|an|l|j|v|i|zg|eng)$/;

/** True when `word` can be a product noun on its own (two or more characters, head-final, not an attribute). */
export function isProductNoun(word: string, tag: string): boolean {
  if (word.length < 2 || !hasHan(word) || NOT_PRODUCT.has(word)) return false;
  if (!HEADS.has(word[word.length - 1])) return false;
  return !NOT_NOUN.test(tag);
}

/** Options of `productTypeSpans`: how often the catalog saw a compound (0 when unknown). */
export interface ProductTypeOptions {
  compoundSupport?: (compound: string) => number;
  minCompoundSupport?: number;
}

/** Product-type spans of a segmented title, left to right, by offset in the normalised title. */
export function productTypeSpans(tokens: readonly Token[], options: ProductTypeOptions = {}): TermSpan[] {
  const support = options.compoundSupport ?? (() => 0);
  const minSupport = options.minCompoundSupport ?? 3;
  const spans: TermSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = i > 0 ? tokens[i - 1] : undefined;
    const adjacent = prev !== undefined && prev.start + prev.word.length === t.start;
    const prevUnclaimed = adjacent && !spans.some((s) => s.end > prev.start);
    const prevFree = prevUnclaimed && !NOT_PRODUCT.has(prev.word) && hasHan(prev.word);
    if (t.word.length === 1 && HEADS.has(t.word) && prevUnclaimed && (prevFree || prev.word.length === 1) && !NOT_PRODUCT.has(prev.word + t.word) && MODIFIER_TAGS.test(prev.tag)) {
      spans.push({ text: prev.word + t.word, start: prev.start, end: t.start + 1 });
      continue;
    }
    if (!isProductNoun(t.word, t.tag)) continue;
    const last = spans[spans.length - 1];
    if (adjacent && last !== undefined && last.start === prev.start && last.end === t.start && support(last.text + t.word) >= minSupport) {
      spans[spans.length - 1] = { text: last.text + t.word, start: last.start, end: t.start + t.word.length };
      continue;
    }
    if (prevFree && MODIFIER_TAGS.test(prev.tag) && support(prev.word + t.word) >= minSupport) {
      spans.push({ text: prev.word + t.word, start: prev.start, end: t.start + t.word.length });
      continue;
    }
    spans.push({ text: t.word, start: t.start, end: t.start + t.word.length });
  }
  return spans;
}

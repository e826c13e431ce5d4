/**
 * The factor vocabulary shared by the world generator and the KG importer: pure functions, no I/O.
 *
 * - `buildVocabulary(values)` indexes every value name and alias (case-folded) by its text.
 * - `extractValues(title, vocab, allowedFactors?)` finds value ids in a title by greedy
 *   longest match from left to right (CJK-aware without a tokenizer: at each position the longest
 *   known term wins, so 小碎花 beats 碎花 and 中长款 beats 长款); each id is reported once, in order
 *   of first appearance. With `allowedFactors`, terms of other factors are ignored.
 * - `shortTitle(noun, values)` builds the short title used everywhere (e.g. 法式碎花连衣裙): up to
 *   three key values in a fixed factor priority, then the category noun.
 * - `mentions(text, vocab, categories)` finds the value ids and category ids that a free text
 *   mentions (category names, nouns and aliases), for trend documents' MENTIONS edges.
 */
import type { ValueRecord } from "../contracts/records.js";

/** A compiled vocabulary. */
export interface Vocabulary {
  /** Case-folded term → value ids it names (a term may name values of several factors). */
  terms: Map<string, string[]>;
  /** Longest term length in UTF-16 units. */
  maxLen: number;
  /** Value id → record. */
  byId: Map<string, ValueRecord>;
}

const fold = (s: string): string => s.toLowerCase();

/** Indexes names and aliases of `values`. Later duplicates of the same (term, id) are ignored. */
export function buildVocabulary(values: readonly ValueRecord[]): Vocabulary {
  const terms = new Map<string, string[]>();
  const byId = new Map<string, ValueRecord>();
  let maxLen = 0;
  for (const v of values) {
    byId.set(v.id, v);
    for (const raw of [v.name, ...(v.aliases ?? [])]) {
      const t = fold(raw.trim());
      if (t.length === 0) continue;
      const ids = terms.get(t) ?? [];
      if (!ids.includes(v.id)) ids.push(v.id);
      terms.set(t, ids);
      if (t.length > maxLen) maxLen = t.length;
    }
  }
  return { terms, maxLen, byId };
}

/** Longest-match scan: calls `accept(ids)` for the longest term at each position whose ids pass. */
function scan(
  text: string,
  terms: Map<string, string[]>,
  maxLen: number,
  keep: (ids: string[]) => string[],
  onMatch: (ids: string[]) => void,
): void {
  const s = fold(text);
  let i = 0;
  while (i < s.length) {
    let matched = 0;
    for (let len = Math.min(maxLen, s.length - i); len >= 1; len--) {
      const ids = terms.get(s.slice(i, i + len));
      if (!ids) continue;
      const kept = keep(ids);
      if (kept.length === 0) continue;
      if (isLatinBoundaryBroken(s, i, len)) continue;
      onMatch(kept);
      matched = len;
      break;
    }
    i += matched > 0 ? matched : 1;
  }
}

const isLatin = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);

/** A Latin term (e.g. PU, TPU, mini) must not be glued to other Latin letters or digits. */
function isLatinBoundaryBroken(s: string, start: number, len: number): boolean {
  const first = s[start];
  const last = s[start + len - 1];
  return (isLatin(first) && isLatin(s[start - 1])) || (isLatin(last) && isLatin(s[start + len]));
}

/**
 * Value ids found in `title`, longest match first, each once, in order of appearance.
 * `allowedFactors` (factor names such as 风格) restricts which values count.
 */
export function extractValues(title: string, vocab: Vocabulary, allowedFactors?: readonly string[]): string[] {
  const allowed = allowedFactors ? new Set(allowedFactors) : null;
  const keep = (ids: string[]): string[] =>
    allowed ? ids.filter((id) => allowed.has(vocab.byId.get(id)?.factor ?? "")) : ids;
  const out: string[] = [];
  scan(title, vocab.terms, vocab.maxLen, keep, (ids) => {
    for (const id of ids) if (!out.includes(id)) out.push(id);
  });
  return out;
}

/** Factor priority for short titles: the most identifying factors first. */
export const SHORT_TITLE_PRIORITY = ["IP", "风格", "图案", "款式", "材质", "功能", "颜色"] as const;

/**
 * Short title: up to three values (by `SHORT_TITLE_PRIORITY`, one per factor, price band and
 * season left out) followed by the noun, e.g. shortTitle("连衣裙", [法式, 碎花]) → 法式碎花连衣裙.
 */
export function shortTitle(noun: string, values: ReadonlyArray<Pick<ValueRecord, "factor" | "name">>, max = 3): string {
  const parts: string[] = [];
  for (const factor of SHORT_TITLE_PRIORITY) {
    if (parts.length >= max) break;
    const v = values.find((x) => x.factor === factor);
    if (v && !noun.includes(v.name)) parts.push(v.name);
  }
  return (parts.join("") + noun).slice(0, 64);
}

/** What `mentions` needs of a category: its id, name, optional noun and aliases. */
export interface MentionableCategory {
  id: string;
  name: string;
  noun?: string;
  aliases?: readonly string[];
}

/** Value ids and category ids mentioned in a free text (longest match over both vocabularies). */
export function mentions(
  text: string,
  vocab: Vocabulary,
  categories: readonly MentionableCategory[],
): { valueIds: string[]; categoryIds: string[] } {
  const terms = new Map<string, string[]>(vocab.terms);
  let maxLen = vocab.maxLen;
  for (const c of categories) {
    for (const raw of [c.name, c.noun ?? c.name, ...(c.aliases ?? [])]) {
      const t = fold(raw.trim());
      if (t.length === 0) continue;
      const ids = terms.get(t) ?? [];
      const tag = `\u0000${c.id}`;
      if (!ids.includes(tag)) terms.set(t, [...ids, tag]);
      if (t.length > maxLen) maxLen = t.length;
    }
  }
  const valueIds: string[] = [];
  const categoryIds: string[] = [];
  scan(text, terms, maxLen, (ids) => ids, (ids) => {
    for (const id of ids) {
      if (id.startsWith("\u0000")) {
        const cid = id.slice(1);
        if (!categoryIds.includes(cid)) categoryIds.push(cid);
      } else if (!valueIds.includes(id)) valueIds.push(id);
    }
  });
  return { valueIds, categoryIds };
}

/**
 * Trend terms through induction: a term that trend documents keep naming becomes a candidate
 * `Value` (source `trend`, with `support` = documents and a `confidence`), on the same path as
 * catalog induction (jieba segmentation, the product-type detector, seed lexicons and embedding
 * prototypes for the factor). Terms are whole words only — jieba segments, `#hashtags` and
 * product-type spans (joins of whole segments) — never character n-grams, so fragments such as
 * 花半身 or 机新品发 cannot arise. A term clears the bar when it
 * - is no noise word, no value or category the graph already has (names and aliases), no part of
 *   one (中式 in 新中式) and not made of known terms only (碎花半身裙),
 * - is named by ≥ `minDocs` documents from ≥ `minSources` sources and, in a corpus of 20 documents
 *   or more, by at most `maxDocShare` of them (more is filler),
 * - is carried by ≥ `minItems` offers (their titles contain it), so a query on it can be grounded
 *   (a term no offer carries, such as 减肥食谱 from life posts, is rejected with its reason),
 * - gets a factor (seed, product type, or an embedding prototype).
 * Returns the values, the offers carrying each, the factors each category must now allow, the
 * documents' mentions, and the rejected terms with reasons (for review). Pure apart from `embed`.
 */
import { createHash } from "node:crypto";
import { catalogStats } from "./catalog-stats.js";
import { assignFactorsByPrototype, SEED_FACTOR } from "./factor-assign.js";
import { NOISE_WORDS } from "./lexicon.js";
import { isAttributeOrNoise, productTypeSpans } from "./product-type.js";
import { PRODUCT_TYPE_FACTOR, type ValueWithProvenance } from "./records.js";
import { normaliseTitle, segment } from "./segment.js";

export interface TrendTermDoc {
  id: string;
  source: string;
  title: string;
  text: string;
}

export interface TrendTermOptions {
  /** Terms the graph already has (value names and aliases, category names and nouns); never induced again. */
  known: Iterable<string>;
  /** The catalog's offers: a term must be carried by enough of them. */
  items: readonly { id: string; title: string; categoryId: string }[];
  embed?: (texts: string[]) => Promise<number[][]>;
  minDocs?: number;
  minSources?: number;
  maxDocShare?: number;
  minItems?: number;
}

export interface TrendTermResult {
  values: ValueWithProvenance[];
  /** Value id → ids of the offers whose titles carry it. */
  carriedBy: Map<string, string[]>;
  /** Category id → factors of the new values its offers carry. */
  categoryFactors: Map<string, string[]>;
  /** Document mentions of the new values: weight 1 in title and text, 2/3 title only, 1/3 text only. */
  mentions: { docId: string; valueId: string; weight: number }[];
  rejected: { term: string; docs: number; sources: number; reason: string }[];
}

/** Words of everyday posts that name no product or attribute (the rest is measured by document share). */
export const TREND_STOP_WORDS: readonly string[] = [
  "推荐", "今年", "真的", "这个", "那个", "大家", "姐妹", "一下", "可以", "就是", "我们", "你们", "他们", "非常", "特别", "看看", "分享",
  "什么", "怎么", "为什么", "还是", "已经", "因为", "所以", "但是", "如果", "一个", "一些", "没有", "不是", "时候", "自己", "现在", "最近", "终于",
  "觉得", "感觉", "知道", "喜欢", "需要", "开始", "出来", "起来", "整理", "合集", "攻略", "指南", "日常", "记录", "求助", "宝藏",
];

/** Fewest documents before a document share says anything: smaller corpora have no filler rule. */
const MIN_DOCS_FOR_FILLER = 20;
const STOP = new Set([...NOISE_WORDS, ...TREND_STOP_WORDS]);
const HASHTAG = /#([\p{Script=Han}a-z0-9]{2,12})/gu;
const WORD = /^\p{Script=Han}{2,8}$/u;

/** Deterministic value id of a trend term. */
export function trendValueId(factor: string, name: string): string {
  return `v-trd-${createHash("sha1").update(`${factor}\u0000${name}`).digest("hex").slice(0, 10)}`;
}

/** The whole-word terms of one document: hashtags, product-type spans and jieba segments. */
export function documentTerms(doc: TrendTermDoc, stats: ReturnType<typeof catalogStats>): Set<string> {
  const raw = `${doc.title} ${doc.text}`.toLowerCase();
  const out = new Set<string>();
  for (const m of raw.matchAll(HASHTAG)) out.add(m[1]);
  const tokens = segment(raw.replace(HASHTAG, " "));
  for (const span of productTypeSpans(tokens, { stats })) if (WORD.test(span.text)) out.add(span.text);
  for (const t of tokens) if (WORD.test(t.word)) out.add(t.word);
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function induceTrendValues(docs: readonly TrendTermDoc[], options: TrendTermOptions): Promise<TrendTermResult> {
  const minDocs = options.minDocs ?? 3;
  const minSources = options.minSources ?? 2;
  const maxDocShare = options.maxDocShare ?? 0.5;
  const minItems = options.minItems ?? 3;
  const known = new Set([...options.known].map((k) => k.toLowerCase()));
  const knownList = [...known].filter((k) => k.length >= 2);
  const coveredByKnown = (term: string): boolean => {
    const covered = new Array<boolean>(term.length).fill(false);
    for (const k of knownList) for (let at = term.indexOf(k); at >= 0; at = term.indexOf(k, at + 1)) covered.fill(true, at, at + k.length);
    return covered.every(Boolean);
  };
  const stats = catalogStats(docs.map((d) => ({ title: `${d.title} ${d.text}`, tokens: segment(`${d.title} ${d.text}`) })));

  const byTerm = new Map<string, { docs: Set<string>; sources: Set<string> }>();
  for (const d of docs) {
    for (const term of documentTerms(d, stats)) {
      if (STOP.has(term) || known.has(term) || (isAttributeOrNoise(term) && !SEED_FACTOR.has(term))) continue;
      const e = byTerm.get(term) ?? { docs: new Set<string>(), sources: new Set<string>() };
      e.docs.add(d.id);
      e.sources.add(d.source);
      byTerm.set(term, e);
    }
  }
  const rejected: TrendTermResult["rejected"] = [];
  const reject = (term: string, e: { docs: Set<string>; sources: Set<string> }, reason: string) => rejected.push({ term, docs: e.docs.size, sources: e.sources.size, reason });
  const titles = options.items.map((i) => ({ ...i, text: normaliseTitle(i.title) }));
  const passing: { term: string; docs: Set<string>; sources: Set<string>; items: typeof titles; factor?: string; confidence: number }[] = [];
  const docCap = docs.length >= MIN_DOCS_FOR_FILLER ? Math.max(minDocs, Math.floor(docs.length * maxDocShare)) : Infinity;
  for (const [term, e] of [...byTerm].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (e.docs.size < minDocs) continue;
    if (e.sources.size < minSources) {
      reject(term, e, `named by ${e.sources.size} source(s), needs ${minSources}`);
      continue;
    }
    if (e.docs.size > docCap) {
      reject(term, e, `named by ${e.docs.size} of ${docs.length} documents: filler`);
      continue;
    }
    const longer = [...byTerm].find(([other, o]) => other !== term && other.includes(term) && o.docs.size === e.docs.size && [...e.docs].every((id) => o.docs.has(id)));
    if (longer) {
      reject(term, e, `always part of ${longer[0]}`);
      continue;
    }
    const within = knownList.find((k) => k.includes(term));
    if (within) {
      reject(term, e, `part of the known term ${within}`);
      continue;
    }
    if (coveredByKnown(term)) {
      reject(term, e, "made of known terms");
      continue;
    }
    const items = titles.filter((i) => i.text.includes(term));
    if (items.length < minItems) {
      reject(term, e, `carried by ${items.length} offer(s), needs ${minItems}`);
      continue;
    }
    const seeded = SEED_FACTOR.get(term);
    const asProduct = items.filter((i) => productTypeSpans(segment(i.title)).some((s) => s.text === term)).length;
    const factor = seeded ?? (asProduct * 2 >= items.length ? PRODUCT_TYPE_FACTOR : undefined);
    passing.push({ term, docs: e.docs, sources: e.sources, items, factor, confidence: factor ? 0.9 : 0 });
  }
  if (options.embed && passing.some((p) => !p.factor)) await assignFactorsByPrototype(passing, options.embed);

  const values: ValueWithProvenance[] = [];
  const carriedBy = new Map<string, string[]>();
  const categoryFactors = new Map<string, string[]>();
  const mentions: TrendTermResult["mentions"] = [];
  const docById = new Map(docs.map((d) => [d.id, d]));
  for (const p of passing) {
    if (!p.factor) {
      reject(p.term, p, "no factor: neither a seed, a product type nor near a factor prototype");
      continue;
    }
    const id = trendValueId(p.factor, p.term);
    const evidence = Math.min(1, p.docs.size / (2 * minDocs)) * 0.5 + Math.min(1, p.sources.size / 4) * 0.5;
    values.push({ id, factor: p.factor, name: p.term, aliases: [], source: "trend", support: p.docs.size, confidence: round(Math.min(0.95, evidence * p.confidence)) });
    carriedBy.set(id, p.items.map((i) => i.id).sort());
    for (const i of p.items) {
      const f = categoryFactors.get(i.categoryId) ?? [];
      if (!f.includes(p.factor)) f.push(p.factor);
      categoryFactors.set(i.categoryId, f);
    }
    for (const docId of [...p.docs].sort()) {
      const d = docById.get(docId) as TrendTermDoc;
      const inTitle = d.title.toLowerCase().includes(p.term);
      const inText = d.text.toLowerCase().includes(p.term);
      mentions.push({ docId, valueId: id, weight: round(((inTitle ? 2 : 0) + (inText || !inTitle ? 1 : 0)) / 3) });
    }
  }
  return { values, carriedBy, categoryFactors, mentions, rejected: rejected.sort((a, b) => b.docs - a.docs || (a.term < b.term ? -1 : 1)) };
}

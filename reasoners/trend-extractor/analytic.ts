/**
 * Analytic selling-point extraction from trend documents (already screened by
 * `lib/injection-guard.ts`): every KG value a document mentions (load-time matches plus vocabulary
 * matches in title and text) is a selling point; hashtags and words (jieba segmentation, ≥ 2
 * Chinese characters) shared by documents of at least two sources and found in at most half of
 * the documents (more common words are filler) are candidate new terms (normalised later by
 * embedding). Character n-grams are never terms: they cut words apart (花半身, 机新品发).
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import type { Vocabulary } from "../../contracts/kg.js";
import type { TrendDoc, TrendPoints } from "../../contracts/trends.js";

const STOP = new Set(["推荐", "今年", "真的", "这个", "大家", "姐妹", "一下", "可以", "就是", "我们", "你们", "非常", "特别", "看看", "分享"]);

let jieba: Jieba | undefined;
/** Chinese words of a text (jieba's default dictionary, loaded once). */
export function words(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(text);
}

export function candidateTerms(docs: TrendDoc[], vocab: Vocabulary, maxTerms = 8): { term: string; docIds: string[] }[] {
  const known = [...vocab.values.map((v) => v.name), ...vocab.categories.flatMap((c) => [c.name, c.noun])];
  const seen = new Map<string, Map<string, string>>();
  for (const d of docs) {
    const text = `${d.title} ${d.text}`;
    const grams = new Set<string>();
    for (const m of text.matchAll(/#([\p{Script=Han}A-Za-z0-9]{2,8})/gu)) grams.add(m[1]);
    for (const w of words(text.replace(/#[\p{Script=Han}A-Za-z0-9]{2,8}/gu, " "))) if (/^\p{Script=Han}{2,8}$/u.test(w)) grams.add(w);
    for (const g of grams) {
      if (STOP.has(g) || known.some((k) => k.includes(g) || g.includes(k))) continue;
      const m = seen.get(g) ?? new Map<string, string>();
      m.set(d.id, d.source);
      seen.set(g, m);
    }
  }
  const multi = [...seen.entries()].filter(([, m]) => new Set(m.values()).size >= 2 && m.size <= Math.max(2, docs.length / 2));
  const key = (m: Map<string, string>) => [...m.keys()].sort().join(",");
  const maximal = multi.filter(([g, m]) => !multi.some(([h, n]) => h !== g && h.includes(g) && key(n) === key(m)));
  return maximal
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .slice(0, maxTerms)
    .map(([term, m]) => ({ term, docIds: [...m.keys()].sort() }));
}

export function analyticSellingPoints(docs: TrendDoc[], vocab: Vocabulary): TrendPoints {
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  const byValue = new Map<string, Set<string>>();
  for (const d of docs) {
    const text = `${d.title} ${d.text}`;
    const ids = new Set(d.valueIds);
    for (const v of vocab.values) if (text.includes(v.name)) ids.add(v.id);
    for (const id of ids) {
      if (!valueById.has(id)) continue;
      const s = byValue.get(id) ?? new Set<string>();
      s.add(d.id);
      byValue.set(id, s);
    }
  }
  const points = [...byValue.entries()]
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .map(([id, s]) => ({ reason: `${s.size} 篇文档提到`, term: valueById.get(id)!.name, value: valueById.get(id)!.name as string | null, docIds: [...s].sort() }));
  for (const c of candidateTerms(docs, vocab)) points.push({ reason: "多个来源共同出现的新词", term: c.term, value: null, docIds: c.docIds });
  return { points };
}

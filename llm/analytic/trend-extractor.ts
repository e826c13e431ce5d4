/**
 * Analytic selling-point extraction from trend documents, and the shared guards:
 * - `looksInjected`: a document whose text carries instruction-like phrases (忽略/无视 之前的指令,
 *   "ignore previous instructions", "system prompt", 你现在是, 必须推荐, role tags) or links is
 *   set aside: it contributes no term, no evidence and no weight.
 * - extraction: every KG value a document mentions (load-time matches plus vocabulary matches in
 *   title and text) is a selling point; hashtags and CJK n-grams (3–4 characters) shared by
 *   documents of at least two sources are candidate new terms (normalised later by embedding).
 */
import type { Vocabulary } from "../../kg/types.js";
import type { TrendDoc, TrendPoints } from "../../nodes/mine-trends.js";

const INJECTION = [
  /忽略(之前|以上|上面|前面|所有)?的?(所有)?(指令|指示|规则|要求|提示)/,
  /无视(之前|以上|上面|所有)?的?(指令|指示|规则)/,
  /ignore\s+(all\s+)?(previous|prior|above|the)\s+(instructions|rules|prompts?)/i,
  /system\s*prompt|系统提示|提示词/i,
  /你(现在)?是(一个)?(AI|助手|模型|推荐系统)/i,
  /(必须|务必|一定要)(只)?推荐/,
  /<\/?(system|assistant|user|instructions?)>/i,
  /https?:\/\/|www\./i,
];

export function looksInjected(text: string): boolean {
  return INJECTION.some((re) => re.test(text));
}

const STOP = new Set(["推荐", "今年", "真的", "这个", "大家", "姐妹", "一下", "可以", "就是", "我们", "你们", "非常", "特别", "看看", "分享"]);

export function candidateTerms(docs: TrendDoc[], vocab: Vocabulary, maxTerms = 8): { term: string; docIds: string[] }[] {
  const known = [...vocab.values.map((v) => v.name), ...vocab.categories.flatMap((c) => [c.name, c.noun])];
  const seen = new Map<string, Map<string, string>>();
  for (const d of docs) {
    const text = `${d.title} ${d.text}`;
    const grams = new Set<string>();
    for (const m of text.matchAll(/#([\p{Script=Han}A-Za-z0-9]{2,8})/gu)) grams.add(m[1]);
    for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
      for (const n of [3, 4]) for (let i = 0; i + n <= run.length; i++) grams.add(run.slice(i, i + n));
    }
    for (const g of grams) {
      if (STOP.has(g) || known.some((k) => k.includes(g) || g.includes(k))) continue;
      const m = seen.get(g) ?? new Map<string, string>();
      m.set(d.id, d.source);
      seen.set(g, m);
    }
  }
  const multi = [...seen.entries()].filter(([, m]) => new Set(m.values()).size >= 2);
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

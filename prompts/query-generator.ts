/**
 * Prompt of the `queryGenerator` role: write demand queries across horizons (long, recent,
 * potential, trend, cross-category) from the portrait, the CFV and trend points, using only the
 * allowed vocabulary, each citing its evidence ids; on critic feedback, rewrite only the failed
 * queries.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, clip, DATA_NOT_INSTRUCTIONS, tagged, vocabularyText, type VocabularyView } from "./common.js";
import type { GeneratorInputs, Query } from "../contracts/queries.js";
import { compactTuple } from "../lib/tuples.js";
import { vocabularyView } from "./common.js";
import { cfvText, pairsView, portraitSummary, PROMPT_BUDGET, topCfv, topPairs, usedVocabulary } from "./views.js";

export interface QueryGeneratorPromptInput {
  portraitSummary: string;
  /** Compact CFV per category, entries with their ids (`cfv:long:c12:v3 法式:9`). */
  cfvText: string;
  /** Trend selling points with the ids of their documents. */
  trendPoints: readonly { docIds: readonly string[]; text: string }[];
  /** Allowed categories with their factors and value names. */
  vocabulary: VocabularyView;
  /** Evidence ids of the behaviour tuples the queries may cite (`t:<week>:<categoryId>`), with a short label. */
  tuples?: readonly { id: string; text: string }[];
  /** Cross-category pairings the queries may cite. */
  pairs?: readonly { id: string; text: string }[];
  /** Queries that failed the critic, with its feedback; when non-empty only these are rewritten. */
  failed: readonly { text: string; category?: string; feedback: string }[];
  /** Queries that already passed (do not repeat them). */
  accepted?: readonly string[];
  /** Number of queries to write. */
  count: number;
}

const SYSTEM = `你是 1688 B2B 批发平台的“推理式推荐”需求生成器。根据采购商画像、类目偏好（CFV）和市场趋势，
为这位小 B 采购商写出明确的采购需求查询（demand query），如“法式碎花连衣裙 批发”。
每条查询包含：text（中文检索短语，类目名 + 1–3 个取值，可加“批发/源头/一件代发”等采购词）、category（类目名）、
values（查询使用的取值名）、horizon（long 长期偏好 / recent 近期兴趣 / potential 潜在偏好 / trend 市场趋势 / cross 跨类目搭配）、
evidence（依据的 id 列表：行为五元组 t:…、CFV 条目 cfv:…、趋势文档 id、类目搭配 pair:…）。
规则：
1. category 和 values 只能用 <vocabulary> 中的名称，且取值必须属于该类目允许的因子；不得编造词表外的词、品牌或 IP。
2. 每条查询至少引用一个真实存在于输入中的 evidence id，且依据要能支持查询中的取值。
3. 覆盖多个 horizon：不要全部是长期偏好，要包含潜在、趋势与跨类目的发现型查询。
4. 查询文本中不得出现网址、指令或与采购无关的内容。
5. 只输出要求的 JSON 结构。
{{safety}}`;

const USER = `{{task}}

采购商画像：
{{portrait}}

类目偏好（CFV）：
{{cfv}}

行为依据：
{{tuples}}

类目搭配：
{{pairs}}

趋势卖点：
{{trends}}

词表：
{{vocabulary}}
{{feedback}}`;

function taskText(input: QueryGeneratorPromptInput): string {
  if (input.failed.length > 0) {
    return `任务：以下 ${input.failed.length} 条查询未通过审核。请根据审核意见逐条改写，输出 ${input.count} 条替换查询；不要重复已通过的查询。`;
  }
  return `任务：写出 ${input.count} 条需求查询。`;
}

function feedbackText(input: QueryGeneratorPromptInput): string {
  if (input.failed.length === 0) return "";
  const failed = input.failed
    .map((f) => `${tagged("query", f.text, f.category ? { category: f.category } : {})}\n${tagged("feedback", f.feedback)}`)
    .join("\n");
  const accepted = (input.accepted ?? []).map((q) => tagged("query", q)).join("\n");
  return `\n未通过的查询与审核意见：\n<failed>\n${failed}\n</failed>\n已通过的查询：\n<accepted>${accepted ? `\n${accepted}\n` : ""}</accepted>`;
}

export function queryGeneratorPrompt(input: QueryGeneratorPromptInput): BaseMessage[] {
  const list = (outer: string, items: readonly { id: string; text: string }[] | undefined) =>
    `<${outer}>${(items ?? []).map((p) => `\n${tagged("item", clip(p.text, 120), { id: p.id })}`).join("")}${items?.length ? "\n" : ""}</${outer}>`;
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    task: taskText(input),
    portrait: tagged("portrait", input.portraitSummary),
    cfv: tagged("cfv", input.cfvText),
    tuples: list("tuples", input.tuples),
    pairs: list("pairs", input.pairs),
    trends:
      `<trends>${input.trendPoints.map((t) => `\n${tagged("point", clip(t.text, 120), { docs: t.docIds.join(",") })}`).join("")}` +
      `${input.trendPoints.length ? "\n" : ""}</trends>`,
    vocabulary: vocabularyText(input.vocabulary),
    feedback: feedbackText(input),
  });
}

/** How many recent tuples and trend points the query generator sees. */
export const QUERY_GENERATOR_BUDGET = { tuples: 6, trendPoints: 6 } as const;

/**
 * The query generator's messages: portrait, CFV with ids, trend points, the vocabulary values its
 * evidence carries (a value no cited evidence carries fails the critic anyway), recent tuples,
 * pairings, and the critic's feedback on failed queries.
 */
export function queryGeneratorMessages(i: {
  inputs: GeneratorInputs;
  count: number;
  failed: { query: Query; feedback: string }[];
  accepted: Query[];
}): BaseMessage[] {
  const cats = i.inputs.portrait.mainCategories.map((c) => c.categoryId);
  const paired = i.inputs.pairs.filter((p) => cats.includes(p.from)).map((p) => p.to);
  const name = new Map(i.inputs.vocab.categories.map((c) => [c.id, c.name]));
  const cfv = topCfv(i.inputs.cfv);
  const points = i.inputs.trends.sellingPoints.filter((s) => s.valueName).slice(0, QUERY_GENERATOR_BUDGET.trendPoints);
  const tuples = i.inputs.tuples
    .filter((t) => cats.includes(t.categoryId))
    .slice(-QUERY_GENERATOR_BUDGET.tuples)
    .map((t) => ({ ...t, factors: t.factors.slice(0, PROMPT_BUDGET.recentFactors) }));
  const cited = new Set([
    ...cfv.categories.flatMap((c) => [...c.long, ...c.recent, ...c.potential].map((e) => e.name)),
    ...tuples.flatMap((t) => t.factors.map((f) => f.name)),
    ...points.map((s) => s.valueName!),
  ]);
  return queryGeneratorPrompt({
    portraitSummary: portraitSummary(i.inputs.portrait),
    cfvText: cfvText(cfv, true),
    trendPoints: points.map((s) => ({ docIds: s.docIds.slice(0, 2), text: `${s.valueName}（${s.sources.join("、")}，${s.categoryIds.map((c) => name.get(c) ?? c).join("、")}）` })),
    vocabulary: usedVocabulary(vocabularyView(i.inputs.vocab, [...new Set([...cats, ...paired])]), cited),
    tuples: tuples.map((t) => ({ id: t.id, text: compactTuple(t) })),
    pairs: pairsView(topPairs(i.inputs.pairs.filter((p) => cats.includes(p.from))), i.inputs.vocab),
    failed: i.failed.map((f) => ({ text: f.query.text, category: f.query.categoryName, feedback: f.feedback })),
    accepted: i.accepted.map((q) => q.text),
    count: i.count,
  });
}

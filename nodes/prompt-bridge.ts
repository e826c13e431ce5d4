/**
 * Adapts the nodes' typed inputs to the prompt formatters of `prompts/` (one per role). Only
 * called on the LLM path (and in dry runs that count prompt tokens).
 */
import type { BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { CategoryPair, TrendDocHit, Vocabulary } from "../kg/types.js";
import {
  cfvPrompt,
  compressorPrompt,
  criticPrompt,
  portraitPrompt,
  queryGeneratorPrompt,
  sourcePlannerPrompt,
  trendExtractorPrompt,
  vocabularyView,
  weightsText,
  type VocabularyView,
} from "../prompts/index.js";
import { B_TYPES, DROP_SHIPPER_TYPES } from "../llm/analytic/portrait.js";
import { categorySummaryTuples, compactTuple, recentTuples, type BehaviourTuple } from "../llm/analytic/compressor.js";
import type { Portrait } from "./build-portrait.js";
import type { Cfv } from "./analyze-cfv.js";
import type { TrendDoc } from "./mine-trends.js";
import type { GeneratorInputs } from "../llm/analytic/query-generator.js";
import type { Query } from "./generate-queries.js";

/** Prompt budget per role: how much of each input a role sees. */
export const PROMPT_BUDGET = {
  summaryFactors: 5,
  recentWeeks: 4,
  recentFactors: 3,
  recentTuples: 10,
  cfvTopLong: 4,
  cfvTopRecent: 3,
  cfvTopPotential: 3,
  cfvDocs: 5,
  cfvDocChars: 60,
  extractorDocs: 10,
  extractorDocChars: 90,
  generatorTuples: 6,
  generatorTrendPoints: 6,
  pairsPerCategory: 2,
} as const;

/**
 * The behaviour a role sees, in the compact tuple form: one whole-window tuple per category
 * (strongest factors) and the tuples of the last weeks (fewer factors).
 */
export function behaviourDigest(tuples: readonly BehaviourTuple[], asOf: string, categoryIds?: readonly string[]): string {
  const keep = categoryIds ? tuples.filter((t) => categoryIds.includes(t.categoryId)) : tuples;
  const summary = categorySummaryTuples(keep, PROMPT_BUDGET.summaryFactors).slice(0, 8).map(compactTuple);
  const recent = recentTuples(keep, asOf, PROMPT_BUDGET.recentWeeks, PROMPT_BUDGET.recentFactors)
    .slice(-PROMPT_BUDGET.recentTuples)
    .map(compactTuple);
  return `全窗口汇总（周字段为窗口内首周）：\n${summary.join("\n")}\n最近${PROMPT_BUDGET.recentWeeks}周：\n${recent.join("\n")}`;
}

/** The CFV cut to its strongest entries per horizon. */
export function topCfv(cfv: Cfv): Cfv {
  return {
    categories: cfv.categories.map((c) => ({
      ...c,
      long: c.long.slice(0, PROMPT_BUDGET.cfvTopLong),
      recent: c.recent.slice(0, PROMPT_BUDGET.cfvTopRecent),
      potential: c.potential.slice(0, PROMPT_BUDGET.cfvTopPotential),
    })),
  };
}

/**
 * A vocabulary view cut to the values in `used` (factors without one left out): what a judge of
 * these queries needs, and what the generator may use (a value no cited evidence carries fails the
 * critic anyway, so listing it only costs tokens).
 */
export function usedVocabulary(view: VocabularyView, used: ReadonlySet<string>): VocabularyView {
  return {
    categories: view.categories.map((c) => ({
      name: c.name,
      factors: c.factors.map((f) => ({ factor: f.factor, values: f.values.filter((v) => used.has(v)) })).filter((f) => f.values.length > 0),
    })),
  };
}

export function portraitSummary(p: Portrait): string {
  return [
    `类型：${p.bType}${p.dropShipperType !== "none" ? `（代发：${p.dropShipperType}）` : ""}`,
    `核心意图：${p.coreIntent}`,
    `身份：${p.profile.identity}；客群：${p.profile.customerGroup}；策略：${p.profile.operatingStrategy}；动机：${p.profile.purchaseMotive}`,
    `主营：${p.mainCategories.map((c) => `${c.name} ${(c.share * 100).toFixed(0)}%`).join("、")}`,
  ].join("\n");
}

export function cfvText(cfv: Cfv, withIds: boolean): string {
  return cfv.categories
    .map((c) => {
      const part = (label: string, list: Cfv["categories"][number]["long"]) =>
        withIds ? `${label}: ${list.map((e) => `${e.id} ${e.name}:${e.weight}`).join(" ; ")}` : `${label}: ${weightsText(list)}`;
      return `${c.name} ${part("长期", c.long)} / ${part("近期", c.recent)} / ${part("潜在", c.potential)}`;
    })
    .join("\n");
}

/** The strongest `PROMPT_BUDGET.pairsPerCategory` pairings from each category, by lift. */
export function topPairs(pairs: readonly CategoryPair[]): CategoryPair[] {
  const seen = new Map<string, number>();
  return [...pairs]
    .sort((a, b) => b.lift - a.lift || a.to.localeCompare(b.to))
    .filter((p) => {
      const n = seen.get(p.from) ?? 0;
      seen.set(p.from, n + 1);
      return n < PROMPT_BUDGET.pairsPerCategory;
    });
}

function pairsView(pairs: CategoryPair[], vocab: Vocabulary) {
  const name = new Map(vocab.categories.map((c) => [c.id, c.name]));
  return pairs.map((p) => ({ id: `pair:${p.from}:${p.to}`, text: `${name.get(p.from) ?? p.from}→${name.get(p.to) ?? p.to} lift ${p.lift}` }));
}

export const prompts = {
  compressor: (i: { terms: string[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] =>
    compressorPrompt({ terms: i.terms, vocabulary: vocabularyView(i.vocab, i.categoryIds) }),

  portrait: (i: { tuples: readonly BehaviourTuple[]; asOf: string; mainCategories: Portrait["mainCategories"] }): BaseMessage[] =>
    portraitPrompt({ compact: behaviourDigest(i.tuples, i.asOf), mainCategories: i.mainCategories, bTypes: B_TYPES, dropShipperTypes: DROP_SHIPPER_TYPES }),

  cfv: (i: {
    tuples: readonly BehaviourTuple[];
    asOf: string;
    portrait: Portrait;
    baseline: Cfv;
    trendDocs: TrendDocHit[];
    vocab: Vocabulary;
    historyValues: string[];
    pairs: CategoryPair[];
  }): BaseMessage[] =>
    cfvPrompt({
      compact: behaviourDigest(i.tuples, i.asOf, i.portrait.mainCategories.map((c) => c.categoryId)),
      portraitSummary: portraitSummary(i.portrait),
      vocabulary: vocabularyView(i.vocab, i.portrait.mainCategories.map((c) => c.categoryId)),
      baseline: cfvText(topCfv(i.baseline), false),
      historyValues: i.historyValues,
      trendDocs: i.trendDocs.slice(0, PROMPT_BUDGET.cfvDocs),
      maxDocChars: PROMPT_BUDGET.cfvDocChars,
      pairs: pairsView(topPairs(i.pairs), i.vocab),
    }),

  sourcePlanner: (i: { portrait: Portrait; cfv: Cfv; tools: StructuredToolInterface[]; maxCalls: number; asOf: string }): BaseMessage[] =>
    sourcePlannerPrompt({
      portraitSummary: portraitSummary(i.portrait),
      cfvText: cfvText(topCfv(i.cfv), false),
      sources: i.tools.map((t) => ({ tool: t.name, description: t.description })),
      maxCalls: i.maxCalls,
      asOf: i.asOf,
    }),

  trendExtractor: (i: { docs: TrendDoc[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] =>
    trendExtractorPrompt({ vocabulary: vocabularyView(i.vocab, i.categoryIds), docs: i.docs.slice(0, PROMPT_BUDGET.extractorDocs), maxPoints: 10, maxDocChars: PROMPT_BUDGET.extractorDocChars }),

  queryGenerator: (i: {
    inputs: GeneratorInputs;
    count: number;
    failed: { query: Query; feedback: string }[];
    accepted: Query[];
  }): BaseMessage[] => {
    const cats = i.inputs.portrait.mainCategories.map((c) => c.categoryId);
    const paired = i.inputs.pairs.filter((p) => cats.includes(p.from)).map((p) => p.to);
    const name = new Map(i.inputs.vocab.categories.map((c) => [c.id, c.name]));
    const cfv = topCfv(i.inputs.cfv);
    const points = i.inputs.trends.sellingPoints.filter((s) => s.valueName).slice(0, PROMPT_BUDGET.generatorTrendPoints);
    const tuples = i.inputs.tuples
      .filter((t) => cats.includes(t.categoryId))
      .slice(-PROMPT_BUDGET.generatorTuples)
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
  },

  critic: (i: { queries: Query[]; portrait: Portrait; evidence: { id: string; text: string }[]; vocab: Vocabulary }): BaseMessage[] =>
    criticPrompt({
      portraitSummary: portraitSummary(i.portrait),
      queries: i.queries.map((q) => ({
        id: q.id,
        text: q.text,
        category: q.categoryName,
        values: q.values,
        horizon: q.horizon,
        evidenceIds: q.evidence.map((e) => e.id),
      })),
      evidence: i.evidence.map((e) => ({ id: e.id, text: e.text.slice(0, 80) })),
      vocabulary: usedVocabulary(vocabularyView(i.vocab, [...new Set(i.queries.map((q) => q.categoryId))]), new Set(i.queries.flatMap((q) => q.values))),
    }),
};

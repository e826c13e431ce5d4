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
} from "../prompts/index.js";
import { B_TYPES, DROP_SHIPPER_TYPES } from "../llm/analytic/portrait.js";
import { compactTuple } from "../llm/analytic/compressor.js";
import type { Portrait } from "./build-portrait.js";
import type { Cfv } from "./analyze-cfv.js";
import type { TrendDoc } from "./mine-trends.js";
import type { GeneratorInputs } from "../llm/analytic/query-generator.js";
import type { Query } from "./generate-queries.js";

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

function pairsView(pairs: CategoryPair[], vocab: Vocabulary) {
  const name = new Map(vocab.categories.map((c) => [c.id, c.name]));
  return pairs.map((p) => ({ id: `pair:${p.from}:${p.to}`, text: `${name.get(p.from) ?? p.from}→${name.get(p.to) ?? p.to} lift ${p.lift}` }));
}

export const prompts = {
  compressor: (i: { terms: string[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] =>
    compressorPrompt({ terms: i.terms, vocabulary: vocabularyView(i.vocab, i.categoryIds) }),

  portrait: (i: { compact: string; mainCategories: Portrait["mainCategories"] }): BaseMessage[] =>
    portraitPrompt({ compact: i.compact, mainCategories: i.mainCategories, bTypes: B_TYPES, dropShipperTypes: DROP_SHIPPER_TYPES }),

  cfv: (i: {
    compact: string;
    portrait: Portrait;
    baseline: Cfv;
    trendDocs: TrendDocHit[];
    vocab: Vocabulary;
    historyValues: string[];
    pairs: CategoryPair[];
  }): BaseMessage[] =>
    cfvPrompt({
      compact: i.compact,
      portraitSummary: portraitSummary(i.portrait),
      vocabulary: vocabularyView(i.vocab, i.portrait.mainCategories.map((c) => c.categoryId)),
      baseline: cfvText(i.baseline, false),
      historyValues: i.historyValues,
      trendDocs: i.trendDocs.slice(0, 12),
      pairs: pairsView(i.pairs, i.vocab),
    }),

  sourcePlanner: (i: { portrait: Portrait; cfv: Cfv; tools: StructuredToolInterface[]; maxCalls: number; asOf: string }): BaseMessage[] =>
    sourcePlannerPrompt({
      portraitSummary: portraitSummary(i.portrait),
      cfvText: cfvText(i.cfv, false),
      sources: i.tools.map((t) => ({ tool: t.name, description: t.description })),
      maxCalls: i.maxCalls,
      asOf: i.asOf,
    }),

  trendExtractor: (i: { docs: TrendDoc[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] =>
    trendExtractorPrompt({ vocabulary: vocabularyView(i.vocab, i.categoryIds), docs: i.docs.slice(0, 15), maxPoints: 10, maxDocChars: 200 }),

  queryGenerator: (i: {
    inputs: GeneratorInputs;
    count: number;
    failed: { query: Query; feedback: string }[];
    accepted: Query[];
  }): BaseMessage[] => {
    const cats = i.inputs.portrait.mainCategories.map((c) => c.categoryId);
    const paired = i.inputs.pairs.filter((p) => cats.includes(p.from)).map((p) => p.to);
    const name = new Map(i.inputs.vocab.categories.map((c) => [c.id, c.name]));
    return queryGeneratorPrompt({
      portraitSummary: portraitSummary(i.inputs.portrait),
      cfvText: cfvText(i.inputs.cfv, true),
      trendPoints: i.inputs.trends.sellingPoints
        .filter((s) => s.valueName)
        .slice(0, 10)
        .map((s) => ({ docIds: s.docIds.slice(0, 3), text: `${s.valueName}（${s.sources.join("、")}，${s.categoryIds.map((c) => name.get(c) ?? c).join("、")}）` })),
      vocabulary: vocabularyView(i.inputs.vocab, [...new Set([...cats, ...paired])]),
      tuples: i.inputs.tuples
        .filter((t) => cats.includes(t.categoryId))
        .slice(-12)
        .map((t) => ({ id: t.id, text: compactTuple(t) })),
      pairs: pairsView(i.inputs.pairs.filter((p) => cats.includes(p.from)), i.inputs.vocab),
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
      evidence: i.evidence,
      vocabulary: vocabularyView(i.vocab, [...new Set(i.queries.map((q) => q.categoryId))]),
    }),
};

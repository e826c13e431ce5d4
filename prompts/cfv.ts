/**
 * Prompt of the `cfv` role (potential-preference reasoning): per main category, the buyer's
 * long-term, recent and potential factor values with weights 0–10. Potential values must be
 * absent from the buyer's history and supported by trends or category pairings.
 */
import type { BaseMessage } from "@langchain/core/messages";
import {
  chatPrompt,
  DATA_NOT_INSTRUCTIONS,
  tagged,
  trendDocsText,
  vocabularyText,
  type TrendDocView,
  type VocabularyView,
} from "./common.js";
import type { CategoryPair, TrendDocHit, Vocabulary } from "../contracts/kg.js";
import type { Tuple } from "../contracts/behaviour.js";
import type { Portrait } from "../contracts/portrait.js";
import type { Cfv } from "../contracts/cfv.js";
import { vocabularyView } from "./common.js";
import { behaviourDigest, cfvText, pairsView, portraitSummary, topCfv, topPairs } from "./views.js";

export interface CfvPromptInput {
  /** Compact five-tuples of the history window. */
  compact: string;
  /** A short text summary of the portrait (type, intent, profile). */
  portraitSummary: string;
  /** The buyer's main categories with allowed factors and values. */
  vocabulary: VocabularyView;
  /** The data-derived CFV (`类目 长期: 法式:9|碎花:8 ; 近期: … ; 潜在: …`), as a baseline to refine. */
  baseline: string;
  /** Value names that occur in the buyer's history (never potential). */
  historyValues: readonly string[];
  /** Recent trend documents in the buyer's categories, with ids for `support`. */
  trendDocs: readonly TrendDocView[];
  /** Characters of each document's text shown (default 300). */
  maxDocChars?: number;
  /** Cross-category pairings (`上衣→半身裙 lift 2.1`), with ids for `support`. */
  pairs: readonly { id: string; text: string }[];
}

const SYSTEM = `你是 1688 B2B 批发平台的偏好推理分析师。对采购商的每个主营类目，给出三类“类目-因子-取值”（CFV）偏好，权重 0–10：
- long（长期）：整个窗口内持续出现的偏好，近期行为权重更高（时间衰减）；
- recent（近期）：最近 4 周明显上升的偏好；
- potential（潜在）：采购商历史中从未出现、但有趋势文档或类目搭配支撑、符合其客群与经营策略的取值。
规则：
1. 取值只能来自 <vocabulary> 中该类目允许的取值，valueId 与名称必须对应词表；不要编造新词。
2. potential 绝不能包含 <history_values> 里的取值；每个 potential 必须在 support 中引用依据的 id（trend:<文档id> 或 pair:<id>）。
3. <baseline> 是从数据统计得到的基线，可在有依据时调整权重、补充或删减，但不要无依据地改动。
4. 只输出要求的 JSON 结构。
{{safety}}`;

const USER = `采购商画像：
{{portrait}}

词表：
{{vocabulary}}

历史中出现过的取值：
{{history}}

统计基线：
{{baseline}}

压缩后的周度行为：
{{behavior}}

类目搭配：
{{pairs}}

近期趋势文档：
{{docs}}`;

export function cfvPrompt(input: CfvPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    portrait: tagged("portrait", input.portraitSummary),
    vocabulary: vocabularyText(input.vocabulary),
    history: tagged("history_values", input.historyValues.join("、")),
    baseline: tagged("baseline", input.baseline),
    behavior: tagged("behavior", input.compact),
    pairs: input.pairs.map((p) => tagged("pair", p.text, { id: p.id })).join("\n") || "<pair></pair>",
    docs: trendDocsText(input.trendDocs, input.maxDocChars),
  });
}

/** How much of the trend evidence the cfv role sees. */
export const CFV_BUDGET = { docs: 5, docChars: 60 } as const;

/** The cfv role's messages: digest of the main categories, portrait, vocabulary, the analytic baseline, history values, pairings and recent trend documents. */
export function cfvMessages(i: {
  tuples: readonly Tuple[];
  asOf: string;
  portrait: Portrait;
  baseline: Cfv;
  trendDocs: TrendDocHit[];
  vocab: Vocabulary;
  historyValues: string[];
  pairs: CategoryPair[];
}): BaseMessage[] {
  return cfvPrompt({
    compact: behaviourDigest(i.tuples, i.asOf, i.portrait.mainCategories.map((c) => c.categoryId)),
    portraitSummary: portraitSummary(i.portrait),
    vocabulary: vocabularyView(i.vocab, i.portrait.mainCategories.map((c) => c.categoryId)),
    baseline: cfvText(topCfv(i.baseline), false),
    historyValues: i.historyValues,
    trendDocs: i.trendDocs.slice(0, CFV_BUDGET.docs),
    maxDocChars: CFV_BUDGET.docChars,
    pairs: pairsView(topPairs(i.pairs), i.vocab),
  });
}

/**
 * Prompt of the `cfv` role (potential-preference reasoning): per main category, the buyer's
 * long-term, recent and potential factor values with weights 0–10. Long and recent values come
 * from the buyer's history values; potential values from the category's candidates (carried by its
 * offers, absent from the history), supported by trends or category pairings.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, clip, DATA_NOT_INSTRUCTIONS, tagged, type TrendDocView } from "./common.js";
import type { CategoryPair, TrendDocHit, Vocabulary } from "../contracts/kg.js";
import type { Tuple } from "../contracts/behaviour.js";
import type { Portrait } from "../contracts/portrait.js";
import type { Cfv } from "../contracts/cfv.js";
import { cfvText, pairsView, PROMPT_BUDGET, topCfv, topPairs } from "./views.js";
import { categorySummaryTuples } from "../lib/tuples.js";

export interface CfvPromptInput {
  /** One line: buyer type and core intent. */
  portraitSummary: string;
  /** Per main category, the values it may take as potential: carried by its offers, never in the history. */
  candidates: readonly { category: string; values: readonly string[] }[];
  /** The data-derived CFV (`类目 长期: 法式:9|碎花:8 / 近期: … / 潜在: …`), as a baseline to refine. */
  baseline: string;
  /** Value names that occur in the buyer's history (long and recent come from them; never potential). */
  historyValues: readonly string[];
  /** Recent trend documents in the buyer's categories, with ids for `support`. */
  trendDocs: readonly TrendDocView[];
  /** Characters of each document's title shown (default 300; the documents are shown by title). */
  maxDocChars?: number;
  /** Cross-category pairings (`上衣→半身裙 lift 2.1`), with ids for `support`. */
  pairs: readonly { id: string; text: string }[];
}

const SYSTEM = `给每个主营类目 CFV 偏好（权重 0–10）：long 全窗口持续（近期更重）、recent 最近 4 周上升，只用 <history_values>；
potential 为历史未出现、有趋势或搭配支撑的取值，只用该类目 <candidates>，support 引用 trend:<文档id> 或 pair:<id>；<baseline> 为统计基线，有依据才改。
{{safety}}`;

const USER = `{{portrait}}
{{baseline}}
{{history}}
{{candidates}}
{{pairs}}
{{docs}}`;

export function cfvPrompt(input: CfvPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    portrait: tagged("portrait", input.portraitSummary),
    candidates: input.candidates.filter((c) => c.values.length > 0).map((c) => tagged("candidates", c.values.join("、"), { category: c.category })).join("\n") || "<candidates></candidates>",
    history: tagged("history_values", input.historyValues.join("、")),
    baseline: tagged("baseline", input.baseline),
    pairs: input.pairs.map((p) => tagged("pair", p.text, { id: p.id })).join("\n") || "<pair></pair>",
    docs: `<docs>${input.trendDocs.map((d) => `\n${tagged("doc", clip(d.title, input.maxDocChars ?? 300), { id: d.id })}`).join("")}\n</docs>`,
  });
}

/** How much of the trend evidence the cfv role sees. */
export const CFV_BUDGET = { docs: 5, docChars: 24, historyValuesPerCategory: 12, candidatesPerCategory: 12 } as const;

/**
 * The cfv role's messages: a one-line portrait, the analytic baseline, the strongest history values
 * of the main categories, each main category's potential candidates (carried, not in the history;
 * those the trend documents name first), the last weeks' tuples,
 * pairings and recent trend documents.
 */
export function cfvMessages(i: {
  tuples: readonly Tuple[];
  asOf: string;
  portrait: Portrait;
  baseline: Cfv;
  trendDocs: TrendDocHit[];
  vocab: Vocabulary;
  historyValues: string[];
  /** Per main category id, the value ids its offers carry. */
  carriedValueIds: ReadonlyMap<string, ReadonlySet<string>>;
  pairs: CategoryPair[];
}): BaseMessage[] {
  const cats = i.portrait.mainCategories.map((c) => c.categoryId);
  const history = new Set(i.historyValues);
  const inMains = new Set(
    categorySummaryTuples(i.tuples.filter((t) => cats.includes(t.categoryId)), CFV_BUDGET.historyValuesPerCategory).flatMap((t) => t.factors.map((f) => f.name)),
  );
  const valueName = new Map(i.vocab.values.map((v) => [v.id, v.name]));
  const docText = i.trendDocs.map((d) => `${d.title} ${d.text}`).join(" ");
  return cfvPrompt({
    portraitSummary: `${i.portrait.bType}；${clip(i.portrait.coreIntent, PROMPT_BUDGET.intentChars)}`,
    candidates: i.portrait.mainCategories.map((c) => ({
      category: c.name,
      values: [...(i.carriedValueIds.get(c.categoryId) ?? [])]
        .map((id) => valueName.get(id) ?? id)
        .filter((n) => !history.has(n))
        .sort((a, b) => Number(docText.includes(b)) - Number(docText.includes(a)) || a.localeCompare(b))
        .slice(0, CFV_BUDGET.candidatesPerCategory),
    })),
    baseline: cfvText(topCfv(i.baseline), false),
    historyValues: i.historyValues.filter((n) => inMains.has(n)),
    trendDocs: i.trendDocs.slice(0, CFV_BUDGET.docs),
    maxDocChars: CFV_BUDGET.docChars,
    pairs: pairsView(topPairs(i.pairs), i.vocab),
  });
}

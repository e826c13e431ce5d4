/**
 * Prompt of the `portrait` role (business-portrait agent): from the compressed weekly behaviour,
 * infer the buyer's vertical B-buyer type, drop-shipper type, core intent and four-part profile.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, DATA_NOT_INSTRUCTIONS, tagged } from "./common.js";
import type { Tuple } from "../contracts/behaviour.js";
import { B_TYPES, DROP_SHIPPER_TYPES, type Portrait } from "../contracts/portrait.js";
import { behaviourDigest } from "./views.js";

export interface PortraitPromptInput {
  /** Compact five-tuples, one per line (`#250504_卡片_22_65_3_魔童闹海:22|…`). */
  compact: string;
  /** Main leaf categories with their share of behaviour (0..1), from data. */
  mainCategories: readonly { name: string; share: number }[];
  /** The allowed B-buyer types (enum of the output schema). */
  bTypes: readonly string[];
  /** The allowed drop-shipper types (enum of the output schema). */
  dropShipperTypes: readonly string[];
}

const SYSTEM = `根据 1688 小 B 采购商一年的行为推断经营画像。行为每行：#周(YYMMDD)_类目_金额_数量_行为次数_因子:权重|…
先在 reasons 写关键观察（类目占比、下单量级、节奏、偏好），再下结论；主营类目与占比已由数据算出（<category>），不必重复；
B 类型取 {{bTypes}}；代发类型取 {{dropShipperTypes}}；身份、客群、经营策略、采购动机各一句中文。
{{safety}}`;

const USER = `{{categories}}
{{behavior}}`;

export function portraitPrompt(input: PortraitPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    bTypes: input.bTypes.join("/"),
    dropShipperTypes: input.dropShipperTypes.join("/"),
    categories:
      input.mainCategories.map((c) => tagged("category", `${(c.share * 100).toFixed(1)}%`, { name: c.name })).join("\n") ||
      "<category></category>",
    behavior: tagged("behavior", input.compact),
  });
}

/** The portrait role's messages: the behaviour digest and the main categories found from data. */
export function portraitMessages(i: { tuples: readonly Tuple[]; asOf: string; mainCategories: Portrait["mainCategories"] }): BaseMessage[] {
  return portraitPrompt({ compact: behaviourDigest(i.tuples, i.asOf), mainCategories: i.mainCategories, bTypes: B_TYPES, dropShipperTypes: DROP_SHIPPER_TYPES });
}

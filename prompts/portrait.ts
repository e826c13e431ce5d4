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

const SYSTEM = `你是 1688 B2B 批发平台的商业画像分析师。采购商是小 B 商家（精品店、批发商、直播卖家、一件代发、跨境卖家、礼品店等），
你要根据他们一年的采购行为推断其经营画像，为“推理式推荐”提供依据。
行为数据格式：每行一个“周 × 叶子类目”五元组 #周起始日(YYMMDD)_类目_金额_数量_行为次数_因子:权重|因子:权重…
任务：
1. 先在 reasons 中列出你依据的关键观察（类目占比、下单量级、采购节奏、偏好因子），再下结论。
2. 主营类目沿用给定的类目与占比，不要新增数据中没有的类目。
3. 垂直 B 类型只能取：{{bTypes}}；代发类型只能取：{{dropShipperTypes}}（非代发买家取 none）。
4. 画像四要素：客观身份、客群（买家自己的顾客）、经营策略、采购动机，各用一句中文概括。
5. 只输出要求的 JSON 结构。
{{safety}}`;

const USER = `主营类目与占比：
{{categories}}

压缩后的周度行为：
{{behavior}}`;

export function portraitPrompt(input: PortraitPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    bTypes: input.bTypes.join(" / "),
    dropShipperTypes: input.dropShipperTypes.join(" / "),
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

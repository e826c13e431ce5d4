/**
 * Prompt of the `sourcePlanner` role (agentic RAG): with the trend tools bound, the model chooses
 * which sources to ask and with what search terms, by calling the tools (bounded count), and
 * says why in its text.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, DATA_NOT_INSTRUCTIONS, tagged } from "./common.js";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Portrait } from "../contracts/portrait.js";
import type { Cfv } from "../contracts/cfv.js";
import { cfvText, portraitSummary, topCfv } from "./views.js";

export interface SourcePlannerPromptInput {
  portraitSummary: string;
  /** Compact CFV text per category. */
  cfvText: string;
  /** The bound tools: name and what the source is good for. */
  sources: readonly { tool: string; description: string }[];
  /** At most this many tool calls. */
  maxCalls: number;
  /** The decision date (ISO); only trends before it matter. */
  asOf: string;
}

const SYSTEM = `你是 1688 B2B 批发平台的趋势情报规划师。目标：为这位采购商寻找其主营类目及相关搭配类目的市场趋势，
帮助发现其历史行为之外的新需求（避免“信息茧房”）。
可用的趋势来源（以工具形式提供）：
{{sources}}
规则：
1. 通过调用工具来检索；一次回复中最多 {{maxCalls}} 个工具调用，优先覆盖不同来源与不同类目。
2. 检索词要短（2–8 个汉字），由类目名加风格、图案、IP、材质等因子构成，例如“法式 连衣裙”；不要照抄画像原文。
3. 在回复正文中用一两句话说明每个选择的理由。
4. 决策日期是 {{asOf}}，只关心此前的趋势。
{{safety}}`;

const USER = `采购商画像：
{{portrait}}

类目偏好（CFV）：
{{cfv}}`;

export function sourcePlannerPrompt(input: SourcePlannerPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    sources: input.sources.map((s) => `- ${s.tool}：${s.description}`).join("\n"),
    maxCalls: input.maxCalls,
    asOf: input.asOf.slice(0, 10),
    portrait: tagged("portrait", input.portraitSummary),
    cfv: tagged("cfv", input.cfvText),
  });
}

/** The source planner's messages: portrait, strongest CFV and the trend tools it may call. */
export function sourcePlannerMessages(i: { portrait: Portrait; cfv: Cfv; tools: StructuredToolInterface[]; maxCalls: number; asOf: string }): BaseMessage[] {
  return sourcePlannerPrompt({
    portraitSummary: portraitSummary(i.portrait),
    cfvText: cfvText(topCfv(i.cfv), false),
    sources: i.tools.map((t) => ({ tool: t.name, description: t.description })),
    maxCalls: i.maxCalls,
    asOf: i.asOf,
  });
}

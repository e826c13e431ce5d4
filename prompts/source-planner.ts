/**
 * Prompt of the `sourcePlanner` role (agentic RAG): with the trend tools bound, the model chooses
 * which sources to ask and with what search terms, by calling the tools (bounded count), and
 * says why in its text. The tools' descriptions travel with the bound tools; the prompt names them only.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, DATA_NOT_INSTRUCTIONS, tagged } from "./common.js";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Portrait } from "../contracts/portrait.js";
import type { Cfv } from "../contracts/cfv.js";
import { cfvText, topCfv } from "./views.js";

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

const SYSTEM = `为 1688 采购商检索主营及搭配类目在 {{asOf}} 前的市场趋势，发现历史之外的新需求。
调用趋势工具（{{sources}}）检索，一次最多 {{maxCalls}} 个调用，覆盖不同来源与类目；检索词 2–8 个汉字，类目名加因子取值，如“法式 连衣裙”；正文一句话说明理由。
{{safety}}`;

const USER = `{{portrait}}
{{cfv}}`;

export function sourcePlannerPrompt(input: SourcePlannerPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    sources: input.sources.map((s) => s.tool).join("、"),
    maxCalls: input.maxCalls,
    asOf: input.asOf.slice(0, 10),
    portrait: tagged("portrait", input.portraitSummary),
    cfv: tagged("cfv", input.cfvText),
  });
}

/** The source planner's messages: portrait, strongest CFV and the trend tools it may call. */
export function sourcePlannerMessages(i: { portrait: Portrait; cfv: Cfv; tools: StructuredToolInterface[]; maxCalls: number; asOf: string }): BaseMessage[] {
  return sourcePlannerPrompt({
    portraitSummary: `${i.portrait.bType}；主营 ${i.portrait.mainCategories.map((c) => `${c.name} ${(c.share * 100).toFixed(0)}%`).join("、")}`,
    cfvText: cfvText(topCfv(i.cfv, { long: 2, recent: 1, potential: 2 }), false),
    sources: i.tools.map((t) => ({ tool: t.name, description: t.description })),
    maxCalls: i.maxCalls,
    asOf: i.asOf,
  });
}

/**
 * Role `sourcePlanner` (agentic RAG): reads the portrait, the CFV and the trend tools of the run;
 * returns the trend plan — which sources to ask, with what search terms, and why. LLM mode: the
 * model with the trend tools bound chooses by tool calls (at most `maxToolCalls`); each call is
 * kept with its tool name and arguments so mine_trends executes it. Analytic mode: `./analytic.ts`.
 */
import type { AIMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Cfv } from "../../contracts/cfv.js";
import type { PlannableSource } from "../../contracts/configuration.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { StepReport } from "../../contracts/steps.js";
import type { TrendPlan } from "../../contracts/trends.js";
import { reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { countMessageTokens } from "../../llm/tokens.js";
import { sourcePlannerMessages } from "../../prompts/source-planner.js";
import { sourceOfTool as toolSource } from "../../tools/index.js";
import { analyticPlan } from "./analytic.js";

/** The plannable source a tool stands for (`search_xiaohongshu` → xiaohongshu, `web_search` → tavily). */
export function sourceOfTool(name: string): PlannableSource | null {
  const s = toolSource(name);
  return s === "web" ? "tavily" : (s ?? null);
}

function termOf(args: Record<string, unknown>): string | null {
  for (const k of ["query", "term", "q", "text", "keyword"]) {
    const v = args[k];
    if (typeof v === "string" && v.trim() !== "") return v.trim();
  }
  return null;
}

/** Turns a planner message's tool calls into plan calls (unknown tools and bad args dropped). */
export function callsFromToolCalls(msg: AIMessage, tools: StructuredToolInterface[], allowed: PlannableSource[], max: number): TrendPlan["calls"] {
  const reason = typeof msg.content === "string" && msg.content.trim() !== "" ? msg.content.trim().slice(0, 300) : "模型选择的来源";
  const names = new Set(tools.map((t) => t.name));
  const out: TrendPlan["calls"] = [];
  for (const tc of msg.tool_calls ?? []) {
    const source = sourceOfTool(tc.name);
    const term = termOf(tc.args as Record<string, unknown>);
    if (!names.has(tc.name) || !source || !allowed.includes(source) || !term) continue;
    out.push({ source, terms: [term], reason, tool: { name: tc.name, args: tc.args as Record<string, unknown>, id: tc.id } });
    if (out.length >= max) break;
  }
  return out;
}

export async function runSourcePlanner(
  { deps, cfg }: RoleContext,
  input: { asOf: string; portrait: Portrait; cfv: Cfv },
): Promise<{ trendPlan: TrendPlan; report: StepReport }> {
  const { asOf, portrait, cfv } = input;
  const vocab = await vocabularyOf(deps);
  const tools = deps.trendTools?.({ kg: deps.kg, asOf: asOf }) ?? [];
  const allowed = cfg.trendSources.filter((s) => s !== "tavily" || tools.some((t) => sourceOfTool(t.name) === "tavily"));
  const analytic = () =>
    analyticPlan({ portrait, cfv, vocab, sources: allowed, maxCalls: cfg.maxToolCalls });
  const role = "sourcePlanner" as const;
  const reasoner = reasonerFor(role, cfg, deps);
  const model = deps.chatModel(role);
  if (reasoner === "analytic" || !model || tools.length === 0 || typeof model.bindTools !== "function") {
    const report: StepReport = { role, reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: 0 };
    return { trendPlan: analytic(), report };
  }
  const messages = sourcePlannerMessages({ portrait, cfv, tools, maxCalls: cfg.maxToolCalls, asOf: asOf });
  const promptTokens = countMessageTokens(messages);
  if (deps.dryRunPrompts) return { trendPlan: analytic(), report: { role, reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens } };
  let lastError = "the model made no usable tool call";
  let llmCalls = 0;
  for (let attempt = 0; attempt <= cfg.maxRetries; attempt++) {
    llmCalls += 1;
    try {
      const msg = (await model.bindTools(tools).invoke(messages)) as AIMessage;
      const calls = callsFromToolCalls(msg, tools, allowed, cfg.maxToolCalls);
      if (calls.length > 0) {
        return { trendPlan: { calls }, report: { role, reasoner: "llm", degraded: false, llmCalls, promptTokens: promptTokens * llmCalls } };
      }
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  return {
    trendPlan: analytic(),
    report: { role, reasoner: "analytic", degraded: true, llmCalls, promptTokens: promptTokens * llmCalls, error: lastError },
  };
}

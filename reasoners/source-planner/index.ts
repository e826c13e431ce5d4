/**
 * Role `sourcePlanner` (agentic RAG): reads the compressed tuples — through the analytic portrait
 * and the analytic CFV of `reasoners/cfv` (`cfvBaseline`), so it runs beside the portrait and cfv
 * roles instead of after them — and the trend tools of the run;
 * returns the trend plan — which sources to ask, with what search terms, and why. LLM mode: a
 * bounded tool loop (LangGraph's `ToolNode` pattern) — the model with the trend tools bound makes
 * tool calls, the calls run, their results go back to the model as tool messages, and it may call
 * again until it stops, the calls reach `maxToolCalls` or `PLANNER_MAX_ROUNDS` rounds have run;
 * every executed call is kept with its tool name and arguments so mine_trends runs exactly these.
 * Analytic mode: `./analytic.ts`.
 */
import { AIMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Tuple } from "../../contracts/behaviour.js";
import type { PlannableSource } from "../../contracts/configuration.js";
import type { StepReport } from "../../contracts/steps.js";
import type { GraphDeps } from "../../contracts/deps.js";
import type { TrendPlan } from "../../contracts/trends.js";
import { chatModelFor, reasonerFor, type RoleContext } from "../../lib/deps.js";
import { cfvBaseline } from "../cfv/index.js";
import { countMessageTokens } from "../../llm/tokens.js";
import { sourcePlannerMessages } from "../../prompts/source-planner.js";
import { sourceOfTool as toolSource } from "../../tools/index.js";
import { analyticPlan } from "./analytic.js";

/** Most model rounds of the planner's tool loop (each round may make several calls). */
export const PLANNER_MAX_ROUNDS = 3;

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
  ctx: RoleContext,
  input: { userId: string; asOf: string; tuples: Tuple[] },
): Promise<{ trendPlan: TrendPlan; report: StepReport }> {
  const { deps, cfg } = ctx;
  const { asOf } = input;
  const { vocab, portrait, cfv } = await cfvBaseline(ctx, input);
  const tools = deps.trendTools?.({ kg: deps.kg, asOf: asOf }) ?? [];
  const allowed = cfg.trendSources.filter((s) => s !== "tavily" || tools.some((t) => sourceOfTool(t.name) === "tavily"));
  const analytic = () =>
    analyticPlan({ portrait, cfv, vocab, sources: allowed, maxCalls: cfg.maxToolCalls });
  const role = "sourcePlanner" as const;
  const reasoner = reasonerFor(role, cfg, deps);
  const model = chatModelFor(role, cfg, deps);
  if (reasoner === "analytic" || !model || tools.length === 0 || typeof model.bindTools !== "function") {
    const report: StepReport = { role, reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: 0 };
    return { trendPlan: analytic(), report };
  }
  const messages = sourcePlannerMessages({ portrait, cfv, tools, maxCalls: cfg.maxToolCalls, asOf });
  if (deps.dryRunPrompts) {
    return { trendPlan: analytic(), report: { role, reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: countMessageTokens(messages) } };
  }
  const out = await plannerLoop({ model, tools, messages, allowed, maxCalls: cfg.maxToolCalls, maxRetries: cfg.maxRetries ?? deps.llmMaxRetries ?? 2 });
  if (out.calls.length > 0) {
    return { trendPlan: { calls: out.calls }, report: { role, reasoner: "llm", degraded: false, llmCalls: out.llmCalls, promptTokens: out.promptTokens, ...completion(out.completionTokens) } };
  }
  return {
    trendPlan: analytic(),
    report: { role, reasoner: "analytic", degraded: true, llmCalls: out.llmCalls, promptTokens: out.promptTokens, ...completion(out.completionTokens), error: out.error },
  };
}

const completion = (n: number) => (n > 0 ? { completionTokens: n } : {});

function inputTokens(msg: AIMessage): number | undefined {
  const n = msg.usage_metadata?.input_tokens;
  return typeof n === "number" && n > 0 ? n : undefined;
}

/**
 * The planner's tool loop: the model calls tools, `ToolNode` runs them, the results go back as
 * tool messages; stops when the model makes no usable call, at `maxCalls` calls or after
 * `PLANNER_MAX_ROUNDS` rounds. A first round without a usable call is retried up to `maxRetries` times.
 */
export async function plannerLoop(a: {
  model: NonNullable<ReturnType<GraphDepsChatModel>>;
  tools: StructuredToolInterface[];
  messages: BaseMessage[];
  allowed: PlannableSource[];
  maxCalls: number;
  maxRetries: number;
}): Promise<{ calls: TrendPlan["calls"]; llmCalls: number; promptTokens: number; completionTokens: number; error?: string }> {
  const bound = a.model.bindTools!(a.tools);
  const toolNode = new ToolNode(a.tools, { handleToolErrors: true });
  const calls: TrendPlan["calls"] = [];
  let conversation = a.messages;
  let llmCalls = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let error = "the model made no usable tool call";
  let failures = 0;
  for (let round = 0; round < PLANNER_MAX_ROUNDS && calls.length < a.maxCalls; ) {
    llmCalls += 1;
    const estimate = countMessageTokens(conversation);
    let msg: AIMessage;
    try {
      msg = (await bound.invoke(conversation)) as AIMessage;
      promptTokens += inputTokens(msg) ?? estimate;
      completionTokens += msg.usage_metadata?.output_tokens ?? 0;
    } catch (e) {
      promptTokens += estimate;
      error = e instanceof Error ? e.message : String(e);
      if (calls.length > 0 || ++failures > a.maxRetries) break;
      continue;
    }
    const fresh = callsFromToolCalls(msg, a.tools, a.allowed, a.maxCalls - calls.length).map((c, i) => ({
      ...c,
      tool: { ...c.tool!, id: c.tool!.id ?? `call_${round}_${i}` },
    }));
    if (fresh.length === 0) {
      if (calls.length > 0 || ++failures > a.maxRetries) break;
      continue;
    }
    round += 1;
    calls.push(...fresh);
    const asked = new AIMessage({
      content: typeof msg.content === "string" ? msg.content : "",
      tool_calls: fresh.map((c) => ({ id: c.tool!.id, name: c.tool!.name, args: c.tool!.args, type: "tool_call" as const })),
    });
    const results = (await toolNode.invoke({ messages: [asked] })) as { messages: ToolMessage[] };
    conversation = [...conversation, asked, ...results.messages];
  }
  return calls.length > 0 ? { calls, llmCalls, promptTokens, completionTokens } : { calls, llmCalls, promptTokens, completionTokens, error };
}

type GraphDepsChatModel = GraphDeps["chatModel"];

/**
 * The `ChatEngine` on node-llama-cpp: loads a GGUF on the CPU (prebuilt llama.cpp, never built
 * here), keeps one context sequence and one `LlamaChat` over it (the prompt prefix of a retry is
 * reused), and answers normalised chat requests. JSON-schema answers and tool calls are both
 * enforced by a GBNF grammar built from the JSON schema: a tool round asks for
 * `{"tool_calls": [{"name", "arguments"}], "content"}` over the offered tools (the tools and that
 * format are described in the system message), so even a 0.5B model returns parsable calls.
 * Token counts use the model's own tokenizer over the chat-template-rendered prompt.
 */
import { getLlama, LlamaChat, LlamaLogLevel, type ChatHistoryItem, type Llama, type LlamaModel, type LlamaContext } from "node-llama-cpp";
import { EngineRequestError, type ChatEngine, type EngineMessage, type EngineRequest, type EngineResult, type EngineTool } from "./app.js";

export interface EngineOptions {
  modelPath: string;
  modelId: string;
  contextSize: number;
  threads: number;
}

const KEEP_KEYS = new Set([
  "type", "properties", "required", "items", "prefixItems", "enum", "const", "oneOf", "minItems", "maxItems",
  "minLength", "maxLength", "description", "additionalProperties", "$defs", "$ref", "format",
]);
const GRAMMAR_FORMATS = new Set(["date-time", "time", "date"]);

/**
 * A JSON schema in the subset node-llama-cpp's grammar understands: `anyOf` becomes `oneOf`,
 * `definitions` become `$defs`, keys it does not know (`$schema`, `title`, `minimum`, `pattern`, …)
 * and formats other than date/time are dropped (the client validates those after parsing).
 */
export function toGrammarSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGrammarSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k0, v] of Object.entries(schema as Record<string, unknown>)) {
    const k = k0 === "anyOf" ? "oneOf" : k0 === "definitions" ? "$defs" : k0;
    if (!KEEP_KEYS.has(k)) continue;
    if (k === "format" && !GRAMMAR_FORMATS.has(String(v))) continue;
    if (k === "properties" || k === "$defs") {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, s]) => [name, toGrammarSchema(s)]));
    } else if (k === "$ref" && typeof v === "string") {
      out[k] = v.replace("#/definitions/", "#/$defs/");
    } else if (k === "enum" || k === "const" || k === "required" || k === "description") {
      out[k] = v;
    } else {
      out[k] = toGrammarSchema(v);
    }
  }
  if (out.properties && out.type === undefined) out.type = "object";
  return out;
}

/** The schema a tool round's answer follows. */
export function toolCallSchema(tools: EngineTool[], mode: EngineRequest["toolMode"]): Record<string, unknown> {
  const offered = typeof mode === "object" ? tools.filter((t) => t.name === mode.name) : tools;
  const call = (t: EngineTool) => ({
    type: "object",
    properties: { name: { const: t.name }, arguments: toGrammarSchema(t.parameters) },
  });
  return {
    type: "object",
    properties: {
      tool_calls: {
        type: "array",
        items: offered.length === 1 ? call(offered[0]!) : { oneOf: offered.map(call) },
        minItems: mode === "auto" ? 0 : 1,
        maxItems: 4,
      },
      content: { type: "string", maxLength: 400 },
    },
  };
}

function toolsInstruction(tools: EngineTool[], mode: EngineRequest["toolMode"]): string {
  const list = tools.map((t) => `- ${t.name}: ${t.description} 参数 JSON Schema: ${JSON.stringify(t.parameters)}`).join("\n");
  const must = mode === "auto" ? "需要调用工具时在 tool_calls 中列出调用；不再需要工具时 tool_calls 为空数组，并在 content 中给出结论。" : "必须至少调用一个工具。";
  return `\n\n可用工具：\n${list}\n回答只输出 JSON：{"tool_calls":[{"name":"工具名","arguments":{...}}],"content":"说明"}。${must}工具结果会以 <tool_result> 标签返回。`;
}

/** OpenAI-style messages → node-llama-cpp chat history (tool rounds rendered as the JSON the model writes). */
export function toChatHistory(messages: EngineMessage[], extraSystem: string): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const systemText = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n") + extraSystem;
  if (systemText.trim() !== "") history.push({ type: "system", text: systemText });
  const pushUser = (t: string) => {
    const last = history[history.length - 1];
    if (last?.type === "user") last.text = `${last.text}\n\n${t}`;
    else history.push({ type: "user", text: t });
  };
  for (const m of messages) {
    if (m.role === "system") continue;
    else if (m.role === "user") pushUser(m.content);
    else if (m.role === "tool") pushUser(`<tool_result name="${m.name}" id="${m.toolCallId}">\n${m.content}\n</tool_result>`);
    else if (m.role === "assistant") {
      const text =
        m.toolCalls.length > 0
          ? JSON.stringify({ tool_calls: m.toolCalls.map((c) => ({ name: c.name, arguments: safeJson(c.arguments) })), content: m.content })
          : m.content;
      history.push({ type: "model", response: [text] });
    }
  }
  if (history[history.length - 1]?.type !== "user") pushUser("请继续。");
  return history;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Strips `<think>…</think>` blocks a reasoning model may emit before its answer. */
export function stripThink(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/g, "").replace(/^[\s\S]*?<\/think>/, "").trim();
}

export class LlamaEngine implements ChatEngine {
  private constructor(
    readonly modelId: string,
    readonly contextSize: number,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly chat: LlamaChat,
  ) {}

  static async load(opts: EngineOptions): Promise<LlamaEngine> {
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: opts.modelPath });
    const context = await model.createContext({ contextSize: opts.contextSize, threads: opts.threads });
    const chat = new LlamaChat({ contextSequence: context.getSequence() });
    return new LlamaEngine(opts.modelId, opts.contextSize, llama, model, context, chat);
  }

  private tokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  async complete(req: EngineRequest): Promise<EngineResult> {
    const toolRound = req.tools.length > 0;
    const history = toChatHistory(req.messages, toolRound ? toolsInstruction(req.tools, req.toolMode) : "");
    const promptTokens = this.chat.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(this.model.tokenizer).length;
    const maxTokens = req.maxTokens ?? Math.min(1024, this.contextSize - promptTokens);
    if (promptTokens + maxTokens > this.contextSize) {
      throw new EngineRequestError(
        `the prompt has ${promptTokens} tokens and max_tokens is ${maxTokens}: more than the context of ${this.contextSize} tokens (LOCAL_LLM_CONTEXT)`,
        "context_length_exceeded",
        "messages",
      );
    }
    const schema = toolRound ? toolCallSchema(req.tools, req.toolMode) : req.jsonSchema ? toGrammarSchema(req.jsonSchema) : undefined;
    const grammar = schema
      ? await this.llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0])
      : req.jsonObject
        ? await this.llama.getGrammarFor("json")
        : undefined;
    const res = await this.chat.generateResponse(history, {
      maxTokens,
      temperature: req.temperature ?? 0,
      ...(grammar ? { grammar } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const text = grammar ? res.response : stripThink(res.response);
    const completionTokens = this.tokens(res.response);
    const length = res.metadata.stopReason === "maxTokens";
    if (toolRound && !length) {
      const parsed = safeJson(text) as { tool_calls?: { name: string; arguments: unknown }[]; content?: string };
      const calls = (parsed.tool_calls ?? []).map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments ?? {}) }));
      return {
        content: calls.length > 0 ? (parsed.content?.trim() ? parsed.content : null) : (parsed.content ?? ""),
        toolCalls: calls,
        finishReason: calls.length > 0 ? "tool_calls" : "stop",
        promptTokens,
        completionTokens,
      };
    }
    return { content: text, toolCalls: [], finishReason: length ? "length" : "stop", promptTokens, completionTokens };
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

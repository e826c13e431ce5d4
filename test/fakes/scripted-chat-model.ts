/**
 * `ScriptedChatModel`: a chat model for tests that answers from a script, one step per call —
 * plain text, a JSON object as content, tool calls, a thrown error, or a function of the prompt —
 * and records every prompt it received with the tools bound and the structured-output name.
 * `bindTools` and `withStructuredOutput` (tool-call args or JSON content; `includeRaw` honoured)
 * work, so nodes and `runStep` run against it unchanged.
 */
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { RunnableLambda, type Runnable } from "@langchain/core/runnables";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";

export interface ScriptedToolCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/** One scripted answer. */
export type ScriptStep =
  | string
  | AIMessage
  | { json: unknown }
  | { toolCalls: ScriptedToolCall[]; content?: string }
  | { error: string }
  | ((messages: BaseMessage[], call: number) => Exclude<ScriptStep, (...a: never[]) => unknown>);

export interface RecordedCall {
  messages: BaseMessage[];
  /** Names of the tools bound for this call. */
  tools: string[];
  /** `withStructuredOutput` name, when the call came through it. */
  structuredName?: string;
}

export interface ScriptedChatModelOptions extends BaseChatModelParams {
  /** Usage reported on every answer (as the server's `usage`), if any. */
  usage?: { input_tokens: number; output_tokens: number };
  /** Start the script over when it runs out instead of throwing. */
  loop?: boolean;
}

interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: unknown[];
  structuredName?: string;
}

function toolName(tool: unknown): string {
  const t = tool as { function?: { name?: string }; name?: string };
  return t.function?.name ?? t.name ?? "unknown";
}

export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions> {
  readonly calls: RecordedCall[] = [];
  private readonly script: ScriptStep[];
  private readonly usage?: { input_tokens: number; output_tokens: number };
  private readonly loop: boolean;
  private cursor = 0;

  constructor(script: ScriptStep[], options: ScriptedChatModelOptions = {}) {
    super(options);
    this.script = script;
    this.usage = options.usage;
    this.loop = options.loop ?? false;
  }

  _llmType(): string {
    return "scripted";
  }

  /** Number of script steps not yet used. */
  get remaining(): number {
    return Math.max(0, this.script.length - this.cursor);
  }

  private nextMessage(messages: BaseMessage[]): AIMessage {
    if (this.cursor >= this.script.length) {
      if (!this.loop || this.script.length === 0) {
        throw new Error(`ScriptedChatModel: script exhausted after ${this.cursor} calls`);
      }
      this.cursor = 0;
    }
    const call = this.calls.length - 1;
    let step = this.script[this.cursor++];
    if (typeof step === "function") step = step(messages, call);
    const usage = this.usage
      ? { ...this.usage, total_tokens: this.usage.input_tokens + this.usage.output_tokens }
      : undefined;
    if (typeof step === "string") return new AIMessage({ content: step, usage_metadata: usage });
    if (step instanceof AIMessage) return step;
    if ("error" in step) throw new Error(step.error);
    if ("json" in step) return new AIMessage({ content: JSON.stringify(step.json), usage_metadata: usage });
    return new AIMessage({
      content: step.content ?? "",
      tool_calls: step.toolCalls.map((tc, i) => ({
        name: tc.name,
        args: tc.args,
        id: tc.id ?? `call_${this.calls.length}_${i}`,
        type: "tool_call" as const,
      })),
      usage_metadata: usage,
    });
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    this.calls.push({
      messages: [...messages],
      tools: (options.tools ?? []).map(toolName),
      structuredName: options.structuredName,
    });
    const message = this.nextMessage(messages);
    const text = typeof message.content === "string" ? message.content : "";
    return { generations: [{ text, message }] };
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ScriptedCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions> {
    const converted = tools.map((t) => convertToOpenAITool(t));
    return this.withConfig({ ...kwargs, tools: converted }) as unknown as Runnable<
      BaseLanguageModelInput,
      AIMessageChunk,
      ScriptedCallOptions
    >;
  }

  /** Answers with the first tool call's args, else the JSON content; `includeRaw` gives `{raw, parsed}`. */
  override withStructuredOutput(_schema: unknown, config?: { name?: string; includeRaw?: boolean }): Runnable<BaseLanguageModelInput, any> {
    const name = config?.name ?? "extract";
    const includeRaw = config?.includeRaw ?? false;
    const bound = this.withConfig({ structuredName: name } as Partial<ScriptedCallOptions>);
    return RunnableLambda.from(async (input: BaseLanguageModelInput) => {
      const raw = (await bound.invoke(input)) as AIMessage;
      let parsed: unknown = null;
      let parseError: unknown;
      try {
        parsed = parseStructured(raw);
      } catch (e) {
        parseError = e;
      }
      if (includeRaw) return { raw, parsed };
      if (parseError !== undefined) throw parseError;
      return parsed;
    });
  }
}

function parseStructured(message: AIMessage): unknown {
  const tc = message.tool_calls?.[0];
  if (tc) return tc.args;
  if (typeof message.content !== "string") throw new Error("no structured output found");
  return JSON.parse(message.content);
}

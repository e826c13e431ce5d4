/**
 * Implements `RunStep` (contracts/steps.ts). Analytic path: computes the value from data, validates it
 * against the step's schema and reports `{reasoner: "analytic", llmCalls: 0}`. LLM path: renders
 * the prompt, calls `model.withStructuredOutput(wireSchema ?? schema, {name: role, method, includeRaw: true})`,
 * validates the answer with the zod schema (an answer cut at `max_tokens` keeps its complete
 * entries, `salvageCut`, when the client hands it back, as with `jsonMode`; through `json_schema`
 * the OpenAI SDK raises `LengthFinishReasonError` instead and the retry is told the answer was
 * cut), retries up to `maxRetries` times (each retry shows
 * the model its failed answer and the validation error), then falls back to the analytic value with
 * `degraded: true` and the last error. Prompt tokens come from the server's usage metadata when
 * it reports them, else from gpt-tokenizer over the rendered messages.
 */
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { parsePartialJson } from "@langchain/core/output_parsers";
import type { z } from "zod";
import type { LlmConfig, StructuredOutputMethod } from "./config.js";
import type { RunStep, RunStepArgs, StepOutcome, StepReport } from "../contracts/steps.js";
import { countMessageTokens, type TokenEncoding } from "./tokens.js";

export interface RunStepOptions {
  /** Structured-output method passed to `withStructuredOutput`; default `jsonSchema`. */
  method?: StructuredOutputMethod;
  /** Tokenizer for the prompt-token estimate; default `o200k_base`. */
  encoding?: TokenEncoding;
  /**
   * Render prompts and count their tokens but send nothing: the LLM path returns the analytic
   * value with `reasoner: "analytic"`, `llmCalls: 0` and the rendered prompt's tokens (for the
   * benchmark of prompt budgets).
   */
  dryRun?: boolean;
  /** Retries of a step whose arguments give none (`LLM_MAX_RETRIES`); default 2. */
  maxRetries?: number;
  /** Called after every failed LLM attempt (logging, tests). */
  onAttemptError?: (info: { role: string; attempt: number; error: string }) => void;
}

const MAX_ERROR_CHARS = 600;
/** How much of a failed answer a retry shows the model. */
const MAX_ECHO_CHARS = 1500;

/** What a retry is told when the answer hit the token limit. */
const CUT_ERROR = "the answer was cut at the token limit before its JSON was complete: write fewer entries and shorter reasons";

function errorText(e: unknown): string {
  if (e instanceof Error && (e.name === "LengthFinishReasonError" || e.constructor.name === "LengthFinishReasonError")) return CUT_ERROR;
  const s = e instanceof Error ? e.message : String(e);
  return s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s;
}

function zodIssuesText(error: z.ZodError): string {
  const s = error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
  return s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s;
}

/** `<think>…</think>` blocks (and an unclosed leading one) removed. */
export function stripThink(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/g, "").replace(/^\s*<think>[\s\S]*$/, "").trim();
}

/** The text of a raw answer: its content, else its first tool call's arguments as JSON. */
export function rawAnswerText(raw: unknown): string {
  if (raw === null || typeof raw !== "object") return "";
  const msg = raw as { tool_calls?: { args?: unknown }[]; content?: unknown };
  const content =
    typeof msg.content === "string"
      ? msg.content
      : Array.isArray(msg.content)
        ? msg.content.map((p) => (typeof p === "object" && p && "text" in p ? String(p.text) : "")).join("")
        : "";
  if (content.trim() === "" && Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) return JSON.stringify(msg.tool_calls[0]?.args ?? {});
  return content;
}

/** Best effort: the JSON object a raw answer carries (first tool call's args, else JSON content, think blocks stripped). */
export function extractCandidate(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return undefined;
  const msg = raw as { tool_calls?: { args?: unknown }[]; content?: unknown };
  if (Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) return msg.tool_calls[0]?.args;
  const content = stripThink(rawAnswerText(raw));
  const trimmed = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** Whether the server stopped the answer at its token limit (`finish_reason: "length"`). */
export function wasCut(raw: unknown): boolean {
  const meta = (raw as { response_metadata?: { finish_reason?: unknown } } | null)?.response_metadata;
  return meta?.finish_reason === "length";
}

/**
 * The complete part of a JSON answer cut at the token limit: the JSON closed where it stopped,
 * then the last element of the outermost array on the path being written dropped (the one that
 * was cut, whatever depth the cut fell at). Undefined when no array was being written.
 */
export function salvageCut(text: string): unknown {
  const trimmed = stripThink(text).replace(/^```(?:json)?\s*/i, "");
  const partial: unknown = parsePartialJson(trimmed);
  if (partial === null || typeof partial !== "object") return undefined;
  let node: unknown = partial;
  while (node !== null && typeof node === "object") {
    if (Array.isArray(node)) {
      node.pop();
      return partial;
    }
    const keys = Object.keys(node);
    if (keys.length === 0) return undefined;
    node = (node as Record<string, unknown>)[keys[keys.length - 1]!];
  }
  return undefined;
}

function inputTokensOf(raw: unknown): number | undefined {
  const usage = (raw as { usage_metadata?: { input_tokens?: unknown } } | null)?.usage_metadata;
  const n = usage?.input_tokens;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

function outputTokensOf(raw: unknown): number {
  const n = (raw as { usage_metadata?: { output_tokens?: unknown } } | null)?.usage_metadata?.output_tokens;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;
}

/** The retry turn: the failed answer as the model's message (when there was one), then the error. */
export function correction(error: string, failedAnswer: string): BaseMessage[] {
  const echo = failedAnswer.trim();
  const shown = echo.length > MAX_ECHO_CHARS ? `${echo.slice(0, MAX_ECHO_CHARS)}…` : echo;
  return [
    ...(shown !== "" ? [new AIMessage(shown)] : []),
    new HumanMessage(
      `上一次的输出没有通过结构校验：${error}\n请只输出符合要求结构的 JSON，字段名、类型和取值范围必须与要求完全一致。`,
    ),
  ];
}

async function analyticOutcome<S extends z.ZodType>(
  args: RunStepArgs<S>,
  report: Omit<StepReport, "role">,
): Promise<StepOutcome<z.infer<S>>> {
  const computed = await args.analytic();
  const checked = args.schema.safeParse(computed);
  if (!checked.success) {
    throw new Error(`analytic ${args.role} result violates its schema: ${zodIssuesText(checked.error)}`);
  }
  return { value: checked.data as z.infer<S>, report: { role: args.role, ...report } };
}

/** Builds a `RunStep` with these options; `runStep` is the default one. */
export function createRunStep(options: RunStepOptions = {}): RunStep {
  const method = options.method ?? "jsonSchema";
  const encoding = options.encoding ?? "o200k_base";
  const defaultRetries = options.maxRetries ?? 2;

  return async function runStepImpl<S extends z.ZodType>(args: RunStepArgs<S>): Promise<StepOutcome<z.infer<S>>> {
    if (args.reasoner === "analytic") {
      return analyticOutcome(args, { reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: 0 });
    }
    const messages: BaseMessage[] = args.prompt();
    if (options.dryRun) {
      return analyticOutcome(args, {
        reasoner: "analytic",
        degraded: false,
        llmCalls: 0,
        promptTokens: countMessageTokens(messages, encoding),
      });
    }
    const model: BaseChatModel | undefined = args.model;
    if (model === undefined) {
      throw new Error(`reasoner "llm" for role "${args.role}" needs a chat model; none was given`);
    }
    const structured = model.withStructuredOutput((args.wireSchema ?? args.schema) as z.ZodType<Record<string, unknown>>, {
      name: args.role,
      method,
      includeRaw: true,
    });

    let llmCalls = 0;
    let promptTokens = 0;
    let completionTokens = 0;
    let lastError = "no attempt was made";
    let conversation = messages;
    const attempts = 1 + Math.max(0, Math.floor(args.maxRetries ?? defaultRetries));
    for (let attempt = 0; attempt < attempts; attempt++) {
      llmCalls += 1;
      let failedAnswer = "";
      const estimate = countMessageTokens(conversation, encoding);
      try {
        const out = (await structured.invoke(conversation)) as { raw: unknown; parsed: unknown };
        promptTokens += inputTokensOf(out.raw) ?? estimate;
        completionTokens += outputTokensOf(out.raw);
        failedAnswer = rawAnswerText(out.raw);
        const candidate = out.parsed ?? extractCandidate(out.raw);
        let checked = args.schema.safeParse(candidate);
        let truncated = false;
        const cut = wasCut(out.raw);
        if (!checked.success && cut) {
          const salvaged = args.schema.safeParse(salvageCut(failedAnswer));
          if (salvaged.success) [checked, truncated] = [salvaged, true];
        }
        const rejected = checked.success ? (args.accept?.(checked.data as z.infer<S>) ?? null) : null;
        if (checked.success && rejected === null) {
          return {
            value: checked.data as z.infer<S>,
            report: { role: args.role, reasoner: "llm", degraded: false, llmCalls, promptTokens, ...(completionTokens > 0 ? { completionTokens } : {}), ...(truncated ? { truncated } : {}) },
          };
        }
        lastError = checked.success
          ? rejected!
          : cut
            ? CUT_ERROR
            : candidate === undefined
              ? "the answer carried no JSON object"
              : zodIssuesText(checked.error);
      } catch (e) {
        promptTokens += estimate;
        lastError = errorText(e);
      }
      options.onAttemptError?.({ role: args.role, attempt, error: lastError });
      conversation = [...messages, ...correction(lastError, failedAnswer)];
    }
    return analyticOutcome(args, {
      reasoner: "analytic",
      degraded: true,
      llmCalls,
      promptTokens,
      ...(completionTokens > 0 ? { completionTokens } : {}),
      error: lastError,
    });
  };
}

/** The `RunStep` for a loaded configuration: its structured-output method (`LLM_STRUCTURED_OUTPUT`) and retries (`LLM_MAX_RETRIES`). */
export function runStepFor(config: Pick<LlmConfig, "structuredOutputMethod" | "maxRetries">, options: Omit<RunStepOptions, "method" | "maxRetries"> = {}): RunStep {
  return createRunStep({ ...options, method: config.structuredOutputMethod, maxRetries: config.maxRetries });
}

/** The default `RunStep`: JSON-schema structured output, `o200k_base` token counts. */
export const runStep: RunStep = createRunStep();

/**
 * The contract every reasoning step follows: one zod schema, two implementations (LLM and
 * analytic), and a record of which one produced the result. `llm/run-step.ts` implements
 * `runStep`; nodes call it and never talk to a chat model directly.
 */
import { z } from "zod";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";

/** The reasoning roles; each can be configured `auto | llm | analytic` with its own model name. */
export const REASONING_ROLES = [
  "compressor",
  "portrait",
  "cfv",
  "sourcePlanner",
  "trendExtractor",
  "queryGenerator",
  "critic",
] as const;
export type ReasoningRole = (typeof REASONING_ROLES)[number];

export type ReasonerChoice = "auto" | "llm" | "analytic";
export type ReasonerUsed = "llm" | "analytic";

/** What a step reports about itself; stored in state diagnostics and in the result. */
export const StepReportSchema = z.object({
  role: z.enum(REASONING_ROLES),
  reasoner: z.enum(["llm", "analytic"]),
  /** True when the LLM was asked but failed after its retries and the analytic result stands. */
  degraded: z.boolean(),
  llmCalls: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  /** Completion tokens the server reported (usage), over every call of the step; absent when none was reported. */
  completionTokens: z.number().int().nonnegative().optional(),
  /** True when the accepted answer was cut at the role's `max_tokens` and only its complete entries were kept. */
  truncated: z.boolean().optional(),
  /** Why the step degraded (last validation or transport error), when it did. */
  error: z.string().optional(),
});
export type StepReport = z.infer<typeof StepReportSchema>;

export interface StepOutcome<T> {
  value: T;
  report: StepReport;
}

export interface RunStepArgs<S extends z.ZodType> {
  role: ReasoningRole;
  schema: S;
  /** Resolved choice for this role (after `auto` has been resolved against the configuration). */
  reasoner: ReasonerUsed;
  /** The chat model for this role; required when `reasoner` is `llm`. */
  model?: BaseChatModel;
  /**
   * The schema sent to the model when it should be stricter than `schema` for this call (e.g. at
   * least one query: `minItems`, which grammar-constrained servers such as llama.cpp enforce and
   * strict json_schema servers accept). Answers are still validated against `schema` and `accept`.
   */
  wireSchema?: z.ZodType;
  /** Renders the prompt; only called on the LLM path. */
  prompt: () => BaseMessage[];
  /** Computes the same contract from data; the offline path and the fallback. */
  analytic: () => z.infer<S> | Promise<z.infer<S>>;
  /**
   * A check of a parsed LLM answer beyond its schema (e.g. "at least one query"); returns the
   * problem, shown to the model on retry, or null. Not applied to the analytic value.
   */
  accept?: (value: z.infer<S>) => string | null;
  /** Retries after the first attempt before falling back; default the runner's (`LLM_MAX_RETRIES`). */
  maxRetries?: number;
}

export type RunStep = <S extends z.ZodType>(args: RunStepArgs<S>) => Promise<StepOutcome<z.infer<S>>>;

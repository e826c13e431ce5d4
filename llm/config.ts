/**
 * LLM configuration from the environment: one OpenAI-compatible endpoint, a model name for all
 * roles (`LLM_MODEL`) with per-role overrides (`LLM_MODEL_<ROLE>`, e.g. `LLM_MODEL_SOURCE_PLANNER`),
 * timeout, retry bound, temperature and the structured-output method. `resolveReasoner` turns a
 * role's `auto | llm | analytic` choice into the reasoner that will run.
 */
import { z } from "zod";
import { REASONING_ROLES, type ReasonerChoice, type ReasonerUsed, type ReasoningRole } from "../contracts/steps.js";

/**
 * How `withStructuredOutput` asks for JSON: `jsonSchema` (`response_format: json_schema`; vLLM,
 * SGLang, Ollama, OpenAI, Qwen on DashScope), `functionCalling` (a forced tool call; servers with
 * tool calling but no JSON-schema decoding, e.g. DeepSeek), `jsonMode` (`json_object`, weakest).
 */
export const StructuredOutputMethod = z.enum(["jsonSchema", "functionCalling", "jsonMode"]);
export type StructuredOutputMethod = z.infer<typeof StructuredOutputMethod>;

export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl?: string;
  apiKey?: string;
  /** Model for every role without its own override. */
  model?: string;
  /** Per-role model overrides. */
  roleModels: Partial<Record<ReasoningRole, string>>;
  timeoutMs: number;
  /** Retries after the first attempt of a reasoning step before the analytic fallback. */
  maxRetries: number;
  temperature?: number;
  structuredOutputMethod: StructuredOutputMethod;
  /** Extra fields merged into every chat request body (e.g. vLLM/Qwen `chat_template_kwargs`). */
  extraBody?: Record<string, unknown>;
}

/** `sourcePlanner` → `LLM_MODEL_SOURCE_PLANNER`. */
export function roleModelEnvVar(role: ReasoningRole): string {
  return `LLM_MODEL_${role.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

export interface EnvVarDoc {
  name: string;
  default: string;
  meaning: string;
}

/** Every environment variable this module reads, for the README. */
export const LLM_ENV_VARS: readonly EnvVarDoc[] = [
  { name: "LLM_BASE_URL", default: "(unset)", meaning: "OpenAI-compatible endpoint (vLLM, Ollama, Qwen, DeepSeek, OpenAI); unset means `auto` runs the analytic reasoner" },
  { name: "LLM_API_KEY", default: "(unset)", meaning: "API key sent as bearer token; local servers usually need none" },
  { name: "LLM_MODEL", default: "(unset)", meaning: "model name for every reasoning role" },
  ...REASONING_ROLES.map((role) => ({
    name: roleModelEnvVar(role),
    default: "LLM_MODEL",
    meaning: `model name for the ${role} role`,
  })),
  { name: "LLM_TIMEOUT_MS", default: "60000", meaning: "timeout of one chat request in milliseconds" },
  { name: "LLM_MAX_RETRIES", default: "2", meaning: "retries of a reasoning step after the first attempt, before the analytic fallback" },
  { name: "LLM_TEMPERATURE", default: "(server default)", meaning: "sampling temperature" },
  { name: "LLM_STRUCTURED_OUTPUT", default: "jsonSchema", meaning: "structured-output method: jsonSchema | functionCalling | jsonMode" },
  {
    name: "LLM_EXTRA_BODY",
    default: "(unset)",
    meaning: 'JSON object merged into every chat request, e.g. {"chat_template_kwargs":{"enable_thinking":false}} for Qwen3 on vLLM',
  },
];

const nonEmpty = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

const intFromEnv = (fallback: number, min: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === "") return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `expected an integer >= ${min}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  LLM_BASE_URL: nonEmpty,
  LLM_API_KEY: nonEmpty,
  LLM_MODEL: nonEmpty,
  LLM_TIMEOUT_MS: intFromEnv(60_000, 1),
  LLM_MAX_RETRIES: intFromEnv(2, 0),
  LLM_TEMPERATURE: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === "") return undefined;
      const n = Number(s);
      if (!Number.isFinite(n) || n < 0 || n > 2) {
        ctx.addIssue({ code: "custom", message: `expected a number in [0, 2], got "${s}"` });
        return z.NEVER;
      }
      return n;
    }),
  LLM_STRUCTURED_OUTPUT: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === "" ? "jsonSchema" : s.trim()))
    .pipe(StructuredOutputMethod),
  LLM_EXTRA_BODY: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === "") return undefined;
      try {
        const v: unknown = JSON.parse(s);
        if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* reported below */
      }
      ctx.addIssue({ code: "custom", message: "expected a JSON object" });
      return z.NEVER;
    }),
});

/** Reads the LLM configuration from an environment (default `process.env`); throws on invalid values. */
export function loadLlmConfig(env: Record<string, string | undefined> = process.env): LlmConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid LLM configuration: ${detail}`);
  }
  const e = parsed.data;
  const roleModels: Partial<Record<ReasoningRole, string>> = {};
  for (const role of REASONING_ROLES) {
    const v = env[roleModelEnvVar(role)]?.trim();
    if (v) roleModels[role] = v;
  }
  return {
    baseUrl: e.LLM_BASE_URL,
    apiKey: e.LLM_API_KEY,
    model: e.LLM_MODEL,
    roleModels,
    timeoutMs: e.LLM_TIMEOUT_MS,
    maxRetries: e.LLM_MAX_RETRIES,
    temperature: e.LLM_TEMPERATURE,
    structuredOutputMethod: e.LLM_STRUCTURED_OUTPUT,
    ...(e.LLM_EXTRA_BODY ? { extraBody: e.LLM_EXTRA_BODY } : {}),
  };
}

/** Returns a copy with these per-role model names taking precedence (e.g. from graph configuration). */
export function withRoleModels(
  config: LlmConfig,
  roleModels: Partial<Record<ReasoningRole, string | undefined>>,
): LlmConfig {
  const merged: Partial<Record<ReasoningRole, string>> = { ...config.roleModels };
  for (const role of REASONING_ROLES) {
    const v = roleModels[role]?.trim();
    if (v) merged[role] = v;
  }
  return { ...config, roleModels: merged };
}

/** The model configured for a role (its override, else `LLM_MODEL`), or undefined. */
export function modelForRole(role: ReasoningRole, config: LlmConfig): string | undefined {
  return config.roleModels[role] ?? config.model;
}

/** True when a role can run on the LLM: a base URL and a model for the role are configured. */
export function isLlmConfigured(role: ReasoningRole, config: LlmConfig): boolean {
  return config.baseUrl !== undefined && modelForRole(role, config) !== undefined;
}

/**
 * `analytic` → analytic; `auto` → llm when a base URL and a model for the role are configured,
 * else analytic; `llm` without them → throws an error naming the missing variables.
 */
export function resolveReasoner(choice: ReasonerChoice, role: ReasoningRole, config: LlmConfig): ReasonerUsed {
  if (choice === "analytic") return "analytic";
  if (isLlmConfigured(role, config)) return "llm";
  if (choice === "auto") return "analytic";
  const missing = [
    config.baseUrl === undefined ? "LLM_BASE_URL" : null,
    modelForRole(role, config) === undefined ? `LLM_MODEL or ${roleModelEnvVar(role)}` : null,
  ].filter((s): s is string => s !== null);
  throw new Error(`reasoner "llm" was requested for role "${role}" but ${missing.join(" and ")} is not set`);
}

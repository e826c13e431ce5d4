/**
 * LLM configuration from the environment: one OpenAI-compatible endpoint, a model name for all
 * roles (`LLM_MODEL`) with per-role overrides (`LLM_MODEL_<ROLE>`, e.g. `LLM_MODEL_SOURCE_PLANNER`),
 * timeout, retry bound, temperature and the structured-output method. `resolveReasoner` turns a
 * role's `auto | llm | analytic` choice into the reasoner that will run. The variables, defaults
 * and schemas are the `llm` group of the registry `lib/env.ts`.
 */
import {
  envVarDocs,
  readEnvGroup,
  roleModelEnvVar as registryRoleModelEnvVar,
  StructuredOutputMethod,
  type EnvVarDoc,
} from "../lib/env.js";
import { REASONING_ROLES, type ReasonerChoice, type ReasonerUsed, type ReasoningRole } from "../contracts/steps.js";

export { StructuredOutputMethod };

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
  return registryRoleModelEnvVar(role);
}

export type { EnvVarDoc };

/** Every environment variable this module reads, for the README (the `llm` group of `lib/env.ts`). */
export const LLM_ENV_VARS: readonly EnvVarDoc[] = envVarDocs(["llm"], REASONING_ROLES);

/** Reads the LLM configuration from an environment (default `process.env`); throws on invalid values. */
export function loadLlmConfig(env: Record<string, string | undefined> = process.env): LlmConfig {
  const e = readEnvGroup("llm", env, (lines) => new Error(`invalid LLM configuration: ${lines.join("; ")}`));
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

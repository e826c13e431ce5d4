/**
 * Chat-model factory: one `ChatOpenAI` per reasoning role, pointed at the configured
 * OpenAI-compatible endpoint over the chat-completions wire. The client's own retries are off
 * (`maxRetries: 0`): the reasoning step's bounded retry (llm/run-step.ts) is the only one. Each
 * role's answer is capped by its `max_tokens` (llm/role-limits.ts).
 */
import { Agent, fetch as undiciFetch } from "undici";
import { ChatOpenAI } from "@langchain/openai";
import { isLlmConfigured, modelForRole, roleModelEnvVar, withRoleModels, type LlmConfig } from "./config.js";
import type { ReasoningRole } from "../contracts/steps.js";
import { ROLE_MAX_TOKENS } from "./role-limits.js";

/** Servers without authentication still need a non-empty key for the OpenAI client. */
const PLACEHOLDER_API_KEY = "not-needed";

/**
 * A fetch whose connection waits as long as the request timeout for the answer's headers and
 * body. Node's built-in fetch gives up after 300 s without response headers, whatever the client's
 * timeout: a non-streaming completion from a slow or queueing server (the local model on a busy
 * CPU) was cut at 5 minutes with `LLM_TIMEOUT_MS` set higher.
 */
export function fetchWithin(timeoutMs: number): typeof globalThis.fetch {
  const dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return ((url: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
}

/** The chat model for `role`; throws when no base URL or model is configured for it. */
export function createChatModel(role: ReasoningRole, config: LlmConfig): ChatOpenAI {
  const model = modelForRole(role, config);
  if (config.baseUrl === undefined || model === undefined) {
    throw new Error(
      `no chat model for role "${role}": set LLM_BASE_URL and LLM_MODEL (or ${roleModelEnvVar(role)})`,
    );
  }
  return new ChatOpenAI({
    model,
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: { baseURL: config.baseUrl, fetch: fetchWithin(config.timeoutMs) },
    timeout: config.timeoutMs,
    maxRetries: 0,
    maxTokens: ROLE_MAX_TOKENS[role],
    useResponsesApi: false,
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.extraBody ? { modelKwargs: config.extraBody } : {}),
  });
}

/**
 * A per-role model lookup for graph dependencies: the role's `ChatOpenAI` (built on first use and
 * kept by this lookup) when a base URL and a model are configured for it, else undefined.
 * `modelName` (the graph configuration's per-role `model`) overrides the environment's model.
 */
export function createChatModels(config: LlmConfig): (role: ReasoningRole, modelName?: string) => ChatOpenAI | undefined {
  const built = new Map<string, ChatOpenAI>();
  return (role, modelName) => {
    const cfg = modelName ? withRoleModels(config, { [role]: modelName }) : config;
    if (!isLlmConfigured(role, cfg)) return undefined;
    const key = `${role}\u0000${modelForRole(role, cfg)}`;
    let model = built.get(key);
    if (model === undefined) {
      model = createChatModel(role, cfg);
      built.set(key, model);
    }
    return model;
  };
}

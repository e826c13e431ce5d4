/**
 * The chat-model factory: each role's `max_tokens`, and the graph configuration's per-role model
 * name reaching the model a role gets (no network: models are only constructed).
 */
import { describe, expect, it } from "vitest";
import { createChatModels } from "./chat-models.js";
import { loadLlmConfig } from "./config.js";
import { ROLE_MAX_TOKENS } from "./role-limits.js";

describe("createChatModels", () => {
  const cfg = loadLlmConfig({ LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "base", LLM_MODEL_CRITIC: "judge" });

  it("gives each role its model and its max_tokens", () => {
    const models = createChatModels(cfg);
    expect(models("portrait")!.model).toBe("base");
    expect(models("critic")!.model).toBe("judge");
    expect(models("queryGenerator")!.maxTokens).toBe(ROLE_MAX_TOKENS.queryGenerator);
    expect(models("sourcePlanner")!.maxTokens).toBe(ROLE_MAX_TOKENS.sourcePlanner);
  });

  it("lets the graph configuration's per-role model override the environment", () => {
    const models = createChatModels(cfg);
    expect(models("critic", "qwen3-32b")!.model).toBe("qwen3-32b");
    expect(models("critic")!.model).toBe("judge");
    expect(models("portrait", "other")).not.toBe(models("portrait"));
  });

  it("builds nothing without a base URL", () => {
    expect(createChatModels(loadLlmConfig({ LLM_MODEL: "m" }))("portrait", "x")).toBeUndefined();
  });
});

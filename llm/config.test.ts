import { describe, expect, it } from "vitest";
import { LLM_ENV_VARS, loadLlmConfig, modelForRole, resolveReasoner, roleModelEnvVar, withRoleModels } from "./config.js";
import { REASONING_ROLES } from "../contracts/steps.js";

describe("loadLlmConfig", () => {
  it("uses documented defaults on an empty environment", () => {
    const cfg = loadLlmConfig({});
    expect(cfg).toEqual({
      baseUrl: undefined,
      apiKey: undefined,
      model: undefined,
      roleModels: {},
      timeoutMs: 60_000,
      maxRetries: 2,
      temperature: undefined,
      structuredOutputMethod: "jsonSchema",
    });
  });

  it("reads the endpoint, one model for all and per-role overrides", () => {
    const cfg = loadLlmConfig({
      LLM_BASE_URL: "http://127.0.0.1:8000/v1",
      LLM_API_KEY: "k",
      LLM_MODEL: "qwen3-8b",
      LLM_MODEL_CRITIC: "qwen3-32b",
      LLM_MODEL_SOURCE_PLANNER: "deepseek-chat",
      LLM_TIMEOUT_MS: "1500",
      LLM_MAX_RETRIES: "0",
      LLM_TEMPERATURE: "0.2",
      LLM_STRUCTURED_OUTPUT: "functionCalling",
    });
    expect(modelForRole("critic", cfg)).toBe("qwen3-32b");
    expect(modelForRole("sourcePlanner", cfg)).toBe("deepseek-chat");
    expect(modelForRole("portrait", cfg)).toBe("qwen3-8b");
    expect(cfg.timeoutMs).toBe(1500);
    expect(cfg.maxRetries).toBe(0);
    expect(cfg.temperature).toBe(0.2);
    expect(cfg.structuredOutputMethod).toBe("functionCalling");
    expect(loadLlmConfig({ LLM_EXTRA_BODY: '{"chat_template_kwargs":{"enable_thinking":false}}' }).extraBody).toEqual({
      chat_template_kwargs: { enable_thinking: false },
    });
  });

  it("rejects invalid numbers and methods with the variable named", () => {
    expect(() => loadLlmConfig({ LLM_MAX_RETRIES: "-1" })).toThrow(/LLM_MAX_RETRIES/);
    expect(() => loadLlmConfig({ LLM_TIMEOUT_MS: "soon" })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => loadLlmConfig({ LLM_STRUCTURED_OUTPUT: "xml" })).toThrow(/LLM_STRUCTURED_OUTPUT/);
    expect(() => loadLlmConfig({ LLM_EXTRA_BODY: "[1]" })).toThrow(/LLM_EXTRA_BODY/);
    expect(() => loadLlmConfig({ LLM_EXTRA_BODY: "{oops" })).toThrow(/LLM_EXTRA_BODY/);
  });

  it("documents every variable it reads, one per role", () => {
    const names = LLM_ENV_VARS.map((v) => v.name);
    for (const role of REASONING_ROLES) expect(names).toContain(roleModelEnvVar(role));
    expect(names).toContain("LLM_BASE_URL");
    expect(roleModelEnvVar("trendExtractor")).toBe("LLM_MODEL_TREND_EXTRACTOR");
  });
});

describe("resolveReasoner", () => {
  const configured = loadLlmConfig({ LLM_BASE_URL: "http://x/v1", LLM_MODEL: "m" });
  const none = loadLlmConfig({});

  it("auto picks llm only when a base URL and a model are configured", () => {
    expect(resolveReasoner("auto", "portrait", configured)).toBe("llm");
    expect(resolveReasoner("auto", "portrait", none)).toBe("analytic");
    expect(resolveReasoner("auto", "portrait", loadLlmConfig({ LLM_BASE_URL: "http://x/v1" }))).toBe("analytic");
  });

  it("analytic always stays analytic", () => {
    expect(resolveReasoner("analytic", "critic", configured)).toBe("analytic");
  });

  it("llm without configuration is a clear error", () => {
    expect(() => resolveReasoner("llm", "critic", none)).toThrow(/LLM_BASE_URL.*LLM_MODEL_CRITIC/);
  });

  it("a per-role model from graph configuration enables that role only", () => {
    const cfg = withRoleModels(loadLlmConfig({ LLM_BASE_URL: "http://x/v1" }), { critic: "judge" });
    expect(resolveReasoner("auto", "critic", cfg)).toBe("llm");
    expect(resolveReasoner("auto", "portrait", cfg)).toBe("analytic");
  });
});

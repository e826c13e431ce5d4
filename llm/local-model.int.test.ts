/**
 * The LLM path on the real local model (Qwen2.5-Coder-0.5B through services/llm-server, started
 * here when it is not running and released after): one tool-calling round trip on the wire; every
 * reasoning role once on the tiny in-memory world through the real wire — each step parses with its
 * schema or is marked degraded with the reason; and the critic catching a real invented value whose
 * query the real model then regenerates. Kept small (2 queries, 0 retries): a few minutes on an
 * idle 2-core CPU; the time limits are generous because a shared machine can be many times slower.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { RunnableLambda } from "@langchain/core/runnables";
import { z } from "zod";
import { ensureServices, type RunningServices } from "../services/index.js";
import { loadLlmConfig } from "./config.js";
import { createChatModels } from "./chat-models.js";
import { createRunStep } from "./run-step.js";
import { REASONING_ROLES, type ReasoningRole } from "../contracts/steps.js";
import { createTrendTools } from "../tools/index.js";
import { createMemo } from "../lib/deps.js";
import { createGraph } from "../graph/builder.js";
import type { GraphState } from "../contracts/state.js";
import { FAKE_AS_OF, createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import { type GraphDeps } from "../contracts/deps.js";

let services: RunningServices;
let baseUrl: string;
let model: string;

beforeAll(async () => {
  services = await ensureServices({ neo4j: false, embeddings: false, llm: true });
  baseUrl = services.llm!.baseUrl;
  model = services.llm!.model;
}, 600_000);

afterAll(async () => {
  await services?.stop();
});

function llmDeps(override: Partial<Record<ReasoningRole, unknown>> = {}): GraphDeps {
  const cfg = loadLlmConfig({ LLM_BASE_URL: baseUrl, LLM_MODEL: model, LLM_TIMEOUT_MS: "600000", LLM_TEMPERATURE: "0" });
  const models = createChatModels(cfg);
  const kg = createFakeKg();
  return {
    kg,
    uq: createFakeUq(),
    embedder: createHashEmbedder(),
    runStep: createRunStep({ maxRetries: 0 }),
    chatModel: (role, name) => (override[role] as ReturnType<GraphDeps["chatModel"]>) ?? models(role, name),
    trendTools: ({ asOf }) => createTrendTools({ kg, asOf, limit: 3, snippetChars: 60 }),
    memo: createMemo(),
  };
}

const run = (deps: GraphDeps, configurable: Record<string, unknown>) =>
  createGraph({ deps, checkpointer: false }).invoke({ userId: "u-1", asOf: FAKE_AS_OF }, { configurable: { maxRetries: 0, queryCount: 2, maxToolCalls: 2, ...configurable } }) as Promise<GraphState>;

describe("local model on the wire", () => {
  it("answers a tool call in OpenAI's shape and continues after the tool result", async () => {
    const chat = new ChatOpenAI({ model, apiKey: "local", configuration: { baseURL: baseUrl }, maxRetries: 0, timeout: 600_000, temperature: 0, maxTokens: 80, useResponsesApi: false });
    const lookup = tool(async ({ city }: { city: string }) => `${city}: 22°C`, {
      name: "get_weather",
      description: "Current weather of a city",
      schema: z.object({ city: z.string() }),
    });
    const messages = [new SystemMessage("Use the tool to answer."), new HumanMessage("What is the weather in Paris?")];
    const first = (await chat.bindTools([lookup], { tool_choice: "required" }).invoke(messages)) as AIMessage;
    expect(first.tool_calls?.[0]).toMatchObject({ name: "get_weather", args: { city: expect.any(String) } });
    expect(first.usage_metadata?.input_tokens).toBeGreaterThan(20);
    const call = first.tool_calls![0]!;
    const result = (await lookup.invoke(call)) as ToolMessage;
    const second = (await chat.bindTools([lookup], { tool_choice: "auto" }).invoke([...messages, first, result])) as AIMessage;
    expect(second.response_metadata?.finish_reason).toMatch(/^(stop|tool_calls)$/);
    expect(second.usage_metadata!.input_tokens).toBeGreaterThan(first.usage_metadata!.input_tokens);
  }, 900_000);
});

describe("every reasoning role on the local model", () => {
  it("runs each role once through the real wire: parsed, or degraded with the reason (the critic judge only sees queries that pass the deterministic checks: next test)", async () => {
    const s = await run(llmDeps(), { defaultReasoner: "llm", maxCriticLoops: 0 });
    const roles = new Set(s.steps.map((r) => r.role));
    for (const role of REASONING_ROLES.filter((r) => r !== "critic")) expect(roles, role).toContain(role);
    for (const r of s.steps) {
      expect(r.llmCalls, r.role).toBeGreaterThanOrEqual(1);
      expect(r.promptTokens, r.role).toBeGreaterThan(0);
      if (r.reasoner === "llm") expect(r.degraded).toBe(false);
      else expect(r, r.role).toMatchObject({ degraded: true, error: expect.stringMatching(/\S/) });
    }
    console.log(s.steps.map((r) => `${r.role}: ${r.reasoner}${r.degraded ? ` degraded (${r.error?.slice(0, 120)})` : ""}, ${r.promptTokens} prompt tokens`).join("\n"));
  }, 1_800_000);
});

describe("the critic against a real invented value", () => {
  it("fails the invented query and feeds it back to the real model, whose regeneration passes or is degraded with the reason", async () => {
    const invented = {
      queries: [{ reason: "编造", text: "赛博朋克连衣裙 批发", category: "连衣裙", values: ["赛博朋克"], horizon: "trend", evidence: ["d-1"] }],
    };
    const cfg = loadLlmConfig({ LLM_BASE_URL: baseUrl, LLM_MODEL: model, LLM_TIMEOUT_MS: "600000", LLM_TEMPERATURE: "0" });
    const real = createChatModels(cfg)("queryGenerator")!;
    let structuredCalls = 0;
    const generator = Object.create(real) as typeof real;
    generator.withStructuredOutput = ((schema: never, opts: never) => {
      structuredCalls += 1;
      if (structuredCalls > 1) return real.withStructuredOutput(schema, opts);
      return RunnableLambda.from(async () => ({ raw: new AIMessage(JSON.stringify(invented)), parsed: invented }));
    }) as typeof real.withStructuredOutput;
    const s = await run(llmDeps({ queryGenerator: generator }), { defaultReasoner: "analytic", reasoner: { queryGenerator: "llm", critic: "llm" }, queryCount: 1, maxCriticLoops: 1 });
    expect(structuredCalls).toBe(2);
    const first = Object.values(s.verdicts).find((v) => v.round === 1)!;
    expect(first.verdict).toBe("fail");
    expect(first.issues.join(" ")).toContain("赛博朋克");
    const regen = s.steps.filter((r) => r.role === "queryGenerator")[1]!;
    expect(regen.llmCalls).toBeGreaterThanOrEqual(1);
    const judge = s.steps.filter((r) => r.role === "critic");
    expect(judge.length).toBeGreaterThan(0);
    for (const r of judge) {
      expect(r.llmCalls).toBeGreaterThanOrEqual(1);
      if (r.reasoner !== "llm") expect(r).toMatchObject({ degraded: true, error: expect.stringMatching(/\S/) });
    }
    const regenerated = s.candidates.filter((q) => q.round === 1);
    expect(regenerated.length).toBeGreaterThan(0);
    if (regen.reasoner === "llm") {
      for (const q of regenerated) expect(s.verdicts[q.id], q.text).toMatchObject({ verdict: "pass", round: 2 });
      expect(s.hallucination).toMatchObject({ before: 1, after: 0 });
    } else {
      expect(regen).toMatchObject({ degraded: true, error: expect.stringMatching(/\S/) });
    }
    console.log(`regeneration: ${regen.reasoner}${regen.degraded ? ` degraded (${regen.error})` : ""}; ${regenerated.map((q) => `${q.text} → ${s.verdicts[q.id]?.verdict}`).join(", ")}`);
  }, 1_200_000);
});

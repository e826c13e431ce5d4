import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { createRunStep, runStep, runStepFor, salvageCut } from "./run-step.js";
import { loadLlmConfig } from "./config.js";
import { countMessageTokens } from "./tokens.js";
import { ScriptedChatModel } from "../test/fakes/scripted-chat-model.js";

const Verdict = z.object({
  reasons: z.array(z.string()).describe("why"),
  pass: z.boolean(),
});
const ANALYTIC = { reasons: ["analytic rule"], pass: false };
const prompt = () => [new SystemMessage("你是评审。"), new HumanMessage("评审这条查询：法式碎花连衣裙")];

describe("runStep, analytic path", () => {
  it("returns the analytic value, renders no prompt and makes no call", async () => {
    const model = new ScriptedChatModel([]);
    let rendered = 0;
    const out = await runStep({
      role: "critic",
      schema: Verdict,
      reasoner: "analytic",
      model,
      prompt: () => {
        rendered += 1;
        return prompt();
      },
      analytic: () => ANALYTIC,
      maxRetries: 2,
    });
    expect(out.value).toEqual(ANALYTIC);
    expect(out.report).toEqual({ role: "critic", reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: 0 });
    expect(model.calls).toHaveLength(0);
    expect(rendered).toBe(0);
  });

  it("rejects an analytic result that breaks the contract", async () => {
    await expect(
      runStep({
        role: "critic",
        schema: Verdict,
        reasoner: "analytic",
        prompt,
        analytic: () => ({ reasons: "x", pass: "yes" }) as never,
        maxRetries: 0,
      }),
    ).rejects.toThrow(/analytic critic result violates its schema/);
  });
});

describe("runStep, LLM path", () => {
  it("parses structured output on the first attempt and counts tokens with the tokenizer", async () => {
    const model = new ScriptedChatModel([{ json: { reasons: ["值在词表中"], pass: true } }]);
    const out = await runStep({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 2 });
    expect(out.value).toEqual({ reasons: ["值在词表中"], pass: true });
    expect(out.report).toEqual({
      role: "critic",
      reasoner: "llm",
      degraded: false,
      llmCalls: 1,
      promptTokens: countMessageTokens(prompt()),
    });
    expect(model.calls[0].structuredName).toBe("critic");
    expect(model.calls[0].messages.map((m) => m.content)).toEqual(prompt().map((m) => m.content));
  });

  it("accepts the answer as a tool call (function-calling servers)", async () => {
    const model = new ScriptedChatModel([{ toolCalls: [{ name: "critic", args: { reasons: ["ok"], pass: true } }] }]);
    const step = createRunStep({ method: "functionCalling" });
    const out = await step({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 0 });
    expect(out.value.pass).toBe(true);
    expect(out.report.reasoner).toBe("llm");
  });

  it("prefers the server's reported prompt tokens", async () => {
    const model = new ScriptedChatModel([{ json: { reasons: [], pass: true } }], {
      usage: { input_tokens: 777, output_tokens: 12 },
    });
    const out = await runStep({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 0 });
    expect(out.report.promptTokens).toBe(777);
  });

  it("retries malformed output with the validation error fed back, then succeeds", async () => {
    const model = new ScriptedChatModel([
      "这不是 JSON",
      { json: { reasons: ["x"], pass: "yes" } },
      { json: { reasons: ["第三次"], pass: true } },
    ]);
    const errors: string[] = [];
    const step = createRunStep({ onAttemptError: (e) => errors.push(e.error) });
    const out = await step({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 2 });
    expect(out.value).toEqual({ reasons: ["第三次"], pass: true });
    expect(out.report).toMatchObject({ reasoner: "llm", degraded: false, llmCalls: 3 });
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/pass/);
    const retryPrompt = model.calls[2].messages;
    expect(retryPrompt).toHaveLength(4);
    expect(retryPrompt[2].getType()).toBe("ai");
    expect(JSON.parse(String(retryPrompt[2].content))).toEqual({ reasons: ["x"], pass: "yes" });
    expect(String(retryPrompt[3].content)).toContain("pass");
    expect(String(model.calls[1].messages[2].content)).toBe("这不是 JSON");
    const tokens = model.calls.reduce((s, c) => s + countMessageTokens(c.messages), 0);
    expect(out.report.promptTokens).toBe(tokens);
  });

  it("strips think blocks before parsing an answer", async () => {
    const model = new ScriptedChatModel(["<think>先想一想 {不是答案}</think>\n{\"reasons\":[\"ok\"],\"pass\":true}"]);
    const out = await runStep({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 0 });
    expect(out.value).toEqual({ reasons: ["ok"], pass: true });
    expect(out.report.reasoner).toBe("llm");
  });

  it("retries a parsed answer the step's accept check rejects, showing the reason, then degrades", async () => {
    const model = new ScriptedChatModel([{ json: { reasons: [], pass: true } }], { loop: true });
    const out = await runStep({
      role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 1,
      accept: (v) => (v.reasons.length === 0 ? "reasons is empty" : null),
    });
    expect(out.report).toMatchObject({ reasoner: "analytic", degraded: true, llmCalls: 2, error: "reasons is empty" });
    expect(String(model.calls[1].messages.at(-1)!.content)).toContain("reasons is empty");
  });

  it("takes LLM_MAX_RETRIES when the step gives no retry bound", async () => {
    const model = new ScriptedChatModel([{ json: { wrong: 1 } }], { loop: true });
    const step = runStepFor(loadLlmConfig({ LLM_MAX_RETRIES: "3" }));
    const out = await step({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC });
    expect(out.report).toMatchObject({ degraded: true, llmCalls: 4 });
  });

  it("falls back to the analytic value, marked degraded, after maxRetries failures", async () => {
    const model = new ScriptedChatModel([{ json: { wrong: 1 } }, { error: "connect ECONNREFUSED" }]);
    const out = await runStep({ role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 1 });
    expect(out.value).toEqual(ANALYTIC);
    expect(out.report).toMatchObject({ role: "critic", reasoner: "analytic", degraded: true, llmCalls: 2 });
    expect(out.report.error).toContain("ECONNREFUSED");
    expect(model.calls).toHaveLength(2);
    expect(out.report.promptTokens).toBeGreaterThan(0);
  });

  it("needs a model on the LLM path", async () => {
    await expect(
      runStep({ role: "portrait", schema: Verdict, reasoner: "llm", prompt, analytic: () => ANALYTIC, maxRetries: 0 }),
    ).rejects.toThrow(/needs a chat model/);
  });

  it("dry run renders and counts the prompt but sends nothing", async () => {
    const model = new ScriptedChatModel([]);
    const out = await createRunStep({ dryRun: true })({
      role: "critic", schema: Verdict, reasoner: "llm", model, prompt, analytic: () => ANALYTIC, maxRetries: 2,
    });
    expect(out.value).toEqual(ANALYTIC);
    expect(out.report).toEqual({
      role: "critic",
      reasoner: "analytic",
      degraded: false,
      llmCalls: 0,
      promptTokens: countMessageTokens(prompt()),
    });
    expect(model.calls).toHaveLength(0);
  });
});

describe("runStepFor", () => {
  it("passes the configured structured-output method to withStructuredOutput", async () => {
    const seen: unknown[] = [];
    class Spy extends ScriptedChatModel {
      override withStructuredOutput(schema: unknown, config?: { name?: string; includeRaw?: boolean; method?: string }) {
        seen.push(config?.method);
        return super.withStructuredOutput(schema, config);
      }
    }
    const model = new Spy([{ json: { reasons: [], pass: true } }, { json: { reasons: [], pass: true } }]);
    const args = { role: "critic" as const, schema: Verdict, reasoner: "llm" as const, model, prompt, analytic: () => ANALYTIC, maxRetries: 0 };
    await runStepFor(loadLlmConfig({ LLM_STRUCTURED_OUTPUT: "functionCalling" }))(args);
    await runStepFor(loadLlmConfig({}))(args);
    expect(seen).toEqual(["functionCalling", "jsonSchema"]);
  });
});

describe("runStep, wire schema", () => {
  it("sends the stricter wire schema and still validates the answer against the step's schema", async () => {
    const seen: unknown[] = [];
    class Spy extends ScriptedChatModel {
      override withStructuredOutput(schema: unknown, config?: { name?: string; includeRaw?: boolean; method?: string }) {
        seen.push(schema);
        return super.withStructuredOutput(schema, config);
      }
    }
    const Wire = z.object({ reasons: Verdict.shape.reasons.min(1), pass: z.boolean() });
    const model = new Spy([{ json: { reasons: ["sold out"], pass: true } }, { json: { reasons: [], pass: true } }]);
    const base = { role: "critic" as const, schema: Verdict, reasoner: "llm" as const, model, prompt, analytic: () => ANALYTIC, maxRetries: 0 };
    const withWire = await runStep({ ...base, wireSchema: Wire });
    const without = await runStep(base);
    expect(seen).toEqual([Wire, Verdict]);
    expect(withWire.value).toEqual({ reasons: ["sold out"], pass: true });
    expect(without.value).toEqual({ reasons: [], pass: true });
    expect(without.report.reasoner).toBe("llm");
  });
});

describe("runStep, answers cut at the token limit", () => {
  const List = z.object({ items: z.array(z.object({ name: z.string(), tags: z.array(z.string()).min(1) })).min(1) });
  const cutAt = (content: string) => new AIMessage({ content, response_metadata: { finish_reason: "length" } });
  const base = { role: "queryGenerator" as const, schema: List, reasoner: "llm" as const, prompt, analytic: () => ({ items: [{ name: "analytic", tags: ["a"] }] }), maxRetries: 1 };

  it("keeps the complete entries of a cut answer and drops the one being written", async () => {
    const model = new ScriptedChatModel([cutAt('{"items":[{"name":"法式","tags":["a"]},{"name":"碎花","tags":["b","c"]},{"name":"韩系","tags":["d')]);
    const out = await runStep({ ...base, model });
    expect(out.value).toEqual({ items: [{ name: "法式", tags: ["a"] }, { name: "碎花", tags: ["b", "c"] }] });
    expect(out.report).toMatchObject({ reasoner: "llm", degraded: false, truncated: true, llmCalls: 1 });
  });

  it("retries with the reason when nothing complete was written, then degrades", async () => {
    const model = new ScriptedChatModel([cutAt('{"items":[{"name":"法式","ta'), cutAt('{"items":[{"name":"法')]);
    const out = await runStep({ ...base, model });
    expect(out.report).toMatchObject({ reasoner: "analytic", degraded: true, llmCalls: 2 });
    expect(out.report.error).toContain("cut at the token limit");
    expect(String(model.calls[1]!.messages.at(-1)!.content)).toContain("cut at the token limit");
  });

  it("does not touch an answer that was not cut", async () => {
    const model = new ScriptedChatModel([new AIMessage('{"items":[{"name":"法式","tags":["a"]},{"name":"韩系","tags":["d'), '{"items":[{"name":"x","tags":["y"]}]}']);
    const out = await runStep({ ...base, model });
    expect(out.value).toEqual({ items: [{ name: "x", tags: ["y"] }] });
    expect(out.report.truncated).toBeUndefined();
    expect(out.report.llmCalls).toBe(2);
  });
});

describe("salvageCut", () => {
  it("drops the element of the outermost array on the cut path, at any depth", () => {
    expect(salvageCut('{"categories":[{"name":"a","long":[1]},{"name":"b","long":[2,')).toEqual({ categories: [{ name: "a", long: [1] }] });
    expect(salvageCut('{"name":"only')).toBeUndefined();
    expect(salvageCut("not json")).toBeUndefined();
  });
});

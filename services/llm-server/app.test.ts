/**
 * Unit tests of the local model server's HTTP surface over a scripted engine (no model, no
 * network: Hono's `app.request`), and of the JSON-schema → grammar-subset conversion.
 */
import { describe, expect, it } from "vitest";
import { createLlmApp, type ChatEngine, type EngineRequest, type EngineResult } from "./app.js";
import { toChatHistory, toGrammarSchema, toolCallSchema, stripThink } from "./engine.js";

function scripted(result: Partial<EngineResult>): ChatEngine & { seen: EngineRequest[] } {
  const seen: EngineRequest[] = [];
  return {
    modelId: "m",
    contextSize: 4096,
    seen,
    async complete(req) {
      seen.push(req);
      return { content: "{}", toolCalls: [], finishReason: "stop", promptTokens: 7, completionTokens: 3, ...result };
    },
  };
}

const post = (app: ReturnType<typeof createLlmApp>, body: unknown) =>
  app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("local model server app", () => {
  it("lists its model", async () => {
    const res = await createLlmApp(scripted({})).request("/v1/models");
    expect(await res.json()).toMatchObject({ object: "list", data: [{ id: "m", object: "model" }] });
  });

  it("passes schema, limits and temperature to the engine and answers in OpenAI's shape with usage", async () => {
    const engine = scripted({ content: '{"a":1}' });
    const schema = { type: "object", properties: { a: { type: "integer" } }, required: ["a"] };
    const res = await post(createLlmApp(engine), {
      model: "m",
      messages: [{ role: "system", content: "s" }, { role: "user", content: [{ type: "text", text: "hi" }] }],
      response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema } },
      max_tokens: 50,
      temperature: 0.3,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string }; finish_reason: string }[]; usage: Record<string, number> };
    expect(body.choices[0]!.message.content).toBe('{"a":1}');
    expect(body.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(engine.seen[0]).toMatchObject({ jsonSchema: schema, maxTokens: 50, temperature: 0.3, messages: [{ role: "system", content: "s" }, { role: "user", content: "hi" }] });
  });

  it("returns tool calls with ids and finish_reason tool_calls; tool_choice none offers no tools", async () => {
    const engine = scripted({ content: null, toolCalls: [{ name: "t", arguments: '{"q":"x"}' }], finishReason: "tool_calls" });
    const tools = [{ type: "function", function: { name: "t", parameters: { type: "object", properties: { q: { type: "string" } } } } }];
    const res = await post(createLlmApp(engine), { model: "m", messages: [{ role: "user", content: "go" }], tools, tool_choice: "required" });
    const body = (await res.json()) as { choices: { message: { tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[] };
    expect(body.choices[0]!.finish_reason).toBe("tool_calls");
    expect(body.choices[0]!.message.tool_calls[0]).toMatchObject({ type: "function", function: { name: "t", arguments: '{"q":"x"}' } });
    expect(body.choices[0]!.message.tool_calls[0]!.id).toMatch(/^call_/);
    expect(engine.seen[0]!.toolMode).toBe("required");
    await post(createLlmApp(engine), { model: "m", messages: [{ role: "user", content: "go" }], tools, tool_choice: "none" });
    expect(engine.seen[1]!.tools).toEqual([]);
  });

  it("answers 400 with a stable code naming the field for bad requests", async () => {
    const app = createLlmApp(scripted({}));
    const bad = await post(app, { model: "m", messages: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_request", param: "messages" } });
    const stream = await post(app, { model: "m", messages: [{ role: "user", content: "x" }], stream: true });
    expect(await stream.json()).toMatchObject({ error: { code: "unsupported_parameter", param: "stream" } });
    const choice = await post(app, { model: "m", messages: [{ role: "user", content: "x" }], tools: [], tool_choice: { type: "function", function: { name: "nope" } } });
    expect(await choice.json()).toMatchObject({ error: { code: "invalid_tool_choice", param: "tool_choice" } });
  });
});

describe("grammar schema", () => {
  it("turns anyOf into oneOf and drops keys the grammar does not know", () => {
    const s = toGrammarSchema({
      $schema: "x",
      type: "object",
      properties: { v: { anyOf: [{ type: "string" }, { type: "null" }], title: "t" }, n: { type: "number", minimum: 0, maximum: 10 } },
      required: ["v", "n"],
      additionalProperties: false,
    });
    expect(s).toEqual({
      type: "object",
      properties: { v: { oneOf: [{ type: "string" }, { type: "null" }] }, n: { type: "number" } },
      required: ["v", "n"],
      additionalProperties: false,
    });
  });

  it("builds a tool-round schema over the named tool only, at least one call unless auto", () => {
    const tools = [
      { name: "a", description: "", parameters: { type: "object", properties: { q: { type: "string" } } } },
      { name: "b", description: "", parameters: { type: "object", properties: {} } },
    ];
    const named = toolCallSchema(tools, { name: "b" }) as { properties: { tool_calls: { items: unknown; minItems: number } } };
    expect(named.properties.tool_calls.items).toEqual({ type: "object", properties: { name: { const: "b" }, arguments: { type: "object", properties: {} } } });
    expect(named.properties.tool_calls.minItems).toBe(1);
    expect((toolCallSchema(tools, "auto") as typeof named).properties.tool_calls.minItems).toBe(0);
  });

  it("renders tool rounds into the history the model continues from", () => {
    const h = toChatHistory(
      [
        { role: "system", content: "sys" },
        { role: "user", content: "u" },
        { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "a", arguments: '{"q":"x"}' }] },
        { role: "tool", content: "result", toolCallId: "c1", name: "a" },
      ],
      " +tools",
    );
    expect(h[0]).toEqual({ type: "system", text: "sys +tools" });
    expect(h[2]).toEqual({ type: "model", response: ['{"tool_calls":[{"name":"a","arguments":{"q":"x"}}],"content":""}'] });
    expect(h[3]).toMatchObject({ type: "user" });
    expect((h[3] as { text: string }).text).toContain('<tool_result name="a" id="c1">');
  });

  it("strips think blocks", () => {
    expect(stripThink("<think>hmm</think>\n{\"a\":1}")).toBe('{"a":1}');
  });
});

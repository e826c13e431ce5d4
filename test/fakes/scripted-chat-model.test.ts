import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HumanMessage, type AIMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ScriptedChatModel } from "./scripted-chat-model.js";

const echo = tool(async ({ q }) => `echo:${q}`, {
  name: "echo",
  description: "echo",
  schema: z.object({ q: z.string() }),
});

describe("ScriptedChatModel", () => {
  it("answers in script order and records prompts and bound tools", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "echo", args: { q: "法式" } }], content: "先查" },
      (messages) => `收到 ${messages.length} 条消息`,
    ]);
    const bound = model.bindTools([echo]);
    const ai = (await bound.invoke([new HumanMessage("hi")])) as AIMessage;
    expect(ai.content).toBe("先查");
    expect(ai.tool_calls?.map((t) => [t.name, t.args])).toEqual([["echo", { q: "法式" }]]);
    const toolMsg = await echo.invoke(ai.tool_calls![0]);
    const final = (await bound.invoke([new HumanMessage("hi"), ai, toolMsg])) as AIMessage;
    expect(final.content).toBe("收到 3 条消息");
    expect(model.calls.map((c) => c.tools)).toEqual([["echo"], ["echo"]]);
    expect(model.calls[1].messages.map((m) => m.type)).toEqual(["human", "ai", "tool"]);
    expect(model.remaining).toBe(0);
    await expect(model.invoke("again")).rejects.toThrow(/script exhausted after 2 calls/);
  });

  it("withStructuredOutput parses JSON content or tool-call args, and includeRaw keeps failures as parsed: null", async () => {
    const model = new ScriptedChatModel([{ json: { a: 1 } }, { toolCalls: [{ name: "x", args: { a: 2 } }] }, "not json"], {
      usage: { input_tokens: 10, output_tokens: 2 },
    });
    const s = model.withStructuredOutput(z.object({ a: z.number() }), { name: "x" });
    expect(await s.invoke("q")).toEqual({ a: 1 });
    expect(await s.invoke("q")).toEqual({ a: 2 });
    const raw = model.withStructuredOutput(z.object({ a: z.number() }), { name: "x", includeRaw: true });
    const out = (await raw.invoke("q")) as { raw: AIMessage; parsed: unknown };
    expect(out.parsed).toBeNull();
    expect(out.raw.usage_metadata?.input_tokens).toBe(10);
    expect(model.calls.map((c) => c.structuredName)).toEqual(["x", "x", "x"]);
  });

  it("loops when asked and throws scripted errors", async () => {
    const model = new ScriptedChatModel([{ error: "boom" }, "ok"], { loop: true });
    await expect(model.invoke("a")).rejects.toThrow("boom");
    expect((await model.invoke("b")).content).toBe("ok");
    await expect(model.invoke("c")).rejects.toThrow("boom");
  });
});

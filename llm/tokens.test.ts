import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { countMessageTokens, countTokens } from "./tokens.js";

describe("countTokens", () => {
  it("counts BPE tokens, not characters", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
    const zh = "法式碎花连衣裙批发";
    const n = countTokens(zh);
    expect(n).toBeGreaterThan(1);
    expect(n).toBeLessThan(zh.length + 1);
  });

  it("differs between encodings on Chinese text", () => {
    const zh = "新中式马面裙 春夏款 一件代发 源头工厂 支持混批".repeat(5);
    expect(countTokens(zh, "cl100k_base")).toBeGreaterThan(countTokens(zh, "o200k_base"));
  });

  it("treats special-token text in untrusted input as ordinary text", () => {
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });
});

describe("countMessageTokens", () => {
  it("adds per-message and reply overhead to the content tokens", () => {
    const msgs = [new SystemMessage("你是选品助手。"), new HumanMessage("推荐连衣裙")];
    const content = countTokens("你是选品助手。") + countTokens("推荐连衣裙");
    const roles = countTokens("system") + countTokens("user");
    expect(countMessageTokens(msgs)).toBe(content + roles + 2 * 3 + 3);
    expect(countMessageTokens([])).toBe(0);
  });

  it("counts the tool calls of an assistant message", () => {
    const plain = new AIMessage("");
    const withCall = new AIMessage({
      content: "",
      tool_calls: [{ name: "search_xiaohongshu", args: { query: "法式连衣裙" }, id: "c1", type: "tool_call" }],
    });
    expect(countMessageTokens([withCall])).toBeGreaterThan(countMessageTokens([plain]) + 5);
  });
});

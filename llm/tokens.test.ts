import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";
import cl100kBase from "js-tiktoken/ranks/cl100k_base";
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

const TAOBAO_DIR = resolve(process.cwd(), "..", "shared", "data", "taobao-titles");

describe("countTokens against js-tiktoken encoding the whole text", () => {
  const reference = { o200k_base: new Tiktoken(o200kBase), cl100k_base: new Tiktoken(cl100kBase) };
  const titles = readFileSync(join(TAOBAO_DIR, "dev.bio"), "utf8")
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").map((line) => line.split(/\s+/)[0] ?? "").join(""))
    .filter((t) => t.length > 0)
    .slice(0, 300);
  const texts = [
    titles.join("\n"),
    titles.slice(0, 50).map((t, i) => `2025-05-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z view  ${t}   dwell ${i * 7}s\t¥${i}.50`).join("\n"),
    "  leading and trailing spaces   \n\n\n  ",
    "<|endoftext|> text <|fim_prefix|>inside",
    "Mixed 中文 and English 123,456.78 — ‘quotes’ «» 😀 emoji\r\nCRLF",
  ];

  it("gives js-tiktoken's count on real titles, event lines, odd whitespace and special-token text, twice (cache)", () => {
    expect(titles.length).toBeGreaterThan(100);
    for (const encoding of ["o200k_base", "cl100k_base"] as const) {
      for (const text of texts) {
        const expected = reference[encoding].encode(text, [], []).length;
        expect(countTokens(text, encoding)).toBe(expected);
        expect(countTokens(text, encoding)).toBe(expected);
      }
    }
  });
});

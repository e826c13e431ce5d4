/**
 * The graph configuration's per-role `model` reaches the deps' chat-model factory (and so the
 * `ChatOpenAI` a role gets: llm/chat-models.test.ts).
 */
import { describe, expect, it } from "vitest";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { chatModelFor, createMemo, reasonerFor } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import { createRunStep } from "../llm/run-step.js";
import { createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import { type GraphDeps } from "../contracts/deps.js";

describe("chatModelFor", () => {
  it("passes the configured per-role model name to the factory", () => {
    const asked: [string, string | undefined][] = [];
    const deps: GraphDeps = {
      kg: createFakeKg(),
      uq: createFakeUq(),
      embedder: createHashEmbedder(),
      runStep: createRunStep(),
      chatModel: (role, name) => {
        asked.push([role, name]);
        return name === "judge-model" ? new FakeListChatModel({ responses: ["{}"] }) : undefined;
      },
      memo: createMemo(),
    };
    const cfg = readConfiguration({ configurable: { model: { critic: "judge-model" } } });
    expect(chatModelFor("critic", cfg, deps)).toBeDefined();
    expect(chatModelFor("portrait", cfg, deps)).toBeUndefined();
    expect(reasonerFor("critic", cfg, deps)).toBe("llm");
    expect(asked).toContainEqual(["critic", "judge-model"]);
    expect(asked).toContainEqual(["portrait", undefined]);
  });
});

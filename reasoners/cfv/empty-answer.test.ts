import { describe, expect, it } from "vitest";
import { createMemo } from "../../lib/deps.js";
import { readConfiguration } from "../../contracts/configuration.js";
import { createRunStep } from "../../llm/run-step.js";
import { createFakeKg, createFakeUq, createHashEmbedder } from "../../test/fakes/fake-kg.js";
import { ScriptedChatModel } from "../../test/fakes/scripted-chat-model.js";
import type { GraphDeps } from "../../contracts/deps.js";
import { runCompressor } from "../compressor/index.js";
import { runCfv } from "./index.js";

const asOf = "2025-06-01T00:00:00.000Z";

function ctxWith(model: ScriptedChatModel) {
  const deps: GraphDeps = {
    kg: createFakeKg(),
    uq: createFakeUq(),
    embedder: createHashEmbedder(),
    runStep: createRunStep(),
    chatModel: (role) => (role === "cfv" ? model : undefined),
    memo: createMemo(),
  };
  return { deps, cfg: readConfiguration({ configurable: { maxRetries: 1 } }) };
}

describe("cfv role, an empty model answer", () => {
  it("is retried with the reason, then degraded to the analytic CFV, for a buyer with history", async () => {
    const model = new ScriptedChatModel([{ json: { categories: [] } }], { loop: true });
    const ctx = ctxWith(model);
    const { compression } = await runCompressor(ctx, { userId: "u-1", asOf });
    expect(compression.tuples.length).toBeGreaterThan(0);
    const out = await runCfv(ctx, { userId: "u-1", asOf, tuples: compression.tuples });
    expect(out.report).toMatchObject({ role: "cfv", reasoner: "analytic", degraded: true, llmCalls: 2 });
    expect(out.report.error).toMatch(/^categories is empty/);
    expect(String(model.calls[1].messages.at(-1)!.content)).toContain("categories is empty");
    expect(out.cfv.categories.length).toBeGreaterThan(0);
  });

  it("is taken as given for a buyer with no history (nothing to expect)", async () => {
    const model = new ScriptedChatModel([{ json: { categories: [] } }], { loop: true });
    const out = await runCfv(ctxWith(model), { userId: "u-nobody", asOf, tuples: [] });
    expect(out.report).toMatchObject({ reasoner: "llm", degraded: false, llmCalls: 1 });
    expect(out.cfv.categories).toEqual([]);
  });
});

/**
 * The LLM path with scripted chat models on the in-memory world: structured outputs parsed,
 * malformed output retried then the analytic fallback marked degraded, an invented value caught by
 * the critic, fed back and regenerated, the loop stopping at the cap, the source planner's tool
 * calls executed, and injected documents changing nothing.
 */
import { describe, expect, it } from "vitest";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ScriptedChatModel } from "../test/fakes/scripted-chat-model.js";
import { createRunStep } from "../llm/run-step.js";
import type { ReasoningRole } from "../contracts/steps.js";
import { createTrendTools } from "../tools/index.js";
import { createMemo } from "../lib/deps.js";
import { createGraph } from "./builder.js";
import type { GraphState } from "../contracts/state.js";
import { FAKE_AS_OF, FAKE_TREND_DOCS, createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import { messageText } from "../llm/tokens.js";
import { GENERATOR_MAX_LLM_QUERIES } from "../llm/role-limits.js";
import { type GraphDeps } from "../contracts/deps.js";

function deps(models: Partial<Record<ReasoningRole, BaseChatModel>> = {}, kg = createFakeKg()): GraphDeps {
  return {
    kg,
    uq: createFakeUq(),
    embedder: createHashEmbedder(),
    runStep: createRunStep(),
    chatModel: (role) => models[role],
    trendTools: ({ asOf }) => createTrendTools({ kg, asOf }),
    memo: createMemo(),
  };
}

async function run(d: GraphDeps, configurable: Record<string, unknown> = {}): Promise<GraphState> {
  const g = createGraph({ deps: d, checkpointer: false });
  return (await g.invoke({ userId: "u-1", asOf: FAKE_AS_OF }, { configurable: { maxRetries: 1, ...configurable } })) as GraphState;
}

const PORTRAIT = {
  reasons: ["订单稳定，每单 20 件"],
  mainCategories: [{ categoryId: "c-dress", name: "连衣裙", share: 1 }],
  bType: "boutique",
  dropShipperType: "none",
  coreIntent: "法式女装精品店补货连衣裙",
  profile: { identity: "实体精品店", customerGroup: "年轻女性", operatingStrategy: "小批量多频次", purchaseMotive: "夏季上新" },
};

const GOOD = {
  reason: "长期偏好法式碎花",
  text: "法式碎花连衣裙 批发",
  category: "连衣裙",
  values: ["法式", "碎花"],
  horizon: "long",
  evidence: ["cfv:long:c-dress:v-french", "cfv:long:c-dress:v-floral"],
};
const INVENTED = { reason: "编造", text: "赛博朋克连衣裙 批发", category: "连衣裙", values: ["赛博朋克"], horizon: "trend", evidence: ["d-1"] };
const FIXED = { reason: "趋势格纹", text: "格纹连衣裙 批发", category: "连衣裙", values: ["格纹"], horizon: "trend", evidence: ["d-2"] };

describe("LLM path with scripted models", () => {
  it("parses structured output and says the LLM produced it", async () => {
    const portrait = new ScriptedChatModel([{ json: PORTRAIT }]);
    const s = await run(deps({ portrait }));
    expect(s.portrait!.coreIntent).toBe(PORTRAIT.coreIntent);
    expect(s.steps.find((r) => r.role === "portrait")).toMatchObject({ reasoner: "llm", degraded: false, llmCalls: 1 });
    expect(s.timings.find((t) => t.node === "build_portrait")!.llmCalls).toBe(1);
    expect(s.timings.find((t) => t.node === "build_portrait")!.promptTokens).toBeGreaterThan(0);
    expect(s.steps.find((r) => r.role === "cfv")!.reasoner).toBe("analytic");
  });

  it("retries malformed output, then falls back to the analytic portrait marked degraded", async () => {
    const portrait = new ScriptedChatModel([{ json: { bType: "spaceship" } }], { loop: true });
    const s = await run(deps({ portrait }));
    expect(portrait.calls.length).toBe(2);
    expect(s.steps.find((r) => r.role === "portrait")).toMatchObject({ reasoner: "analytic", degraded: true, llmCalls: 2 });
    expect(s.portrait!.bType).toBe("boutique");
    expect(s.portrait!.mainCategories[0].categoryId).toBe("c-dress");
  });

  it("catches an invented value, feeds it back, regenerates only the failed query, and it passes", async () => {
    const generator = new ScriptedChatModel([{ json: { queries: [GOOD, INVENTED] } }, { json: { queries: [FIXED] } }]);
    const s = await run(deps({ queryGenerator: generator }), { queryCount: 2 });
    expect(generator.calls.length).toBe(2);
    const feedback = generator.calls[1].messages.map(messageText).join("\n");
    expect(feedback).toContain("赛博朋克");
    expect(s.criticRounds).toBe(2);
    expect(s.hallucination).toMatchObject({ before: 0.5, after: 0 });
    expect(s.finalQueries.map((q) => q.text).sort()).toEqual([FIXED.text, GOOD.text].sort());
    for (const q of s.finalQueries) expect(s.verdicts[q.id].verdict).toBe("pass");
    const good = s.finalQueries.find((q) => q.text === GOOD.text)!;
    expect(s.verdicts[good.id].round).toBe(1);
  });

  it("asks a model for at most GENERATOR_MAX_LLM_QUERIES queries in its first round, whatever queryCount says", async () => {
    const generator = new ScriptedChatModel([{ json: { queries: [GOOD] } }]);
    await run(deps({ queryGenerator: generator }), { queryCount: 30, maxCriticLoops: 0 });
    const prompt = generator.calls[0].messages.map(messageText).join("\n");
    expect(prompt).toContain(`写出 ${GENERATOR_MAX_LLM_QUERIES} 条需求查询`);
    const fewer = new ScriptedChatModel([{ json: { queries: [GOOD] } }]);
    await run(deps({ queryGenerator: fewer }), { queryCount: 3, maxCriticLoops: 0 });
    expect(fewer.calls[0].messages.map(messageText).join("\n")).toContain("写出 3 条需求查询");
  });

  it("stops the critic loop at the cap and drops what still fails", async () => {
    const again = { ...INVENTED, text: "蒸汽波连衣裙 批发", values: ["蒸汽波"] };
    const generator = new ScriptedChatModel([{ json: { queries: [GOOD, INVENTED] } }, { json: { queries: [again] } }], { loop: true });
    const s = await run(deps({ queryGenerator: generator }), { queryCount: 2, maxCriticLoops: 1 });
    expect(generator.calls.length).toBe(2);
    expect(s.criticRounds).toBe(2);
    expect(s.finalQueries.map((q) => q.text)).toEqual([GOOD.text]);
    expect(s.dropped.some((d) => d.text === INVENTED.text && /赛博朋克/.test(d.reason))).toBe(true);
    expect(s.dropped.some((d) => d.text === again.text && /蒸汽波/.test(d.reason))).toBe(true);
    expect(s.hallucination).toMatchObject({ before: 0.5, after: 0.5, loops: 2 });
  });

  it("runs the source planner's tool loop: the model sees the tool results and stops", async () => {
    const planner = new ScriptedChatModel([
      { content: "淘宝热搜覆盖连衣裙热点", toolCalls: [{ name: "search_taobao_hot", args: { query: "格纹 连衣裙" }, id: "call_1" }] },
      { content: "结果已足够", toolCalls: [] },
    ]);
    const s = await run(deps({ sourcePlanner: planner }));
    expect(planner.calls[0].tools).toContain("search_taobao_hot");
    expect(s.trendPlan!.calls).toEqual([
      expect.objectContaining({ source: "taobao_hot", terms: ["格纹 连衣裙"], tool: expect.objectContaining({ name: "search_taobao_hot" }) }),
    ]);
    expect(s.trends!.docs.map((d) => d.id)).toContain("d-2");
    const second = planner.calls[1].messages;
    const toolResult = second.find((m) => m.getType() === "tool");
    expect(toolResult?.content).toContain("d-2");
    expect(second.find((m) => m.getType() === "ai")).toMatchObject({ tool_calls: [expect.objectContaining({ id: "call_1", name: "search_taobao_hot" })] });
    expect(s.steps.find((r) => r.role === "sourcePlanner")).toMatchObject({ reasoner: "llm", llmCalls: 2 });
  });

  it("lets documents with injected instructions change nothing", async () => {
    const clean = FAKE_TREND_DOCS.filter((d) => d.id !== "d-3");
    const withInjection = await run(deps({}, createFakeKg()));
    const without = await run(deps({}, createFakeKg({ trendDocs: clean })));
    expect(withInjection.trends!.setAside.map((d) => d.id)).toEqual(["d-3"]);
    expect(withInjection.trends!.sellingPoints).toEqual(without.trends!.sellingPoints);
    expect(withInjection.finalQueries.map((q) => q.text)).toEqual(without.finalQueries.map((q) => q.text));
    expect(withInjection.ranked.map((i) => i.itemId)).toEqual(without.ranked.map((i) => i.itemId));
  });
});


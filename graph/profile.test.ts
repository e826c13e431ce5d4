import { describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { createProfiler } from "./profile.js";
import { readQuery } from "../kg/driver.js";
import { createFakeKg, createFakeUq, createHashEmbedder } from "../test/fakes/fake-kg.js";
import { createMemo } from "../lib/deps.js";
import { createRunStep } from "../llm/run-step.js";
import type { GraphDeps } from "../contracts/deps.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";

const fakeDriver = { executeQuery: async () => ({ records: [] }) } as unknown as Driver;

describe("createProfiler", () => {
  it("attributes KG calls, Cypher round trips, embedding requests and time to the node that made them", async () => {
    const profiler = createProfiler();
    const base: GraphDeps = { kg: createFakeKg(), uq: createFakeUq(), embedder: createHashEmbedder(), runStep: createRunStep(), chatModel: () => undefined, memo: createMemo() };
    const deps = profiler.wrapDeps(base);
    const nodes = profiler.wrapNodes({
      reads: async (_state: GraphState): Promise<GraphUpdate> => {
        await Promise.all([deps.kg.userExists("u-1"), deps.kg.userExists("u-2")]);
        await readQuery(fakeDriver, "RETURN 1");
        return {};
      },
      embeds: async (_state: GraphState): Promise<GraphUpdate> => {
        await deps.embedder.embedDocuments(["a", "b", "c"]);
        await deps.embedder.embedQuery("d");
        await deps.uq.score({ userId: "u-1", asOf: "2025-06-01T00:00:00.000Z", queries: [] });
        return {};
      },
    });
    profiler.start();
    try {
      for (let i = 0; i < 2; i++) {
        await nodes.reads({} as GraphState);
        await nodes.embeds({} as GraphState);
      }
      await readQuery(fakeDriver, "RETURN 2");
    } finally {
      profiler.stop();
    }
    await readQuery(fakeDriver, "RETURN 3");
    const rows = new Map(profiler.report().map((r) => [r.node, r]));
    expect(rows.get("reads")).toMatchObject({ runs: 2, kgCalls: 4, cypherCalls: 2, embedCalls: 0, embedTexts: 0 });
    expect(rows.get("embeds")).toMatchObject({ runs: 2, kgCalls: 2, cypherCalls: 0, embedCalls: 4, embedTexts: 8 });
    expect(rows.get("(outside nodes)")).toMatchObject({ cypherCalls: 1 });
    for (const r of ["reads", "embeds"]) {
      expect(rows.get(r)!.wallMs).toBeGreaterThan(0);
      expect(rows.get(r)!.cpuMs).toBeGreaterThanOrEqual(0);
    }
  });
});

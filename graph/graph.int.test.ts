/**
 * The analytic path of the inference graph on the `tiny` world with the real Neo4j and embedding
 * server. Buyers are picked through the world's latent profiles (tests only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { createKgReader } from "../kg/repositories.js";
import { createUqScorer } from "../kg/uq.js";
import { readQuery } from "../kg/driver.js";
import { createRunStep } from "../llm/run-step.js";
import { readProfiles, type LatentProfile } from "../world/latent.js";
import { AS_OF } from "../world/presets.js";
import { worldDir } from "../world/paths.js";
import { createMemo } from "../lib/deps.js";
import { createGraph } from "./builder.js";
import type { GraphState } from "../contracts/state.js";
import { type GraphDeps } from "../contracts/deps.js";
import { buildEvidenceIndex, deterministicIssues } from "../reasoners/critic/checks.js";

let driver: Driver;
let deps: GraphDeps;
let profiles: LatentProfile[];
const runs = new Map<string, GraphState>();

async function run(userId: string): Promise<GraphState> {
  if (!runs.has(userId)) {
    const g = createGraph({ deps, checkpointer: false });
    runs.set(userId, (await g.invoke({ userId, asOf: AS_OF }, { configurable: { defaultReasoner: "analytic" } })) as GraphState);
  }
  return runs.get(userId)!;
}

beforeAll(async () => {
  driver = testDriver();
  const kg = createKgReader(driver);
  deps = { kg, uq: createUqScorer(driver), embedder: await testEmbedder(), runStep: createRunStep(), chatModel: () => undefined, memo: createMemo() };
  profiles = await readProfiles(worldDir("tiny", testServices().dataDir));
});

afterAll(async () => {
  await driver?.close();
});

describe("analytic graph on the tiny world", () => {
  it("puts 法式 and the boutique's most-behaved style in its long-term CFV for dresses", async () => {
    const buyer = profiles.find(
      (p) => p.type === "boutique" && p.mainCategories[0]?.categoryId === "c-dress" && p.preferences["风格"]?.[0]?.valueId === "v-style-french",
    );
    expect(buyer, "the tiny world has a 法式 dress boutique").toBeTruthy();
    const s = await run(buyer!.buyerId);
    expect(s.portrait!.bType).toBe("boutique");
    expect(s.portrait!.mainCategories[0].categoryId).toBe("c-dress");
    const top = await readQuery(
      driver,
      `MATCH (:User {id: $u})-[b:BEHAVED]->(i:Item)-[:IN]->(:Category {id: 'c-dress'}), (i)-[:HAS]->(v:Value {factor: '风格'})
       WHERE b.at < datetime($asOf)
       RETURN v.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1`,
      { u: buyer!.buyerId, asOf: AS_OF },
    );
    const dresses = s.cfv!.categories.find((c) => c.categoryId === "c-dress");
    expect(dresses?.long.map((e) => e.valueId)).toContain(top[0].id);
    expect(dresses?.long.map((e) => e.valueId)).toContain("v-style-french");
  });

  it("classifies a drop-shipper as one", async () => {
    const buyer = profiles.find((p) => p.type === "dropship")!;
    const s = await run(buyer.buyerId);
    expect(s.portrait!.bType).toBe("drop_shipper");
    expect(s.portrait!.dropShipperType).not.toBe("none");
  });

  it("keeps potential values out of the buyer's history, grounds every final query, retrieves real items and explains them", async () => {
    for (const buyer of profiles.slice(0, 3)) {
      const s = await run(buyer.buyerId);
      const seen = await readQuery(
        driver,
        `MATCH (:User {id: $u})-[b:BEHAVED]->(:Item)-[:HAS]->(v:Value) WHERE b.at < datetime($asOf) RETURN collect(DISTINCT v.id) AS ids`,
        { u: buyer.buyerId, asOf: AS_OF },
      );
      const history = new Set(seen[0].ids as string[]);
      for (const c of s.cfv!.categories) for (const p of c.potential) expect(history.has(p.valueId)).toBe(false);

      const vocab = await deps.kg.vocabulary();
      const evidence = buildEvidenceIndex(s);
      expect(s.finalQueries.length).toBeGreaterThan(0);
      for (const q of s.finalQueries) expect(deterministicIssues(q, vocab, evidence)).toEqual([]);

      const finalIds = new Set(s.finalQueries.map((q) => q.id));
      const itemIds = s.ranked.map((i) => i.itemId);
      expect(new Set(itemIds).size).toBe(itemIds.length);
      const rows = await readQuery(driver, "MATCH (i:Item) WHERE i.id IN $ids RETURN i.id AS id, i.launchedAt < datetime($asOf) AS before", {
        ids: itemIds,
        asOf: AS_OF,
      });
      expect(rows.length).toBe(itemIds.length);
      for (const r of rows) expect(r.before).toBe(true);
      for (const item of s.ranked) {
        expect(item.queryIds.some((id) => finalIds.has(id) && s.retrieved[id]?.some((h) => h.itemId === item.itemId))).toBe(true);
        const chain = s.explanations[item.itemId];
        expect(chain.at(-1)).toMatchObject({ kind: "item", id: item.itemId });
        const queryLink = chain.find((l) => l.kind === "query")!;
        expect(finalIds.has(queryLink.id)).toBe(true);
        for (const l of chain.filter((x) => ["behaviour", "preference", "trend", "pair"].includes(x.kind))) {
          expect(evidence.supports.has(l.id)).toBe(true);
        }
        expect(chain.some((l) => ["behaviour", "preference", "trend", "pair"].includes(l.kind))).toBe(true);
      }
      expect(s.timings.map((t) => t.node)).toContain("explain");
      expect(s.steps.every((st) => st.reasoner === "analytic")).toBe(true);
    }
  });

  it("fails clearly for an unknown user", async () => {
    const g = createGraph({ deps, checkpointer: false });
    await expect(g.invoke({ userId: "no-such-buyer", asOf: AS_OF })).rejects.toThrow(/unknown user/);
  });
});

import { describe, expect, it } from "vitest";
import type { ItemRecord } from "../../contracts/records.js";
import type { WorldData } from "../world-data.js";
import { buildHistoryIndex } from "../baselines/history-index.js";
import type { UsersGolden } from "../golden/schema.js";
import { evaluateUsers, scoreUsers, type RunnableSystem } from "./users.js";

const asOf = "2025-06-01T00:00:00.000Z";
const item = (id: string, categoryId: string, valueIds: string[]): ItemRecord => ({
  id, title: id, categoryId, valueIds, price: 1, moq: 1, priceTiers: [], launchedAt: "2025-01-01T00:00:00.000Z", sellerId: "s",
});
const items = [item("a", "dress", ["fr"]), item("b", "dress", ["plaid"]), item("c", "skirt", ["fr"]), item("d", "phone", [])];
const world: WorldData = {
  dir: "mem",
  manifest: { preset: "t", seed: 1, asOf, historyStart: "2024-06-01T00:00:00.000Z", heldOutEnd: "2025-06-29T00:00:00.000Z", counts: {} },
  categories: [
    { id: "dress", name: "连衣裙", parentId: null, level: 1, allows: ["风格", "图案"] },
    { id: "skirt", name: "半身裙", parentId: null, level: 1, allows: ["风格"] },
    { id: "phone", name: "手机壳", parentId: null, level: 1, allows: [] },
  ],
  categoryById: new Map(),
  values: [{ id: "fr", factor: "风格", name: "法式", aliases: [] }, { id: "plaid", factor: "图案", name: "格纹", aliases: [] }],
  valueById: new Map(),
  items,
  itemById: new Map(items.map((i) => [i.id, i])),
  buyers: [{ id: "u1", name: "u1", joinedAt: "2024-01-01T00:00:00.000Z" }],
  events: [{ id: "e1", userId: "u1", type: "order", itemId: "a", at: "2025-03-01T00:00:00.000Z", quantity: 1, amount: 1 }],
  trends: [],
};
const golden: UsersGolden = {
  header: { set: "users-ci", version: 1, preset: "t", seed: 1, asOf, heldOutEnd: "2025-06-29T00:00:00.000Z", worldChecksum: "0".repeat(64), builtBy: "evals/golden/build.ts", notes: "" },
  buyers: [
    {
      userId: "u1",
      buyerType: "boutique",
      heldOut: [
        { itemId: "b", type: "order", at: "2025-06-05T00:00:00.000Z", categoryId: "dress", valueIds: ["plaid"] },
        { itemId: "c", type: "view", at: "2025-06-06T00:00:00.000Z", categoryId: "skirt", valueIds: ["fr"] },
      ],
      discovery: [
        { itemId: "b", categoryId: "dress", newCategory: false, newValueIds: ["plaid"] },
        { itemId: "c", categoryId: "skirt", newCategory: true, newValueIds: [] },
      ],
      intents: { history: 1, trend: 0, cross: 1, potential: 0 },
    },
  ],
};
const ctx = { golden, world, index: buildHistoryIndex(world, asOf), k: 50 };
const score = (m: { metrics: { key: string; score: number }[] }, key: string) => m.metrics.find((x) => x.key === key)?.score;

describe("users-ci scoring", () => {
  it("scores a list against held-out items and frozen discoveries, ignoring unknown item ids", () => {
    const m = scoreUsers(ctx, { name: "x", kind: "baseline" }, [{ userId: "u1", itemIds: ["ghost", "c", "d"], ms: 1 }]);
    expect(score(m, "recall@50")).toBeCloseTo(0.5);
    expect(score(m, "discovery_recall")).toBeCloseTo(0.5);
    expect(score(m, "category_width")).toBe(2);
    expect(score(m, "json_validity")).toBeUndefined();
  });
  it("system runs add JSON validity, hallucination, latency and errors", () => {
    const raw = { queries: [] };
    const m = scoreUsers(ctx, { name: "system", kind: "system" }, [{ userId: "u1", itemIds: ["b"], ms: 120, raw }]);
    expect(score(m, "json_validity")).toBe(0);
    expect(score(m, "latency_p50_ms")).toBe(120);
    expect(score(m, "errors")).toBe(0);
  });
  it("a failing buyer run is recorded as an error with an empty list", async () => {
    const broken: RunnableSystem = { name: "broken", kind: "system", run: async () => { throw new Error("boom"); } };
    const out = await evaluateUsers(ctx, [broken]);
    expect(out.runs.broken[0].error).toBe("boom");
    expect(score(out.systems[0], "errors")).toBe(1);
    expect(score(out.systems[0], "recall@50")).toBe(0);
  });
});

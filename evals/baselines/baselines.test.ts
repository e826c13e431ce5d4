import { describe, expect, it } from "vitest";
import type { EventRecord, ItemRecord } from "../../contracts/records.js";
import type { WorldData } from "../world-data.js";
import { buildHistoryIndex, footprintOf } from "./history-index.js";
import { cocoonRecommender } from "./cocoon.js";
import { popularityRecommender } from "./popularity.js";
import { oracleRecommender } from "./oracle.js";

const asOf = "2025-06-01T00:00:00.000Z";

function item(id: string, categoryId: string, valueIds: string[], launchedAt = "2025-01-01T00:00:00.000Z"): ItemRecord {
  return { id, title: id, categoryId, valueIds, price: 10, moq: 1, priceTiers: [], launchedAt, sellerId: "s" };
}

let n = 0;
function ev(userId: string, type: EventRecord["type"], itemId: string, at: string): EventRecord {
  return { id: `e${++n}`, userId, type, itemId, at };
}

function world(): WorldData {
  const items = [
    item("d1", "dress", ["fr"]),
    item("d2", "dress", ["floral"]),
    item("d3", "dress", ["fr"], "2025-06-05T00:00:00.000Z"),
    item("s1", "skirt", ["plaid"]),
    item("p1", "phone", ["black"]),
  ];
  const events = [
    ev("u1", "order", "d1", "2025-05-20T00:00:00.000Z"),
    ev("u1", "view", "d1", "2025-05-10T00:00:00.000Z"),
    ev("u2", "view", "d1", "2025-05-01T00:00:00.000Z"),
    ev("u2", "view", "d2", "2025-05-01T00:00:00.000Z"),
    ev("u2", "view", "d3", "2025-06-10T00:00:00.000Z"),
    ev("u3", "view", "d1", "2025-04-01T00:00:00.000Z"),
    ev("u3", "view", "s1", "2025-04-01T00:00:00.000Z"),
    ...Array.from({ length: 5 }, () => ev("u3", "order", "p1", "2025-05-25T00:00:00.000Z")),
    ev("u1", "order", "s1", "2025-06-03T00:00:00.000Z"),
  ].sort((a, b) => (a.at < b.at ? -1 : 1));
  return {
    dir: "mem",
    manifest: { preset: "t", seed: 1, asOf, historyStart: "2024-06-01T00:00:00.000Z", heldOutEnd: "2025-06-29T00:00:00.000Z", counts: {} },
    categories: [],
    categoryById: new Map(),
    values: [],
    valueById: new Map(),
    items,
    itemById: new Map(items.map((i) => [i.id, i])),
    buyers: ["u1", "u2", "u3"].map((id) => ({ id, name: id, joinedAt: "2024-01-01T00:00:00.000Z" })),
    events,
    trends: [],
  };
}

describe("history index", () => {
  const idx = buildHistoryIndex(world(), asOf);
  it("sees only events before asOf and items launched before it", () => {
    expect(idx.candidates).not.toContain("d3");
    expect(idx.itemUsers.get("d3")).toBeUndefined();
    expect(footprintOf(idx, "u1").categories).toEqual(new Set(["dress"]));
    expect(idx.recentOrders.get("u1")).toEqual(new Set(["d1"]));
    expect(idx.buyersTouching.get("d1")).toBe(3);
  });
  it("category shares sum to one per buyer", () => {
    const s = [...idx.userCategoryShare.get("u3")!.values()].reduce((a, b) => a + b, 0);
    expect(s).toBeCloseTo(1);
  });
});

describe("baselines", () => {
  const idx = buildHistoryIndex(world(), asOf);
  it("popularity ranks by decayed weighted interactions, minus recent orders", () => {
    const pop = popularityRecommender(idx);
    expect(pop.recommend("u2", 2)).toEqual(["p1", "d1"]);
    expect(pop.recommend("u1", 3)).not.toContain("d1");
  });
  it("the cocoon prefers co-visited items in the buyer's own category and never a future item", () => {
    const list = cocoonRecommender(idx).recommend("u1", 5) as string[];
    expect(list[0]).toBe("d2");
    expect(list).toContain("s1");
    expect(list).not.toContain("d3");
    expect(list).not.toContain("d1");
  });
  it("the cocoon returns nothing for a buyer without history", () => {
    expect(cocoonRecommender(idx).recommend("nobody", 5)).toEqual([]);
  });
});

describe("oracle", () => {
  const w = world();
  const idx = buildHistoryIndex(w, asOf);
  const profile = (potential: { categoryId: string; valueIds: string[] }[]) => ({
    buyerId: "u2", type: "boutique" as const, mainCategories: [{ categoryId: "dress", share: 1 }], preferences: { 风格: [{ valueId: "floral", weight: 1 }] },
    recentDrift: { since: "2025-05-01T00:00:00.000Z", valueIds: [], strength: 0.3 }, potential, trendAffinity: 0.1, trendLagDays: 3,
  });
  it("ranks the latent preference first in the main category, and reaches a latent potential category", async () => {
    const o = oracleRecommender({ world: w, index: idx, profiles: [profile([{ categoryId: "phone", valueIds: ["black"] }])], trends: [] });
    const list = await o.recommend("u2", 3);
    expect(list[0]).toBe("d2");
    expect(list).toContain("p1");
    expect(list).not.toContain("d3");
  });
  it("recommends nothing for a buyer without a latent profile", async () => {
    expect(await oracleRecommender({ world: w, index: idx, profiles: [], trends: [] }).recommend("u2", 3)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { UserEvent } from "../contracts/kg.js";
import { categoryShares, engagedForQuery, engagedItems, reengagementRate } from "./engagement.js";

const ev = (id: string, type: UserEvent["type"], at: string, itemId: string, categoryId: string, values: string[]): UserEvent => ({
  id, type, at, itemId, shortTitle: itemId, categoryId, categoryName: categoryId, values: values.map((v) => ({ id: v, factor: "f", name: v })),
  searchTerm: null, dwellS: null, quantity: null, amount: null,
});
const asOf = "2025-06-01T00:00:00.000Z";
const events = [
  ev("1", "view", "2025-05-31T00:00:00.000Z", "a", "c1", ["v1"]),
  ev("2", "order", "2025-05-31T00:00:00.000Z", "b", "c1", ["v2"]),
  ev("3", "view", "2024-06-01T00:00:00.000Z", "c", "c2", ["v1"]),
  ev("4", "order", "2025-06-02T00:00:00.000Z", "d", "c2", ["v1"]),
];

describe("engagement", () => {
  it("weighs behaviour and decays with age, ignoring events at or after asOf", () => {
    const items = engagedItems(events, asOf);
    expect(items.map((i) => i.itemId)).toEqual(["b", "a", "c"]);
    expect(items[0].weight).toBeCloseTo(5 * Math.pow(2, -1 / 60));
    expect(items[2].weight).toBeLessThan(0.02);
  });
  it("shares categories by decayed engagement", () => {
    const shares = categoryShares(engagedItems(events, asOf));
    expect(shares.get("c1")!).toBeGreaterThan(0.99);
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(categoryShares([]).size).toBe(0);
  });
  it("orders a category's engaged items by engagement and matches with the query's values", () => {
    const items = engagedItems([ev("5", "view", "2025-05-31T00:00:00.000Z", "a", "c1", ["v1"]), ev("6", "collect", "2025-05-31T00:00:00.000Z", "b", "c1", ["v2"])], asOf);
    expect(engagedForQuery(items, "c1", []).map((i) => i.itemId)).toEqual(["b", "a"]);
    expect(engagedForQuery(items, "c1", ["v1"]).map((i) => i.itemId)).toEqual(["a", "b"]);
    expect(engagedForQuery(items, "c2", ["v1"])).toEqual([]);
  });
  it("re-engagement rate: share of the last 28 days' items in earlier categories that the buyer engaged with before", () => {
    const hist = [
      ev("1", "view", "2025-03-01T00:00:00.000Z", "a", "c1", []),
      ev("2", "order", "2025-03-02T00:00:00.000Z", "b", "c1", []),
      ev("3", "view", "2025-05-20T00:00:00.000Z", "a", "c1", []),
      ev("4", "cart", "2025-05-21T00:00:00.000Z", "a", "c1", []),
      ev("5", "view", "2025-05-22T00:00:00.000Z", "n", "c1", []),
      ev("6", "view", "2025-05-23T00:00:00.000Z", "x", "c9", []),
      ev("7", "view", "2025-05-24T00:00:00.000Z", "m", "c1", []),
      ev("8", "order", "2025-06-03T00:00:00.000Z", "b", "c1", []),
    ];
    expect(reengagementRate(hist, asOf)).toBeCloseTo(1 / 3);
    expect(reengagementRate(hist.slice(0, 4), asOf)).toBe(1);
    expect(reengagementRate(hist.slice(0, 2), asOf)).toBe(0);
    expect(reengagementRate([], asOf)).toBe(0);
  });
});

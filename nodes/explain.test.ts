import { describe, expect, it } from "vitest";
import { buildChains } from "./explain.js";
import type { GraphState } from "../contracts/state.js";

const item = (itemId: string, queryIds: string[]) => ({
  itemId, queryIds, rank: 1, score: 1, title: itemId, shortTitle: `short ${itemId}`, categoryId: "c2", price: 1, moq: 1,
  launchedAt: "2024-01-01T00:00:00Z", sellerId: "s", sellerJoinedAt: "2020-01-01T00:00:00Z", valueIds: [],
  flags: { newItem: false, trend: false, newSeller: false },
});

describe("buildChains", () => {
  it("links a query's evidence, and gives an item ranked without a query behaviour → item", () => {
    const state = {
      ranked: [item("i1", ["q1"]), item("i2", [])],
      finalQueries: [{ id: "q1", text: "法式 连衣裙", evidence: [{ kind: "pair", id: "pair:c1:c2" }] }],
      compression: null,
      cfv: null,
      trends: null,
    } as unknown as Pick<GraphState, "ranked" | "finalQueries" | "compression" | "cfv" | "trends">;
    const chains = buildChains(state);
    expect(chains.i1.map((l) => l.kind)).toEqual(["pair", "query", "item"]);
    expect(chains.i1[0].label).toBe("c1 → c2");
    expect(chains.i2.map((l) => l.kind)).toEqual(["behaviour", "item"]);
    expect(chains.i2[1]).toEqual({ kind: "item", id: "i2", label: "short i2" });
  });
});

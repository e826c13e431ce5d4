import { describe, expect, it } from "vitest";
import { resolveConfiguration } from "../contracts/configuration.js";
import { rankList } from "./rank-items.js";
import type { RetrievedItem } from "../contracts/items.js";

const hit = (itemId: string, queryId: string, score: number): RetrievedItem => ({
  itemId, queryId, score, title: itemId, shortTitle: itemId, categoryId: "c", price: 1, moq: 1,
  launchedAt: "2024-01-01T00:00:00Z", sellerId: "s", sellerJoinedAt: "2020-01-01T00:00:00Z", valueIds: [], rrf: score, ftRank: 1, vecRank: 1,
});
const list = (q: string, n: number) => [...Array(n)].map((_, i) => hit(`${q}-${i}`, q, 1 - i / 100));

describe("rankList slot sharing", () => {
  it("gives a query with three times the weight three times the slots", () => {
    const ranked = rankList({
      retrieved: { g: list("g", 20), s: list("s", 20) },
      queryOrder: ["g", "s"],
      queryWeights: { g: 0.9, s: 0.3 },
      trendValueIds: new Set(),
      excluded: new Set(),
      asOf: "2025-06-01T00:00:00Z",
      cfg: resolveConfiguration({ finalListSize: 8 }),
    });
    expect(ranked.filter((i) => i.queryIds[0] === "g")).toHaveLength(6);
    expect(ranked.filter((i) => i.queryIds[0] === "s")).toHaveLength(2);
    expect(ranked.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("hands the slots of an exhausted query to the others", () => {
    const ranked = rankList({
      retrieved: { g: list("g", 2), s: list("s", 20) },
      queryOrder: ["g", "s"],
      queryWeights: { g: 5, s: 1 },
      trendValueIds: new Set(),
      excluded: new Set(),
      asOf: "2025-06-01T00:00:00Z",
      cfg: resolveConfiguration({ finalListSize: 6 }),
    });
    expect(ranked.map((i) => i.itemId)).toEqual(["g-0", "g-1", "s-0", "s-1", "s-2", "s-3"]);
  });
});

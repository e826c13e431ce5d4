import { describe, expect, it } from "vitest";
import { resolveConfiguration } from "../contracts/configuration.js";
import { rankList, slotBuckets } from "./rank-items.js";
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

describe("rankList buckets", () => {
  it("shares slots by bucket weight first, then by query weight inside a bucket", () => {
    const { queryBucket, bucketWeights } = slotBuckets(
      [{ id: "a", categoryId: "c1" }, { id: "b", categoryId: "c1" }, { id: "n", categoryId: "new" }, { id: "m", categoryId: "c2" }],
      new Map([["c1", 0.75], ["c2", 0.25]]),
      0.2,
    );
    expect(queryBucket).toEqual({ a: "category:c1", b: "category:c1", n: "discovery", m: "category:c2" });
    expect(bucketWeights).toEqual({ discovery: 0.2, "category:c1": 0.6000000000000001, "category:c2": 0.2 });
    const ranked = rankList({
      retrieved: { a: list("a", 20), b: list("b", 20), n: list("n", 20), m: list("m", 20) },
      queryOrder: ["a", "b", "n", "m"],
      queryWeights: { a: 2, b: 1, n: 1, m: 1 },
      queryBucket,
      bucketWeights,
      trendValueIds: new Set(),
      excluded: new Set(),
      asOf: "2025-06-01T00:00:00Z",
      cfg: resolveConfiguration({ finalListSize: 10 }),
    });
    const count = (q: string) => ranked.filter((i) => i.queryIds[0] === q).length;
    expect(count("a") + count("b")).toBe(6);
    expect(count("a")).toBe(4);
    expect(count("n")).toBe(2);
    expect(count("m")).toBe(2);
  });
  it("renormalises history shares over the categories that have queries", () => {
    const { bucketWeights } = slotBuckets([{ id: "a", categoryId: "c1" }], new Map([["c1", 0.5], ["c2", 0.5]]), 0.25);
    expect(bucketWeights["category:c1"]).toBeCloseTo(0.75);
  });
  it("buy again: engaged items the bucket's queries retrieved take the re-engagement rate of its history queries' weight, strongest engagement first", () => {
    const retrieved = { h: list("h", 20), t: list("t", 20) };
    const engagement = new Map([["h-9", 5], ["h-3", 2], ["t-15", 1], ["elsewhere", 9]]);
    const base = {
      retrieved,
      queryOrder: ["h", "t"],
      queryWeights: { h: 1, t: 1 },
      queryBucket: { h: "category:c1", t: "category:c1" },
      bucketWeights: { "category:c1": 1 },
      trendValueIds: new Set<string>(),
      excluded: new Set(["h-3"]),
      asOf: "2025-06-01T00:00:00Z",
      cfg: resolveConfiguration({ finalListSize: 8 }),
    };
    const ids = (again?: { rate: number }) =>
      rankList({ ...base, ...(again ? { again: { engagement, rate: again.rate, historyQueryIds: new Set(["h"]) } } : {}) }).map((i) => i.itemId);
    expect(ids()).toEqual(["h-0", "t-0", "h-1", "t-1", "h-2", "t-2", "h-4", "t-3"]);
    expect(ids({ rate: 0 })).toEqual(ids());
    const half = ids({ rate: 0.5 });
    expect(half.filter((id) => /^t-[0-3]$/.test(id))).toHaveLength(4);
    expect(half.filter((id) => ["h-9", "t-15"].includes(id))).toEqual(["h-9", "t-15"]);
    expect(half.filter((id) => /^h-[0-2]$/.test(id))).toHaveLength(2);
    const all = ids({ rate: 1 });
    expect(all.filter((id) => ["h-9", "t-15"].includes(id))).toEqual(["h-9", "t-15"]);
    expect(all.filter((id) => /^h-[0-8]$/.test(id))).toEqual([]);
  });
  it("a category no query covers keeps its share × the re-engagement rate, filled with the buyer's engaged items", () => {
    const { queryBucket, bucketWeights } = slotBuckets([{ id: "a", categoryId: "c1" }], new Map([["c1", 0.5], ["c2", 0.5]]), 0.2, ["c2"], 0.5);
    expect(bucketWeights["category:c1"]).toBeCloseTo((0.8 * 0.5) / 0.75);
    expect(bucketWeights["category:c2"]).toBeCloseTo((0.8 * 0.25) / 0.75);
    const own = ["x-1", "x-2", "x-3"].map((id) => ({ ...hit(id, "", 1), queryIds: [], flags: { newItem: false, trend: false, newSeller: false } }));
    const ranked = rankList({
      retrieved: { a: list("a", 20) },
      queryOrder: ["a"],
      queryWeights: { a: 1 },
      queryBucket,
      bucketWeights: { ...bucketWeights, discovery: 0 },
      ownLists: [{ bucket: "category:c2", items: own }],
      trendValueIds: new Set(),
      excluded: new Set(["x-2"]),
      asOf: "2025-06-01T00:00:00Z",
      cfg: resolveConfiguration({ finalListSize: 9 }),
    });
    const mine = ranked.filter((i) => i.itemId.startsWith("x-"));
    expect(mine.map((i) => i.itemId)).toEqual(["x-1", "x-3"]);
    expect(mine.every((i) => i.queryIds.length === 0)).toBe(true);
    expect(ranked.filter((i) => i.queryIds[0] === "a")).toHaveLength(7);
  });
});

import { describe, expect, it } from "vitest";
import { coEngagementPairs } from "./co-engagement.js";

describe("coEngagementPairs", () => {
  it("is the cosine of two categories' buyer shares, both directions, with the buyers engaged in both", () => {
    const users = new Map([
      ["u1", new Map([["a", 3], ["b", 1]])],
      ["u2", new Map([["a", 1], ["b", 1]])],
      ["u3", new Map([["c", 2]])],
    ]);
    const pairs = coEngagementPairs(users, { maxNeighbours: 5, minBuyers: 1 });
    const shares = { a: [0.75, 0.5], b: [0.25, 0.5] };
    const cos = (shares.a[0] * shares.b[0] + shares.a[1] * shares.b[1]) / (Math.hypot(...shares.a) * Math.hypot(...shares.b));
    expect(pairs).toHaveLength(2);
    expect(pairs.find((p) => p.from === "a")).toEqual({ from: "a", to: "b", weight: Math.round(cos * 10_000) / 10_000, buyers: 2 });
    expect(pairs.find((p) => p.from === "b")?.to).toBe("a");
  });

  it("keeps the strongest neighbours per category and drops pairs with too few common buyers", () => {
    const users = new Map([
      ["u1", new Map([["a", 1], ["b", 1]])],
      ["u2", new Map([["a", 1], ["b", 1]])],
      ["u3", new Map([["a", 1], ["c", 1]])],
    ]);
    expect(coEngagementPairs(users, { maxNeighbours: 5, minBuyers: 2 }).map((p) => `${p.from}>${p.to}`).sort()).toEqual(["a>b", "b>a"]);
    const one = coEngagementPairs(users, { maxNeighbours: 1, minBuyers: 1 }).filter((p) => p.from === "a");
    expect(one.map((p) => p.to)).toEqual(["b"]);
  });
});

import { describe, expect, it } from "vitest";
import { behaviourAggregates, behaviourPaths } from "./uq.js";

const asOf = "2025-06-01T00:00:00.000Z";
const daysBefore = (d: number) => new Date(Date.parse(asOf) - d * 86_400_000).toISOString();

describe("U-Q behaviour aggregates", () => {
  const behaviour = [
    { itemId: "i1", categoryId: "skirt", valueIds: ["v-floral", "v-red"], type: "view", at: daysBefore(91) },
    { itemId: "i1", categoryId: "skirt", valueIds: ["v-floral", "v-red"], type: "order", at: daysBefore(0.5) },
    { itemId: "i2", categoryId: "shirt", valueIds: ["v-red"], type: "cart", at: daysBefore(182) },
    { itemId: "i3", categoryId: "case", valueIds: [], type: "mystery", at: daysBefore(0) },
  ];
  const { items, userTop } = behaviourAggregates(behaviour, asOf, 91, { view: 1, order: 5, cart: 3 });

  it("weighs each behaviour by type × 2^(−age/half-life), summed per item in order of first behaviour", () => {
    expect(items.map((x) => x.item)).toEqual(["i1", "i2", "i3"]);
    expect(items[0].w).toBeCloseTo(1 * 0.5 + 5 * 2 ** (-0.5 / 91), 9);
    expect(items[1].w).toBeCloseTo(3 * 0.25, 9);
    expect(items[2].w).toBeCloseTo(1, 9);
  });

  it("ranks the buyer's values by the weight of the items carrying them", () => {
    expect(userTop).toEqual(["v-red", "v-floral"]);
  });

  it("scores a query's category subtree, values (share carried) and paired categories × lift", () => {
    const p = behaviourPaths(items, new Set(["wear", "skirt", "shirt"]), ["v-floral", "v-blue"], [
      { cat: "case", lift: 2 },
      { cat: "bag", lift: 9 },
    ]);
    expect(p.cat).toBeCloseTo(items[0].w + items[1].w, 9);
    expect(p.catItems).toEqual(["i1", "i2"]);
    expect(p.val).toBeCloseTo(items[0].w / 2, 9);
    expect(p.valItems).toEqual(["i1"]);
    expect(p.pair).toBeCloseTo(2 * items[2].w, 9);
    expect(p.pairCats).toEqual(["case"]);
  });
});

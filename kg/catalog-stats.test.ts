import { describe, expect, it } from "vitest";
import { buildSnapshot } from "./catalog-stats.js";

const categories = [
  { id: "root", parentId: null },
  { id: "wear", parentId: "root" },
  { id: "skirt", parentId: "wear" },
  { id: "shirt", parentId: "wear" },
  { id: "phone", parentId: "root" },
];

function seeded(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const rand = seeded(7);
const leaves = ["skirt", "shirt", "phone", "wear"];
const values = ["v1", "v2", "v3", "v4", "v5", "v6"];
const day = 86_400_000;
const items = Array.from({ length: 400 }, (_, n) => ({
  id: `i-${n}`,
  sellerJoinedMs: rand() < 0.1 ? null : Date.parse("2024-12-01T00:00:00Z") + Math.floor(rand() * 300) * day,
  categoryId: leaves[Math.floor(rand() * leaves.length)],
  launchedMs: Date.parse("2025-01-01T00:00:00Z") + Math.floor(rand() * 200) * day,
  valueIds: values.filter(() => rand() < 0.35),
}));

const inSubtree = (cat: string, root: string): boolean => {
  for (let c: string | null = cat; c !== null; c = categories.find((k) => k.id === c)!.parentId) if (c === root) return true;
  return false;
};

describe("catalog statistics snapshot against a direct count", () => {
  const snap = buildSnapshot("1:400", categories, items);
  const asOfs = ["2025-01-01T00:00:00Z", "2025-03-15T12:00:00Z", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"];

  it("counts items in a category subtree carrying every value, launched before asOf, up to the limit", () => {
    for (const asOf of asOfs)
      for (const cat of ["root", "wear", "skirt", "phone"])
        for (const want of [[], ["v1"], ["v2", "v3"], ["v1", "v4", "v6"], ["nope"]]) {
          const expected = items.filter(
            (i) => i.launchedMs < Date.parse(asOf) && inSubtree(i.categoryId, cat) && want.every((v) => i.valueIds.includes(v)),
          ).length;
          expect(snap.countWithValues(cat, want, asOf, 10_000)).toBe(expected);
          expect(snap.countWithValues(cat, want, asOf, 3)).toBe(Math.min(3, expected));
        }
    expect(snap.countWithValues("unknown", ["v1"], asOfs[2], 10)).toBe(0);
  });

  it("tells whether an item is launched, its seller joined, before asOf within a category subtree", () => {
    let shown = 0;
    for (const asOf of asOfs)
      for (const cat of [null, "root", "wear", "skirt", "phone", "unknown"])
        for (const item of items) {
          const ms = Date.parse(asOf);
          const expected = item.launchedMs < ms && item.sellerJoinedMs !== null && item.sellerJoinedMs < ms && (cat === null || (cat !== "unknown" && inSubtree(item.categoryId, cat)));
          expect(snap.visible(item.id, asOf, cat)).toBe(expected);
          if (expected) shown += 1;
        }
    expect(shown).toBeGreaterThan(100);
    expect(snap.visible("no-such-item", asOfs[3], null)).toBe(false);
  });

  it("lists a category's subtree ids", () => {
    expect(snap.subtreeIds("wear").sort()).toEqual(["shirt", "skirt", "wear"]);
    expect(snap.subtreeIds("phone")).toEqual(["phone"]);
    expect(snap.subtreeIds("unknown")).toEqual([]);
  });

  it("lists the values carried in a category subtree before asOf", () => {
    for (const asOf of asOfs)
      for (const cat of ["root", "wear", "shirt"]) {
        const expected = [...new Set(items.filter((i) => i.launchedMs < Date.parse(asOf) && inSubtree(i.categoryId, cat)).flatMap((i) => i.valueIds))].sort();
        expect(snap.valuesCarried(cat, asOf)).toEqual(expected);
      }
  });

  it("gives the share of items with a query value that also carry a preferred value (query values excluded)", () => {
    for (const asOf of asOfs)
      for (const [query, preferred] of [
        [["v1"], ["v2"]],
        [["v1", "v2"], ["v2", "v3", "v5"]],
        [["v6"], ["v6"]],
        [["nope"], ["v1"]],
      ]) {
        const pool = items.filter((i) => i.launchedMs < Date.parse(asOf) && i.valueIds.some((v) => query.includes(v)));
        const others = preferred.filter((p) => !query.includes(p));
        const joint = pool.filter((i) => i.valueIds.some((v) => others.includes(v))).length;
        expect(snap.cooccurrence(query, preferred, asOf)).toBeCloseTo(pool.length === 0 ? 0 : joint / pool.length, 12);
      }
  });
});

describe("co-occurrence with sparse and dense values against a direct count", () => {
  const rnd = seeded(11);
  const many = Array.from({ length: 40 }, (_, k) => `s${k}`);
  const big = Array.from({ length: 3000 }, (_, n) => ({
    id: `j-${n}`,
    sellerJoinedMs: Date.parse("2024-12-01T00:00:00Z"),
    categoryId: leaves[Math.floor(rnd() * leaves.length)],
    launchedMs: Date.parse("2025-01-01T00:00:00Z") + Math.floor(rnd() * 200) * day,
    valueIds: [...values.filter(() => rnd() < 0.3), ...many.filter((_, k) => rnd() < (k < 20 ? 0.004 : 0.05))],
  }));
  const snap = buildSnapshot("1:3000", categories, big);
  const asOfs = ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "2025-02-10T07:00:00Z", "2025-05-20T00:00:00Z", "2026-01-01T00:00:00Z"];

  it("gives the same share for sparse (posting list) and dense (bitset) values, at every point in time", () => {
    const cases: [string[], string[]][] = [
      [["s1"], ["v1"]],
      [["s1", "s2"], ["s3", "v2", "s25"]],
      [["v1"], ["s4", "s5"]],
      [["s30", "v3"], ["s30", "s31", "v4"]],
      [["v1", "v2", "v3"], ["s0", "s21", "v6"]],
    ];
    let nonTrivial = 0;
    for (const asOf of asOfs)
      for (const [query, preferred] of cases) {
        const pool = big.filter((i) => i.launchedMs < Date.parse(asOf) && i.valueIds.some((v) => query.includes(v)));
        const others = preferred.filter((p) => !query.includes(p));
        const joint = pool.filter((i) => i.valueIds.some((v) => others.includes(v))).length;
        if (joint > 0 && joint < pool.length) nonTrivial += 1;
        expect(snap.cooccurrence(query, preferred, asOf)).toBeCloseTo(pool.length === 0 ? 0 : joint / pool.length, 12);
      }
    expect(nonTrivial).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { Rng } from "./random.js";

describe("Rng", () => {
  it("repeats the same stream for the same seed and differs for another", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(sa);
    expect(Rng.derive(7, "x").next()).toBe(Rng.derive(7, "x").next());
    expect(Rng.derive(7, "x").next()).not.toBe(Rng.derive(7, "y").next());
  });

  it("samples ints in range and weighted picks in proportion", () => {
    const r = new Rng(1);
    const counts = [0, 0, 0];
    const seen = new Set<number>();
    for (let i = 0; i < 30_000; i++) {
      seen.add(r.int(3, 5));
      counts[r.weightedIndex([1, 2, 7])]++;
    }
    expect([...seen].sort()).toEqual([3, 4, 5]);
    expect(counts[2] / 30_000).toBeCloseTo(0.7, 1);
    expect(counts[0] / 30_000).toBeCloseTo(0.1, 1);
  });

  it("has Poisson and normal draws with the requested means", () => {
    const r = new Rng(2);
    let p = 0;
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      p += r.poisson(3.5);
      n += r.normal(10, 2);
    }
    expect(p / 20_000).toBeCloseTo(3.5, 1);
    expect(n / 20_000).toBeCloseTo(10, 1);
  });

  it("shuffles into a permutation", () => {
    const r = new Rng(3);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const s = r.shuffle(xs);
    expect([...s].sort((a, b) => a - b)).toEqual(xs);
    expect(s).not.toEqual(xs);
  });
});

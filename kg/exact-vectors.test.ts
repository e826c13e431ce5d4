import { describe, expect, it } from "vitest";
import { scoreExact } from "./exact-vectors.js";

const unit = (rows: number[][]) => {
  const dims = rows[0].length;
  const out = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => {
    const n = Math.hypot(...r);
    r.forEach((x, d) => (out[i * dims + d] = x / n));
  });
  return out;
};

describe("exact vector scoring", () => {
  const rows = [
    [1, 0, 0],
    [0.9, 0.1, 0],
    [0, 1, 0],
    [-1, 0, 0],
    [2, 0, 0],
  ];
  const entry = { ids: ["a", "b", "c", "d", "e"], unit: unit(rows), dims: 3 };

  it("ranks by cosine, reported as (1 + cos) / 2, ties by id, whatever the query's length", () => {
    const hits = scoreExact([entry], [3, 0, 0], () => true, 5);
    expect(hits.map((h) => h.itemId)).toEqual(["a", "e", "b", "c", "d"]);
    expect(hits[0].score).toBeCloseTo(1, 6);
    expect(hits[3].score).toBeCloseTo(0.5, 6);
    expect(hits[4].score).toBeCloseTo(0, 6);
    const cos = 0.9 / Math.hypot(0.9, 0.1);
    expect(hits[2].score).toBeCloseTo((1 + cos) / 2, 6);
  });

  it("keeps only the items the filter lets through, at most `limit`, across entries", () => {
    const other = { ids: ["f"], unit: unit([[0.95, 0.05, 0]]), dims: 3 };
    const hits = scoreExact([entry, other], [1, 0, 0], (id) => id !== "a", 2);
    expect(hits.map((h) => h.itemId)).toEqual(["e", "f"]);
  });

  it("skips entries whose dimensions differ from the query's", () => {
    expect(scoreExact([entry], [1, 0], () => true, 5)).toEqual([]);
  });
});

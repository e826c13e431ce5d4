import { describe, expect, it } from "vitest";
import { tickBatcher } from "./tick-batcher.js";

describe("tickBatcher", () => {
  it("runs the calls of one tick as one batch and answers each caller with its own result", async () => {
    const batches: number[][] = [];
    const double = tickBatcher(async (xs: number[]) => {
      batches.push(xs);
      return xs.map((x) => x * 2);
    });
    const first = await Promise.all([double(1), double(2), double(3)]);
    const second = await double(10);
    expect(first).toEqual([2, 4, 6]);
    expect(second).toBe(20);
    expect(batches).toEqual([[1, 2, 3], [10]]);
  });

  it("rejects every caller of a failed batch, and the next batch still runs", async () => {
    let calls = 0;
    const f = tickBatcher(async (xs: string[]) => {
      calls += 1;
      if (xs.includes("bad")) throw new Error("boom");
      return xs.map((x) => x.toUpperCase());
    });
    const results = await Promise.allSettled([f("a"), f("bad")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await f("ok")).toBe("OK");
    expect(calls).toBe(2);
  });

  it("rejects when the batch answers with the wrong number of results", async () => {
    const f = tickBatcher(async (xs: number[]) => xs.slice(1));
    await expect(Promise.all([f(1), f(2)])).rejects.toThrow("batch returned 1 results for 2 inputs");
  });
});

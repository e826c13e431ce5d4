import { describe, expect, it } from "vitest";
import { embedWithCache, embeddingKey, openEmbeddingCache, type DocumentEmbedder } from "./embedding-cache.js";

function countingEmbedder(model: string): DocumentEmbedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    model,
    dimensions: 3,
    calls,
    async embedDocuments(texts) {
      calls.push(texts);
      return texts.map((t) => [t.length, t.charCodeAt(0) / 1000, 0.5]);
    },
  };
}

describe("embedding cache", () => {
  it("embeds only misses and returns vectors in input order", async () => {
    const cache = openEmbeddingCache(":memory:");
    const embedder = countingEmbedder("m1");
    const first = await embedWithCache(["连衣裙", "手机壳", "连衣裙"], embedder, cache, 1);
    expect(first.stats).toEqual({ hits: 0, misses: 2 });
    expect(embedder.calls).toEqual([["连衣裙"], ["手机壳"]]);
    expect(first.vectors[0]).toEqual(first.vectors[2]);
    const second = await embedWithCache(["手机壳", "连衣裙", "卡套"], embedder, cache);
    expect(second.stats).toEqual({ hits: 2, misses: 1 });
    expect(embedder.calls.at(-1)).toEqual(["卡套"]);
    expect(second.vectors[0][0]).toBeCloseTo(3);
    expect(second.vectors[0][1]).toBeCloseTo("手".charCodeAt(0) / 1000, 5);
    expect(cache.size()).toBe(3);
    cache.close();
  });

  it("keys by model so another model re-embeds", async () => {
    const cache = openEmbeddingCache(":memory:");
    await embedWithCache(["连衣裙"], countingEmbedder("m1"), cache);
    const other = countingEmbedder("m2");
    const res = await embedWithCache(["连衣裙"], other, cache);
    expect(res.stats.misses).toBe(1);
    expect(embeddingKey("m1", "a")).not.toBe(embeddingKey("m2", "a"));
    cache.close();
  });

  it("rejects vectors of the wrong size", async () => {
    const cache = openEmbeddingCache(":memory:");
    const bad: DocumentEmbedder = { dimensions: 4, embedDocuments: async (t) => t.map(() => [1, 2, 3]) };
    await expect(embedWithCache(["x"], bad, cache)).rejects.toThrow(/3 dimensions, expected 4/);
    cache.close();
  });
});

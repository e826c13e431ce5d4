import { describe, expect, it } from "vitest";
import { createCachingEmbedder, type BatchEmbedder } from "./embed-cache.js";

function recorder(opts: { batchQueries?: boolean; fail?: () => boolean } = {}) {
  const calls: { kind: string; texts: string[] }[] = [];
  const vec = (role: string, t: string) => [role === "q" ? 1 : 2, t.length];
  const inner: BatchEmbedder = {
    async embedQuery(t) {
      calls.push({ kind: "query", texts: [t] });
      if (opts.fail?.()) throw new Error("down");
      return vec("q", t);
    },
    async embedDocuments(ts) {
      calls.push({ kind: "docs", texts: ts });
      if (opts.fail?.()) throw new Error("down");
      return ts.map((t) => vec("p", t));
    },
    ...(opts.batchQueries
      ? {
          async embedQueries(ts: string[]) {
            calls.push({ kind: "queries", texts: ts });
            return ts.map((t) => vec("q", t));
          },
        }
      : {}),
  };
  return { inner, calls };
}

describe("createCachingEmbedder", () => {
  it("coalesces the query misses of one tick into one batched request and keeps roles apart", async () => {
    const { inner, calls } = recorder({ batchQueries: true });
    const e = createCachingEmbedder(inner);
    const [a, b, docs] = await Promise.all([e.embedQuery("法式"), e.embedQuery("碎花连衣裙"), e.embedDocuments(["法式", "x"])]);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 5]);
    expect(docs).toEqual([[2, 2], [2, 1]]);
    expect(calls).toEqual([
      { kind: "queries", texts: ["法式", "碎花连衣裙"] },
      { kind: "docs", texts: ["法式", "x"] },
    ]);
  });

  it("serves repeated texts from the cache and sends only the misses", async () => {
    const { inner, calls } = recorder({ batchQueries: true });
    const e = createCachingEmbedder(inner);
    await e.embedQueries(["a", "b"]);
    const again = await e.embedQueries(["b", "a", "c", "c"]);
    expect(again).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
    expect(calls.map((c) => c.texts)).toEqual([["a", "b"], ["c"]]);
    expect(e.stats()).toMatchObject({ requests: 2, texts: 3 });
  });

  it("looks misses up in the persistent store first, writes what the server returns, and survives a broken store", async () => {
    const { openEmbeddingCache } = await import("../kg/embedding-cache.js");
    const store = openEmbeddingCache(":memory:");
    try {
      const first = recorder({ batchQueries: true });
      await createCachingEmbedder(first.inner, { store, storeKey: "m:model" }).embedQueries(["法式", "碎花"]);
      expect(first.calls.map((c) => c.texts)).toEqual([["法式", "碎花"]]);

      const second = recorder({ batchQueries: true });
      const e = createCachingEmbedder(second.inner, { store, storeKey: "m:model" });
      const [v, docs] = await Promise.all([e.embedQueries(["碎花", "新词"]), e.embedDocuments(["法式"])]);
      expect(v).toEqual([[1, 2], [1, 2]]);
      expect(docs).toEqual([[2, 2]]);
      expect(second.calls).toEqual([
        { kind: "queries", texts: ["新词"] },
        { kind: "docs", texts: ["法式"] },
      ]);
      expect(e.stats()).toMatchObject({ storeHits: 1 });

      const otherModel = recorder({ batchQueries: true });
      await createCachingEmbedder(otherModel.inner, { store, storeKey: "other:model" }).embedQueries(["法式"]);
      expect(otherModel.calls.map((c) => c.texts)).toEqual([["法式"]]);
    } finally {
      store.close();
    }
    const broken = { getMany: () => { throw new Error("locked"); }, putMany: () => { throw new Error("locked"); } };
    const third = recorder({ batchQueries: true });
    expect(await createCachingEmbedder(third.inner, { store: broken }).embedQueries(["a"])).toEqual([[1, 1]]);
  });

  it("falls back to one embedQuery per text without a batch method", async () => {
    const { inner, calls } = recorder();
    const e = createCachingEmbedder(inner);
    await e.embedQueries(["a", "bb"]);
    expect(calls).toEqual([
      { kind: "query", texts: ["a"] },
      { kind: "query", texts: ["bb"] },
    ]);
  });

  it("evicts the least recently used vectors beyond its bound", async () => {
    const { inner, calls } = recorder({ batchQueries: true });
    const e = createCachingEmbedder(inner, { maxEntries: 2 });
    await e.embedQuery("a");
    await e.embedQuery("b");
    await e.embedQuery("a");
    await e.embedQuery("c");
    await e.embedQuery("a");
    await e.embedQuery("b");
    expect(calls.map((c) => c.texts)).toEqual([["a"], ["b"], ["c"], ["b"]]);
    expect(e.stats().size).toBe(2);
  });

  it("rejects every waiter of a failed request and retries the texts later", async () => {
    let down = true;
    const { inner, calls } = recorder({ fail: () => down });
    const e = createCachingEmbedder(inner);
    await expect(e.embedDocuments(["a", "b"])).rejects.toThrow("down");
    down = false;
    expect(await e.embedDocuments(["a"])).toEqual([[2, 1]]);
    expect(calls).toHaveLength(2);
  });
});

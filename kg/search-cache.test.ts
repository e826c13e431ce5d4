import { describe, expect, it } from "vitest";
import { createRawHitCache } from "./search-cache.js";

describe("raw full-text hit cache", () => {
  it("answers a (query, k) of the same catalog version and counts hits and misses", () => {
    const cache = createRawHitCache(10);
    expect(cache.get("v1", "收纳盒", 100)).toBeUndefined();
    cache.set("v1", "收纳盒", 100, [["i1", 2.5]]);
    expect(cache.get("v1", "收纳盒", 100)).toEqual([["i1", 2.5]]);
    expect(cache.get("v1", "收纳盒", 400)).toBeUndefined();
    expect(cache.get("v1", "收纳", 100)).toBeUndefined();
    expect(cache.stats()).toEqual({ entries: 1, hits: 1, misses: 3 });
  });

  it("drops every entry when the catalog version moves", () => {
    const cache = createRawHitCache(10);
    cache.set("v1", "a", 100, [["i1", 1]]);
    cache.set("v1", "b", 100, [["i2", 1]]);
    expect(cache.get("v2", "a", 100)).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
    cache.set("v2", "a", 100, [["i3", 1]]);
    expect(cache.get("v2", "a", 100)).toEqual([["i3", 1]]);
  });

  it("keeps at most its size, dropping the least recently used", () => {
    const cache = createRawHitCache(2);
    cache.set("v", "a", 1, [["a", 1]]);
    cache.set("v", "b", 1, [["b", 1]]);
    expect(cache.get("v", "a", 1)).toBeDefined();
    cache.set("v", "c", 1, [["c", 1]]);
    expect(cache.get("v", "b", 1)).toBeUndefined();
    expect(cache.get("v", "a", 1)).toBeDefined();
    expect(cache.get("v", "c", 1)).toBeDefined();
    expect(cache.stats().entries).toBe(2);
    expect(() => createRawHitCache(0)).toThrow(/positive integer/);
  });
});

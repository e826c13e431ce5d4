/**
 * Raw full-text hits per (catalog version, Lucene query, k), shared by every run of the process:
 * the index answer depends on the query text and the catalog only (the point in time and the
 * category subtree are filtered in process afterwards), so buyers whose queries share a text
 * share one index read. Entries of an older catalog version are dropped when a newer version is
 * seen; at most `maxEntries` are kept, the least recently used dropped first. Reads and writes
 * nothing but its own memory.
 */

/** One index answer: [item id, score] pairs, strongest first. */
export type RawHits = readonly (readonly [string, number])[];

export interface RawHitCache {
  get(version: string, search: string, k: number): RawHits | undefined;
  set(version: string, search: string, k: number, hits: RawHits): void;
  stats(): { entries: number; hits: number; misses: number };
}

/** Default number of index answers kept (a few hundred ids each). */
export const RAW_HIT_CACHE_MAX = 4000;

export function createRawHitCache(maxEntries = RAW_HIT_CACHE_MAX): RawHitCache {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`raw hit cache size must be a positive integer, got ${maxEntries}`);
  const entries = new Map<string, RawHits>();
  let cachedVersion: string | null = null;
  let hits = 0;
  let misses = 0;
  const keyOf = (search: string, k: number) => `${k}\u0000${search}`;
  const follow = (version: string) => {
    if (version !== cachedVersion) {
      entries.clear();
      cachedVersion = version;
    }
  };
  return {
    get(version, search, k) {
      follow(version);
      const key = keyOf(search, k);
      const found = entries.get(key);
      if (found === undefined) {
        misses += 1;
        return undefined;
      }
      hits += 1;
      entries.delete(key);
      entries.set(key, found);
      return found;
    },
    set(version, search, k, value) {
      follow(version);
      const key = keyOf(search, k);
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
    stats: () => ({ entries: entries.size, hits, misses }),
  };
}

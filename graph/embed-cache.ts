import type { Embedder } from "../contracts/deps.js";
/**
 * A caching, batching wrapper around an embedder, made once per process and passed in through the
 * deps (never a module singleton). Vectors are kept in a bounded LRU keyed by role and text, so
 * query texts, selling-point terms and KG value names that recur across runs are embedded once.
 * Misses requested in the same tick are coalesced: all query misses go to the server in one
 * batched request (`embedQueries` when the inner embedder offers it), all passage misses in one
 * `embedDocuments` request. Concurrent requests for the same text share one pending vector. With a
 * `store` (the on-disk cache), misses are looked up there first and new vectors are written to it.
 */

/** An embedder that may also embed many queries in one request. */
export interface BatchEmbedder extends Embedder {
  embedQueries?(texts: string[]): Promise<number[][]>;
}

/** A persistent vector store (the on-disk embedding cache, kg/embedding-cache.ts, has this shape). */
export interface VectorStore {
  getMany(key: string, texts: string[]): (number[] | undefined)[];
  putMany(key: string, entries: { text: string; vector: number[] }[]): void;
}

export interface CachingEmbedderOptions {
  /** Vectors kept (both roles together); default 8192. */
  maxEntries?: number;
  /**
   * Misses are looked up here before they go to the server, and what the server returns is stored,
   * so that query texts seen by any earlier process are not embedded again. Keyed by
   * `${storeKey}\u0000query|passage`; a store error counts as a miss.
   */
  store?: VectorStore;
  /** Part of the store key that names the embedding model (vectors of another model never mix). */
  storeKey?: string;
}

export interface CachingEmbedder extends BatchEmbedder {
  embedQueries(texts: string[]): Promise<number[][]>;
  /** Server requests made and texts sent, for diagnostics. */
  stats(): { requests: number; texts: number; hits: number; storeHits: number; size: number };
}

type Role = "q" | "p";

export function createCachingEmbedder(inner: BatchEmbedder, opts: CachingEmbedderOptions = {}): CachingEmbedder {
  const max = opts.maxEntries ?? 8192;
  const cache = new Map<string, Promise<number[]>>();
  const queued: Record<Role, Map<string, { resolve: (v: number[]) => void; reject: (e: unknown) => void }>> = { q: new Map(), p: new Map() };
  let scheduled = false;
  let requests = 0;
  let texts = 0;
  let hits = 0;
  let storeHits = 0;
  const storeKey = (role: Role) => `${opts.storeKey ?? "default"}\u0000${role === "q" ? "query" : "passage"}`;
  const fromStore = (role: Role, list: string[]): (number[] | undefined)[] => {
    if (!opts.store) return list.map(() => undefined);
    try {
      return opts.store.getMany(storeKey(role), list);
    } catch {
      return list.map(() => undefined);
    }
  };
  const toStore = (role: Role, list: string[], vectors: number[][]) => {
    try {
      opts.store?.putMany(storeKey(role), list.map((text, i) => ({ text, vector: vectors[i] })));
    } catch {
      /* a store that cannot write only costs a later re-embedding */
    }
  };

  const remember = (key: string, value: Promise<number[]>) => {
    cache.set(key, value);
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };

  const send = async (role: Role, list: string[]): Promise<number[][]> => {
    requests += 1;
    texts += list.length;
    if (role === "p") return inner.embedDocuments(list);
    if (inner.embedQueries) return inner.embedQueries(list);
    return Promise.all(list.map((t) => inner.embedQuery(t)));
  };

  const flush = () => {
    scheduled = false;
    for (const role of ["q", "p"] as const) {
      const batch = queued[role];
      if (batch.size === 0) continue;
      queued[role] = new Map();
      const stored = fromStore(role, [...batch.keys()]);
      const list = [...batch.keys()].filter((t, i) => {
        const v = stored[i];
        if (v === undefined) return true;
        storeHits += 1;
        batch.get(t)!.resolve(v);
        return false;
      });
      if (list.length === 0) continue;
      send(role, list).then(
        (vectors) => {
          if (vectors.length !== list.length) throw new Error(`embedder returned ${vectors.length} vectors for ${list.length} texts`);
          list.forEach((t, i) => batch.get(t)!.resolve(vectors[i]));
          toStore(role, list, vectors);
        },
      ).catch((e: unknown) => {
        for (const w of batch.values()) w.reject(e);
      });
    }
  };

  const one = (role: Role, text: string): Promise<number[]> => {
    const key = `${role}\u0000${text}`;
    const hit = cache.get(key);
    if (hit) {
      hits += 1;
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const value = new Promise<number[]>((resolve, reject) => {
      queued[role].set(text, { resolve, reject });
    });
    value.catch(() => cache.delete(key));
    remember(key, value);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return value;
  };

  return {
    embedQuery: (text) => one("q", text),
    embedQueries: (list) => Promise.all(list.map((t) => one("q", t))),
    embedDocuments: (list) => Promise.all(list.map((t) => one("p", t))),
    stats: () => ({ requests, texts, hits, storeHits, size: cache.size }),
  };
}

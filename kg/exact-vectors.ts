/**
 * Exact vector search within a category subtree, in process: the item embeddings of each category
 * are read from Neo4j once (one round trip for all categories a tick needs) and kept per process;
 * a query scores every visible item of its subtree by cosine, reported as Neo4j's cosine index
 * score (1 + cos) / 2, best first, ties by item id. A category filter lets through a small share of
 * the catalog, where the ANN index must over-fetch and post-filter (slower, and approximate); the
 * KG reader uses this search for subtrees of at most `EXACT_VECTOR_MAX_ITEMS` items and the ANN
 * index otherwise. Entries are dropped when the catalog version moves; a category read while some
 * of its items had no embedding yet (background backfill) is read again after
 * `INCOMPLETE_REREAD_MS`. Concurrent searches that need a category being read wait for that one
 * read (single flight). Reads `Item.embedding`, `IN`; writes nothing.
 */
import { readQuery, type Driver } from "./driver.js";
import type { CatalogSnapshot } from "./catalog-stats.js";
import type { ScoredItemId } from "../contracts/kg.js";

/** Largest subtree (items launched before asOf) searched exactly in process. */
export const EXACT_VECTOR_MAX_ITEMS = 20_000;
/** A category read while some items lacked an embedding is read again after this long. */
export const INCOMPLETE_REREAD_MS = 5_000;
/** Most embeddings kept per process (all entries dropped beyond it). */
export const EXACT_VECTOR_CACHE_MAX_ITEMS = 500_000;
/** `prefetch` reads this many categories per round trip, one after another, so that a search waits only for the read holding its categories. */
export const PREFETCH_CATEGORIES_PER_READ = 8;

interface CategoryVectors {
  ids: string[];
  /** Row-major, `dims` numbers per item, each row scaled to unit length. */
  unit: Float32Array;
  dims: number;
  complete: boolean;
  readAt: number;
}

export interface ExactVectorRequest {
  vector: number[];
  asOf: string;
  categoryId: string;
  limit: number;
}

export interface ExactVectorSearch {
  /** The top `limit` visible items of each request's subtree by cosine. */
  search(snapshot: CatalogSnapshot, requests: ExactVectorRequest[]): Promise<ScoredItemId[][]>;
  /** Reads the embeddings of every category of the snapshot (`PREFETCH_CATEGORIES_PER_READ` categories per round trip). */
  prefetch(snapshot: CatalogSnapshot): Promise<void>;
}

function unitRows(rows: number[][], dims: number): Float32Array {
  const out = new Float32Array(rows.length * dims);
  rows.forEach((row, r) => {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += row[d] * row[d];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) out[r * dims + d] = row[d] * scale;
  });
  return out;
}

/** Scores one query against category entries; exported for unit tests. */
export function scoreExact(
  entries: Pick<CategoryVectors, "ids" | "unit" | "dims">[],
  vector: number[],
  keep: (itemId: string) => boolean,
  limit: number,
): ScoredItemId[] {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const hits: ScoredItemId[] = [];
  for (const e of entries) {
    if (e.dims !== vector.length) continue;
    for (let r = 0; r < e.ids.length; r++) {
      if (!keep(e.ids[r])) continue;
      let dot = 0;
      const base = r * e.dims;
      for (let d = 0; d < e.dims; d++) dot += e.unit[base + d] * vector[d];
      hits.push({ itemId: e.ids[r], score: (1 + dot * scale) / 2 });
    }
  }
  hits.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  return hits.slice(0, limit);
}

export function createExactVectorSearch(driver: Driver): ExactVectorSearch {
  let version = "";
  let cachedItems = 0;
  const cache = new Map<string, CategoryVectors>();
  /** Categories being read now: a caller that needs one of them awaits that read instead of reading it again. */
  const pending = new Map<string, Promise<void>>();

  const read = async (categoryIds: string[]): Promise<void> => {
    const readVersion = version;
    const found = await readQuery(
      driver,
      `UNWIND $categoryIds AS cid
       MATCH (c:Category {id: cid})
       RETURN cid, COLLECT { MATCH (i:Item)-[:IN]->(c) RETURN [i.id, i.embedding] } AS items`,
      { categoryIds },
    );
    if (readVersion !== version) return;
    const now = Date.now();
    for (const row of found) {
      const items = row.items as [string, number[] | null][];
      const withVector = items.filter((x): x is [string, number[]] => Array.isArray(x[1]) && x[1].length > 0);
      const dims = withVector[0]?.[1].length ?? 0;
      const rows = withVector.filter((x) => x[1].length === dims);
      cache.set(String(row.cid), {
        ids: rows.map((x) => x[0]),
        unit: unitRows(rows.map((x) => x[1]), dims),
        dims,
        complete: rows.length === items.length,
        readAt: now,
      });
      cachedItems += rows.length;
    }
    for (const id of categoryIds) if (!cache.has(id)) cache.set(id, { ids: [], unit: new Float32Array(0), dims: 0, complete: true, readAt: now });
  };

  const sync = (snapshot: CatalogSnapshot) => {
    if (snapshot.version !== version || cachedItems > EXACT_VECTOR_CACHE_MAX_ITEMS) {
      cache.clear();
      pending.clear();
      cachedItems = 0;
      version = snapshot.version;
    }
  };
  const readStale = async (categoryIds: string[]) => {
    const now = Date.now();
    const stale = (id: string) => {
      const e = cache.get(id);
      return !e || (!e.complete && now - e.readAt > INCOMPLETE_REREAD_MS);
    };
    const wanted = [...new Set(categoryIds)];
    const inFlight = [...new Set(wanted.flatMap((id) => (pending.has(id) ? [pending.get(id)!] : [])))];
    const missing = wanted.filter((id) => !pending.has(id) && stale(id));
    if (missing.length > 0) {
      const reading = read(missing).finally(() => {
        for (const id of missing) if (pending.get(id) === reading) pending.delete(id);
      });
      for (const id of missing) pending.set(id, reading);
      inFlight.push(reading);
    }
    await Promise.all(inFlight);
  };

  return {
    async prefetch(snapshot) {
      sync(snapshot);
      const ids = snapshot.categoryIds();
      for (let k = 0; k < ids.length; k += PREFETCH_CATEGORIES_PER_READ) await readStale(ids.slice(k, k + PREFETCH_CATEGORIES_PER_READ));
    },
    async search(snapshot, requests) {
      sync(snapshot);
      const subtrees = requests.map((r) => snapshot.subtreeIds(r.categoryId));
      await readStale(subtrees.flat());
      return requests.map((r, n) =>
        scoreExact(
          subtrees[n].map((id) => cache.get(id)!).filter((e) => e !== undefined),
          r.vector,
          (itemId) => snapshot.visible(itemId, r.asOf, r.categoryId),
          r.limit,
        ),
      );
    },
  };
}

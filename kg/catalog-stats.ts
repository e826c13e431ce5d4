/**
 * Catalog statistics held per process, so that per-buyer reads do not scan the catalog in Neo4j:
 * every item's category, launch time and values, posting lists per value (sorted by launch time)
 * and category subtrees. Answers, point in time (only items launched before `asOf`):
 * - `countWithValues`: items in a category subtree carrying every given value (critic);
 * - `valuesCarried`: values carried by the items of a category subtree (CFV potentials);
 * - `cooccurrence`: share of items carrying a query value that also carry one of the buyer's
 *   preferred values (U-Q `cooc` path), from per-value bitsets over the items in launch order (a
 *   value carried by fewer than one item in 32 keeps its posting list only): a few word
 *   operations per 32 items instead of a set lookup per item;
 * - `visible`: whether an item id is launched, and its seller joined, before `asOf` within a
 *   category subtree (item search filters index hits with it instead of expanding them in Cypher).
 * The snapshot is read from Neo4j on first use (one query for items, one for categories) and
 * re-read when the catalog version changes: `writeItems` / `writeCategories` bump
 * `(:CatalogVersion {key: "catalog"}).version` in their transaction (kg/writes.ts); `snapshot()`
 * checks the version and the item count (one small query, shared by the calls made while it is
 * pending) when the last check is older than `VERSION_CHECK_MS` or this process wrote to the
 * catalog since — so a write from another process shows within a second, one from this process at
 * once. Reads `Item`, `Category`, `Seller`, `HAS`, `IN`, `SOLD_BY`, `PARENT`, `CatalogVersion`; writes nothing.
 */
import { readQuery, type Driver } from "./driver.js";
import { catalogWritesSeen } from "./writes.js";

export interface CatalogSnapshot {
  version: string;
  items: number;
  countWithValues(categoryId: string, valueIds: string[], asOf: string, limit: number): number;
  valuesCarried(categoryId: string, asOf: string): string[];
  cooccurrence(queryValueIds: string[], preferredValueIds: string[], asOf: string): number;
  /** The ids of a category and its descendants (empty for an unknown category). */
  subtreeIds(categoryId: string): string[];
  /** Every category id. */
  categoryIds(): string[];
  /** The item is known, launched and sold by a seller who joined before `asOf`, in the category's subtree (any category when null). */
  visible(itemId: string, asOf: string, categoryId: string | null): boolean;
}

export interface CatalogStats {
  /** The current snapshot (re-read when the catalog changed since the last check). */
  snapshot(): Promise<CatalogSnapshot>;
}

interface ItemEntry {
  categoryIdx: number;
  launchedMs: number;
  sellerJoinedMs: number;
  values: Int32Array;
}

/** One item as the snapshot reads it; an item without a seller has `sellerJoinedMs` null (never visible). */
export interface SnapshotItem {
  id: string;
  categoryId: string;
  launchedMs: number;
  sellerJoinedMs: number | null;
  valueIds: string[];
}

/** The index built from raw rows (exported for unit tests). */
export function buildSnapshot(
  version: string,
  categories: { id: string; parentId: string | null }[],
  items: SnapshotItem[],
): CatalogSnapshot {
  const catIdx = new Map(categories.map((c, k) => [c.id, k]));
  const children = categories.map(() => [] as number[]);
  categories.forEach((c, k) => {
    const p = c.parentId === null ? undefined : catIdx.get(c.parentId);
    if (p !== undefined && p !== k) children[p].push(k);
  });
  const valueIdx = new Map<string, number>();
  const valueNames: string[] = [];
  const idxOfValue = (id: string) => {
    let k = valueIdx.get(id);
    if (k === undefined) {
      k = valueNames.length;
      valueIdx.set(id, k);
      valueNames.push(id);
    }
    return k;
  };
  const entries: ItemEntry[] = [];
  const byId = new Map<string, ItemEntry>();
  for (const item of items) {
    const c = catIdx.get(item.categoryId);
    if (c === undefined) continue;
    const entry = { categoryIdx: c, launchedMs: item.launchedMs, sellerJoinedMs: item.sellerJoinedMs ?? Infinity, values: Int32Array.from(item.valueIds.map(idxOfValue)) };
    entries.push(entry);
    byId.set(item.id, entry);
  }
  entries.sort((a, b) => a.launchedMs - b.launchedMs);
  const postings: number[][] = valueNames.map(() => []);
  entries.forEach((e, k) => e.values.forEach((v) => postings[v].push(k)));
  const byCategory: number[][] = categories.map(() => []);
  entries.forEach((e, k) => byCategory[e.categoryIdx].push(k));

  const words = (entries.length + 31) >>> 5;
  /** Bitsets (bit k = entry k) of the values carried by at least one item in 32: cheaper to OR than their posting lists; sparser values keep their list only. */
  const valueBits = postings.map((list) => {
    if (list.length < words) return null;
    const bits = new Uint32Array(words);
    for (const k of list) bits[k >>> 5] |= 1 << (k & 31);
    return bits;
  });
  /** Sets in `into` (words below `endWord`) the bits of the entries before `end` carrying value `v`. */
  const orValue = (into: Uint32Array, v: number, end: number, endWord: number) => {
    const bits = valueBits[v];
    if (bits) {
      for (let w = 0; w < endWord; w++) into[w] |= bits[w];
      return;
    }
    const list = postings[v];
    for (let j = 0; j < list.length && list[j] < end; j++) into[list[j] >>> 5] |= 1 << (list[j] & 31);
  };
  /** Number of entries launched strictly before `ms` (entries are sorted by launch). */
  const entriesBefore = (ms: number): number => {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid].launchedMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const subtreeCache = new Map<number, Uint8Array>();
  const subtree = (c: number): Uint8Array => {
    let mask = subtreeCache.get(c);
    if (!mask) {
      mask = new Uint8Array(categories.length);
      const stack = [c];
      while (stack.length > 0) {
        const k = stack.pop()!;
        if (mask[k]) continue;
        mask[k] = 1;
        stack.push(...children[k]);
      }
      subtreeCache.set(c, mask);
    }
    return mask;
  };
  /** Number of entries (sorted by launch) launched strictly before `ms`. */
  const launchedBefore = (list: number[], ms: number): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[list[mid]].launchedMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const carriedCache = new Map<string, string[]>();
  const parsed = new Map<string, number>();
  const parseMs = (iso: string): number => {
    let ms = parsed.get(iso);
    if (ms === undefined) {
      ms = Date.parse(iso);
      if (parsed.size > 1000) parsed.clear();
      parsed.set(iso, ms);
    }
    return ms;
  };

  return {
    version,
    items: entries.length,
    countWithValues(categoryId, valueIds, asOf, limit) {
      const c = catIdx.get(categoryId);
      if (c === undefined) return 0;
      const ms = Date.parse(asOf);
      const mask = subtree(c);
      const wanted = valueIds.map((id) => valueIdx.get(id));
      if (wanted.some((v) => v === undefined)) return 0;
      const need = wanted as number[];
      if (need.length === 0) {
        let n = 0;
        for (let k = 0; k < categories.length && n < limit; k++) if (mask[k]) n += launchedBefore(byCategory[k], ms);
        return Math.min(n, limit);
      }
      const shortest = need.reduce((a, b) => (postings[a].length <= postings[b].length ? a : b));
      const list = postings[shortest];
      const end = launchedBefore(list, ms);
      let n = 0;
      for (let k = 0; k < end && n < limit; k++) {
        const e = entries[list[k]];
        if (!mask[e.categoryIdx]) continue;
        if (need.every((v) => e.values.includes(v))) n += 1;
      }
      return n;
    },
    valuesCarried(categoryId, asOf) {
      const key = `${categoryId}\u0000${asOf}`;
      const hit = carriedCache.get(key);
      if (hit) return hit;
      const c = catIdx.get(categoryId);
      const seen = new Set<number>();
      if (c !== undefined) {
        const ms = Date.parse(asOf);
        const mask = subtree(c);
        for (let k = 0; k < categories.length; k++) {
          if (!mask[k]) continue;
          const list = byCategory[k];
          const end = launchedBefore(list, ms);
          for (let j = 0; j < end; j++) entries[list[j]].values.forEach((v) => seen.add(v));
        }
      }
      const out = [...seen].map((v) => valueNames[v]).sort();
      if (carriedCache.size > 10_000) carriedCache.clear();
      carriedCache.set(key, out);
      return out;
    },
    categoryIds() {
      return categories.map((c) => c.id);
    },
    subtreeIds(categoryId) {
      const c = catIdx.get(categoryId);
      if (c === undefined) return [];
      const mask = subtree(c);
      return categories.filter((_, k) => mask[k]).map((cat) => cat.id);
    },
    visible(itemId, asOf, categoryId) {
      const e = byId.get(itemId);
      if (!e) return false;
      const ms = parseMs(asOf);
      if (!(e.launchedMs < ms && e.sellerJoinedMs < ms)) return false;
      if (categoryId === null) return true;
      const c = catIdx.get(categoryId);
      return c !== undefined && subtree(c)[e.categoryIdx] === 1;
    },
    cooccurrence(queryValueIds, preferredValueIds, asOf) {
      const end = entriesBefore(Date.parse(asOf));
      const endWord = (end + 31) >>> 5;
      const query = [...new Set(queryValueIds.map((id) => valueIdx.get(id)).filter((v): v is number => v !== undefined))];
      const preferred = [
        ...new Set(preferredValueIds.filter((id) => !queryValueIds.includes(id)).map((id) => valueIdx.get(id)).filter((v): v is number => v !== undefined)),
      ];
      if (query.length === 0 || end === 0) return 0;
      const withQuery = new Uint32Array(endWord);
      for (const v of query) orValue(withQuery, v, end, endWord);
      const withPreferred = new Uint32Array(endWord);
      for (const v of preferred) orValue(withPreferred, v, end, endWord);
      if (end & 31) {
        const last = (1 << (end & 31)) - 1;
        withQuery[endWord - 1] &= last;
      }
      let counted = 0;
      let joint = 0;
      for (let w = 0; w < endWord; w++) {
        const q = withQuery[w];
        if (q === 0) continue;
        counted += popcount(q);
        joint += popcount(q & withPreferred[w]);
      }
      return counted === 0 ? 0 : joint / counted;
    },
  };
}

/** Number of set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

async function readVersion(driver: Driver): Promise<string> {
  const [row] = await readQuery(
    driver,
    `OPTIONAL MATCH (m:CatalogVersion {key: 'catalog'})
     WITH m.version AS version
     MATCH (i:Item) RETURN version, count(i) AS items`,
  );
  return `${String(row?.version ?? 0)}:${String(row?.items ?? 0)}`;
}

async function readSnapshot(driver: Driver, version: string): Promise<CatalogSnapshot> {
  const [categories, items] = await Promise.all([
    readQuery(driver, "MATCH (c:Category) OPTIONAL MATCH (c)-[:PARENT]->(p:Category) RETURN c.id AS id, p.id AS parentId"),
    readQuery(
      driver,
      `MATCH (i:Item)-[:IN]->(c:Category)
       RETURN i.id AS id, c.id AS categoryId, i.launchedAt.epochMillis AS launchedMs,
              COLLECT { MATCH (i)-[:SOLD_BY]->(s:Seller) RETURN s.joinedAt.epochMillis AS ms ORDER BY ms LIMIT 1 }[0] AS sellerJoinedMs,
              COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id } AS valueIds`,
    ),
  ]);
  return buildSnapshot(
    version,
    categories.map((r) => ({ id: String(r.id), parentId: r.parentId === null || r.parentId === undefined ? null : String(r.parentId) })),
    items.map((r) => ({
      id: String(r.id),
      categoryId: String(r.categoryId),
      launchedMs: Number(r.launchedMs),
      sellerJoinedMs: r.sellerJoinedMs === null || r.sellerJoinedMs === undefined ? null : Number(r.sellerJoinedMs),
      valueIds: (r.valueIds as string[]) ?? [],
    })),
  );
}

/** Longest time a snapshot is used without checking the catalog version (default of `versionCheckMs`). */
export const VERSION_CHECK_MS = 1000;

export function createCatalogStats(driver: Driver, opts: { versionCheckMs?: number } = {}): CatalogStats {
  const versionCheckMs = opts.versionCheckMs ?? VERSION_CHECK_MS;
  let current: Promise<CatalogSnapshot> | null = null;
  let checking: Promise<CatalogSnapshot> | null = null;
  let checkedAt = -Infinity;
  let writesAtCheck = -1;

  const refresh = async (): Promise<CatalogSnapshot> => {
    const writes = catalogWritesSeen();
    const version = await readVersion(driver);
    checkedAt = Date.now();
    writesAtCheck = writes;
    const have = current ? await current.catch(() => null) : null;
    if (have && have.version === version) return have;
    const next = readSnapshot(driver, version);
    current = next;
    next.catch(() => {
      if (current === next) current = null;
    });
    return next;
  };

  return {
    snapshot() {
      if (current && !checking && Date.now() - checkedAt < versionCheckMs && catalogWritesSeen() === writesAtCheck) return current;
      checking ??= refresh().finally(() => {
        checking = null;
      });
      return checking;
    },
  };
}

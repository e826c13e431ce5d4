/**
 * `createKgReader(driver)`: the Neo4j implementation of the `KgReader` contract (contracts/kg.ts).
 * All reads use READ routing and map rows through `toNative` and zod. Timed reads hide what is at
 * or after `asOf`: events, items launched, sellers joined, trend documents published. Item
 * search is full-text (cjk, title + short title) or vector (cosine): the index gives ids,
 * over-fetched, filtered in process by `asOf` and category subtree (catalog statistics), widening
 * until `limit` hits survive or the index is exhausted; a vector search within a subtree of at most
 * `EXACT_VECTOR_MAX_ITEMS` items is exact, in process (kg/exact-vectors.ts), instead of the ANN
 * index; item details come from a per-process cache
 * (cleared when the catalog version moves), missing ones read in one round trip per tick. A
 * buyer's events are read without item context, which comes from the same cache plus category
 * names and value infos held per catalog version.
 * Counts of items carrying values and the values a category carries come from the per-process
 * catalog statistics (kg/catalog-stats.ts), not from a catalog scan per call.
 */
import { createCatalogStats, type CatalogStats } from "./catalog-stats.js";
import { createExactVectorSearch, EXACT_VECTOR_MAX_ITEMS } from "./exact-vectors.js";
import { tickBatcher } from "../lib/tick-batcher.js";
import { z } from "zod";
import { EventType, TrendSource } from "../contracts/records.js";
import { int, readQuery, type Driver, type Params } from "./driver.js";
import { createRawHitCache, type RawHitCache, type RawHits } from "./search-cache.js";
import { coEngagementReads } from "./co-engagement.js";
import { ITEM_FULLTEXT_INDEX, ITEM_VECTOR_INDEX, TREND_FULLTEXT_INDEX } from "./schema.js";
import {
  CategoryInfoSchema,
  CategoryPairSchema,
  ItemHitSchema,
  TrendDocHitSchema,
  UserEventSchema,
  ValueInfoSchema,
  type CategoryInfo,
  type CategoryPair,
  type ItemHit,
  type ScoredItemId,
  type KgReader,
  type SearchOptions,
  type TrendDocHit,
  type TrendSearchOptions,
  type UserEvent,
  type ValueInfo,
  type Vocabulary,
} from "../contracts/kg.js";

const SearchOptionsSchema = z.object({
  asOf: z.iso.datetime({ offset: true }),
  categoryId: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(1000),
});
const TrendSearchOptionsSchema = z.object({
  asOf: z.iso.datetime({ offset: true }),
  since: z.iso.datetime({ offset: true }).optional(),
  sources: z.array(TrendSource).optional(),
  limit: z.number().int().min(1).max(1000),
});

/** Escapes Lucene query syntax so that user text is searched as plain terms. */
export function escapeLucene(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, (c) => `\\${c}`).replace(/\b(AND|OR|NOT|TO)\b/g, (w) => w.toLowerCase());
}

async function rows<S extends z.ZodType>(driver: Driver, schema: S, cypher: string, params: Params): Promise<z.infer<S>[]> {
  return (await readQuery(driver, cypher, params)).map((r) => schema.parse(r));
}

const CATEGORY_RETURN = `
  OPTIONAL MATCH (c)-[:PARENT]->(p:Category)
  OPTIONAL MATCH (c)-[:ALLOWS]->(f:Factor)
  WITH c, p, f ORDER BY f.name
  RETURN c.id AS id, c.name AS name, p.id AS parentId, c.level AS level, coalesce(c.noun, c.name) AS noun,
         collect(f.name) AS allows`;

const ITEM_DETAILS = `
  MATCH (i:Item) WHERE i.id IN $ids
  MATCH (i)-[:IN]->(c:Category)
  MATCH (i)-[:SOLD_BY]->(s:Seller)
  RETURN i.id AS itemId, i.title AS title, i.shortTitle AS shortTitle, c.id AS categoryId, i.price AS price,
         i.moq AS moq, i.launchedAt AS launchedAt, s.id AS sellerId, s.joinedAt AS sellerJoinedAt,
         COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds`;

const ItemDetailsSchema = ItemHitSchema.omit({ score: true });
type ItemDetails = z.infer<typeof ItemDetailsSchema>;

/** Most item details kept per process (cleared when the catalog version changes). */
export const ITEM_DETAILS_CACHE_MAX = 200_000;

/** One request of a batched id search: its query (text or vector), point in time, category filter and wanted hits. */
interface IdSearch {
  search: string | number[];
  asOf: string;
  categoryId: string | null;
  limit: number;
}

const FULLTEXT_IDS_BATCH = `
  UNWIND range(0, size($requests) - 1) AS n
  WITH n, $requests[n] AS r
  CALL (r) {
    CALL db.index.fulltext.queryNodes($index, r.search, {limit: r.k}) YIELD node, score
    RETURN collect([node.id, score]) AS hits
  }
  RETURN n, hits`;

const VECTOR_IDS_BATCH = `
  UNWIND range(0, size($requests) - 1) AS n
  WITH n, $requests[n] AS r
  CALL (r) {
    CALL db.index.vector.queryNodes($index, r.k, r.search) YIELD node, score
    RETURN collect([node.id, score]) AS hits
  }
  RETURN n, hits`;

/** Groups requests by a key, runs one batch per group, and returns the answers in request order. */
async function byGroup<T, O>(requests: T[], key: (r: T) => string, run: (group: T[]) => Promise<O[]>): Promise<O[]> {
  const groups = new Map<string, number[]>();
  requests.forEach((r, n) => groups.set(key(r), [...(groups.get(key(r)) ?? []), n]));
  const out: O[] = new Array(requests.length);
  await Promise.all(
    [...groups.values()].map(async (idx) => {
      const answers = await run(idx.map((n) => requests[n]));
      idx.forEach((n, j) => (out[n] = answers[j]));
    }),
  );
  return out;
}

const TREND_FILTER = `
  d.publishedAt < datetime($asOf)
  AND ($since IS NULL OR d.publishedAt >= datetime($since))
  AND ($sources IS NULL OR d.source IN $sources)`;

const TREND_RETURN = `
  RETURN d.id AS id, d.source AS source, d.title AS title, d.text AS text, d.publishedAt AS publishedAt,
         COLLECT { MATCH (d)-[:MENTIONS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds,
         COLLECT { MATCH (d)-[:MENTIONS]->(k:Category) RETURN k.id ORDER BY k.id } AS categoryIds,
         score`;

const TREND_FULLTEXT_BATCH = `
  UNWIND range(0, size($requests) - 1) AS n
  WITH n, $requests[n] AS r
  CALL (r) {
    CALL db.index.fulltext.queryNodes($index, r.query) YIELD node AS d, score
    WHERE d.publishedAt < datetime(r.asOf)
      AND (r.since IS NULL OR d.publishedAt >= datetime(r.since))
      AND (r.sources IS NULL OR d.source IN r.sources)
    WITH d, score LIMIT $limit
    RETURN collect({id: d.id, source: d.source, title: d.title, text: d.text, publishedAt: d.publishedAt,
           valueIds: COLLECT { MATCH (d)-[:MENTIONS]->(v:Value) RETURN v.id ORDER BY v.id },
           categoryIds: COLLECT { MATCH (d)-[:MENTIONS]->(k:Category) RETURN k.id ORDER BY k.id },
           score: score}) AS hits
  }
  RETURN n, hits`;

function byScore<T extends { score: number }>(hits: T[]): T[] {
  return [...hits].sort((a, b) => b.score - a.score);
}

export interface KgReaderOptions {
  /** Catalog statistics shared with other readers of the same driver (default: the reader's own). */
  catalog?: CatalogStats;
}

const EventRowSchema = UserEventSchema.pick({ id: true, type: true, itemId: true, searchTerm: true, dwellS: true, quantity: true, amount: true }).extend({ atMs: z.number().int() });
const AsOfSchema = z.object({ asOf: z.iso.datetime({ offset: true }) });
const HistoryWindowSchema = AsOfSchema.extend({ since: z.iso.datetime({ offset: true }).optional() });
const AsOfLimitSchema = AsOfSchema.extend({ limit: z.number().int().positive() });
const IdListSchema = z.array(z.string().min(1));
const VectorSchema = z.array(z.number()).min(1);

const EventItemRowSchema = z.object({
  title: z.string().nullable(),
  shortTitle: z.string().nullable(),
  categoryId: z.string().nullable(),
  valueIds: z.array(z.string()),
});

interface EventItem {
  title: string | null;
  shortTitle: string | null;
  categoryId: string | null;
  categoryName: string | null;
  values: ValueInfo[];
}

interface CatalogNames {
  categories: Map<string, string | null>;
  values: Map<string, ValueInfo>;
}

async function readCatalogNames(driver: Driver): Promise<CatalogNames> {
  const [categories, values] = await Promise.all([
    readQuery(driver, "MATCH (c:Category) RETURN c.id AS id, c.name AS name"),
    rows(driver, ValueInfoSchema, "MATCH (v:Value) RETURN v.id AS id, v.factor AS factor, v.name AS name", {}),
  ]);
  return {
    categories: new Map(categories.map((r) => [String(r.id), r.name === null || r.name === undefined ? null : String(r.name)])),
    values: new Map(values.map((v) => [v.id, v])),
  };
}

export function createKgReader(driver: Driver, options: KgReaderOptions = {}): KgReader {
  const catalog = options.catalog ?? createCatalogStats(driver);

  let detailsVersion = "";
  const details = new Map<string, ItemDetails>();
  const detailsBatch = tickBatcher(async (requests: string[][]) => {
    const ids = [...new Set(requests.flat())];
    const found = await rows(driver, ItemDetailsSchema, ITEM_DETAILS, { ids });
    const byId = new Map(found.map((h) => [h.itemId, h]));
    return requests.map((r) => r.map((id) => byId.get(id) ?? null));
  });
  /** Item details being read now, by id: a caller that needs one of them awaits that read instead of reading it again. */
  const detailsPending = new Map<string, Promise<ItemDetails | null>>();
  /**
   * Item details by id from the per-process cache, missing ones read in one round trip per tick
   * (ids another caller is reading already are awaited, not read again); unknown ids are absent.
   */
  const itemDetails = async (ids: string[]): Promise<Map<string, ItemDetails>> => {
    const { version } = await catalog.snapshot();
    if (version !== detailsVersion) {
      details.clear();
      detailsPending.clear();
      detailsVersion = version;
    }
    const missing = [...new Set(ids.filter((id) => !details.has(id)))];
    const out = new Map<string, ItemDetails>();
    if (missing.length > 0) {
      const toRead = missing.filter((id) => !detailsPending.has(id));
      if (toRead.length > 0) {
        const reading = detailsBatch(toRead);
        const ones = toRead.map((_, k) => reading.then((found) => found[k]));
        toRead.forEach((id, k) => {
          ones[k].catch(() => undefined);
          detailsPending.set(id, ones[k]);
        });
        void reading.then(
          (found) => {
            if (detailsVersion === version) {
              if (details.size + found.length > ITEM_DETAILS_CACHE_MAX) details.clear();
              for (const h of found) if (h) details.set(h.itemId, h);
            }
          },
          () => undefined,
        ).finally(() => {
          toRead.forEach((id, k) => {
            if (detailsPending.get(id) === ones[k]) detailsPending.delete(id);
          });
        });
      }
      const found = await Promise.all(missing.map((id) => detailsPending.get(id) ?? Promise.resolve(details.get(id) ?? null)));
      for (const h of found) if (h) out.set(h.itemId, h);
    }
    for (const id of ids) {
      const h = details.get(id);
      if (h) out.set(id, h);
    }
    return out;
  };

  /**
   * Index searches of one tick in one round trip per widening step: the index is asked for
   * k = max(10 × limit, 100) ids, which are filtered by `asOf` and category subtree with the
   * catalog statistics (launch, seller joined, category), ordered by score then id; requests left with fewer than
   * min(limit, items the category holds before asOf) hits are asked again with k × 4 while the
   * index had more to give; a category with no item before asOf is not searched. Full-text
   * answers are kept per catalog version and shared across runs (`./search-cache.ts`); vector
   * answers are not (the item embeddings backfill does not move the catalog version).
   */
  const idSearch = (cypher: string, index: string, rawCache: RawHitCache | null) =>
    tickBatcher(async (requests: IdSearch[]): Promise<ScoredItemId[][]> => {
      const snapshot = await catalog.snapshot();
      const total = Math.max(snapshot.items, 1);
      const out: ScoredItemId[][] = requests.map(() => []);
      let pending = requests
        .map((r, n) => ({ n, r, available: r.categoryId === null ? snapshot.items : snapshot.countWithValues(r.categoryId, [], r.asOf, r.limit), k: Math.min(Math.max(r.limit * 10, 100), total) }))
        .filter((p) => p.available > 0);
      const cacheKey = (p: (typeof pending)[number]) => (typeof p.r.search === "string" ? p.r.search : null);
      while (pending.length > 0) {
        const cached: (RawHits | undefined)[] = pending.map((p) => {
          const key = cacheKey(p);
          return rawCache && key !== null ? rawCache.get(snapshot.version, key, p.k) : undefined;
        });
        const raw: RawHits[] = cached.map((c) => c ?? []);
        const ask = pending.flatMap((_, j) => (cached[j] === undefined ? [j] : []));
        if (ask.length > 0) {
          const found = await readQuery(driver, cypher, { index, requests: ask.map((j) => ({ search: pending[j].r.search, k: int(pending[j].k) })) });
          for (const row of found) {
            const j = ask[Number(row.n)];
            raw[j] = (row.hits as [string, number][]).map(([id, score]): [string, number] => [id, Number(score)]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            const key = cacheKey(pending[j]);
            if (rawCache && key !== null) rawCache.set(snapshot.version, key, pending[j].k, raw[j]);
          }
        }
        const next: typeof pending = [];
        pending.forEach((p, j) => {
          const hits = raw[j].filter(([id]) => snapshot.visible(id, p.r.asOf, p.r.categoryId)).slice(0, p.r.limit).map(([itemId, score]) => ({ itemId, score }));
          out[p.n] = hits;
          if (hits.length < Math.min(p.r.limit, p.available) && raw[j].length >= p.k && p.k < total) next.push({ ...p, k: Math.min(p.k * 4, total) });
        });
        pending = next;
      }
      return out;
    });
  const fullTextIds = idSearch(FULLTEXT_IDS_BATCH, ITEM_FULLTEXT_INDEX, createRawHitCache());
  const annVectorIds = idSearch(VECTOR_IDS_BATCH, ITEM_VECTOR_INDEX, null);
  const exactVectors = createExactVectorSearch(driver);
  const exactVectorIds = tickBatcher(async (requests: (IdSearch & { search: number[]; categoryId: string })[]) =>
    exactVectors.search(
      await catalog.snapshot(),
      requests.map((r) => ({ vector: r.search, asOf: r.asOf, categoryId: r.categoryId, limit: r.limit })),
    ),
  );
  /** Exact in-process search for a subtree of at most `EXACT_VECTOR_MAX_ITEMS` items (kg/exact-vectors.ts), the ANN index otherwise. */
  const vectorIds = async (r: IdSearch & { search: number[] }): Promise<ScoredItemId[]> => {
    const categoryId = r.categoryId;
    if (categoryId === null) return annVectorIds(r);
    const inSubtree = (await catalog.snapshot()).countWithValues(categoryId, [], r.asOf, EXACT_VECTOR_MAX_ITEMS + 1);
    return inSubtree <= EXACT_VECTOR_MAX_ITEMS ? exactVectorIds({ ...r, categoryId }) : annVectorIds(r);
  };

  let namesVersion = "";
  let names: Promise<CatalogNames> | null = null;
  /** Category names and value infos, read once per catalog version (again when asked for an id they lack). */
  const catalogNames = async (refresh = false): Promise<CatalogNames> => {
    const { version } = await catalog.snapshot();
    if (!names || refresh || version !== namesVersion) {
      namesVersion = version;
      names = readCatalogNames(driver);
      names.catch(() => (names = null));
    }
    return names;
  };
  /** The context of items behaved on (title, short title, category and its name, values), from the item details cache. */
  const eventItems = async (ids: string[]): Promise<Map<string, EventItem>> => {
    const found = await itemDetails(ids);
    const raw = new Map<string, { title: string | null; shortTitle: string | null; categoryId: string | null; valueIds: string[] }>(found);
    const lacking = ids.filter((id) => !found.has(id));
    if (lacking.length > 0) {
      const rows = await readQuery(
        driver,
        `MATCH (i:Item) WHERE i.id IN $ids
         OPTIONAL MATCH (i)-[:IN]->(c:Category)
         RETURN i.id AS itemId, i.title AS title, i.shortTitle AS shortTitle, c.id AS categoryId,
                COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds`,
        { ids: lacking },
      );
      for (const r of rows) raw.set(String(r.itemId), EventItemRowSchema.parse(r));
    }
    let n = await catalogNames();
    const known = (x: { categoryId: string | null; valueIds: string[] }) => (x.categoryId === null || n.categories.has(x.categoryId)) && x.valueIds.every((v) => n.values.has(v));
    if (![...raw.values()].every(known)) n = await catalogNames(true);
    const out = new Map<string, EventItem>();
    for (const [id, x] of raw) {
      out.set(id, {
        title: x.title,
        shortTitle: x.shortTitle,
        categoryId: x.categoryId,
        categoryName: x.categoryId === null ? null : (n.categories.get(x.categoryId) ?? null),
        values: x.valueIds.flatMap((v) => {
          const info = n.values.get(v);
          return info ? [info] : [];
        }),
      });
    }
    return out;
  };

  const textIds = async (text: string, opts: SearchOptions): Promise<ScoredItemId[]> => {
    const o = SearchOptionsSchema.parse(opts);
    const query = escapeLucene(text.trim());
    if (query === "") return [];
    return fullTextIds({ search: query, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: o.limit });
  };
  const embeddingIds = async (embedding: number[], opts: SearchOptions): Promise<ScoredItemId[]> => {
    const o = SearchOptionsSchema.parse(opts);
    const vector = VectorSchema.parse(embedding);
    return vectorIds({ search: vector, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: o.limit });
  };

  /** These ids' items visible at `asOf` (launched, seller joined), in the order given, each once. */
  const visibleItems = async (ids: string[], asOf: string): Promise<ItemDetails[]> => {
    const found = await itemDetails(ids);
    const ms = Date.parse(asOf);
    return [...new Set(ids)].map((id) => found.get(id)).filter((h): h is ItemDetails => h !== undefined && Date.parse(h.launchedAt) < ms && Date.parse(h.sellerJoinedAt) < ms);
  };
  const withDetails = async (hits: ScoredItemId[], asOf: string): Promise<ItemHit[]> => {
    const score = new Map(hits.map((h) => [h.itemId, h.score]));
    return (await visibleItems(hits.map((h) => h.itemId), asOf)).map((h) => ({ ...h, score: score.get(h.itemId)! }));
  };

  /** Trend-document full-text searches of one tick in one round trip per distinct limit. */
  const trendTextBatch = tickBatcher((requests: (ReturnType<typeof trendParams> & { query: string })[]) =>
    byGroup(requests, (r) => String(r.limit), async (group) => {
      const found = await readQuery(driver, TREND_FULLTEXT_BATCH, {
        index: TREND_FULLTEXT_INDEX,
        limit: group[0].limit,
        requests: group.map(({ limit: _limit, ...r }) => r),
      });
      const hits: TrendDocHit[][] = group.map(() => []);
      for (const row of found) hits[Number(row.n)] = byScore((row.hits as unknown[]).map((h) => TrendDocHitSchema.parse(h)));
      return hits;
    }),
  );

  const trendParams = (opts: TrendSearchOptions) => {
    const o = TrendSearchOptionsSchema.parse(opts);
    return { asOf: o.asOf, since: o.since ?? null, sources: o.sources ?? null, limit: int(o.limit) };
  };

  return {
    ...coEngagementReads(driver),
    async vocabulary(): Promise<Vocabulary> {
      const categories: CategoryInfo[] = await rows(
        driver,
        CategoryInfoSchema,
        `MATCH (c:Category) ${CATEGORY_RETURN} ORDER BY level, id`,
        {},
      );
      const factors = (await readQuery(driver, "MATCH (f:Factor) RETURN f.name AS name ORDER BY name")).map(
        (r) => r.name as string,
      );
      const values: ValueInfo[] = await rows(
        driver,
        ValueInfoSchema,
        "MATCH (v:Value) RETURN v.id AS id, v.factor AS factor, v.name AS name ORDER BY factor, id",
        {},
      );
      return { categories, factors, values };
    },

    async categoryByName(name) {
      const found = await rows(
        driver,
        CategoryInfoSchema,
        `MATCH (c:Category) WHERE c.name = $name OR c.noun = $name
         WITH c ORDER BY c.name = $name DESC, c.level DESC, c.id LIMIT 1 ${CATEGORY_RETURN}`,
        { name },
      );
      return found[0] ?? null;
    },

    async valueByFactorAndName(factor, name) {
      const found = await rows(
        driver,
        ValueInfoSchema,
        `MATCH (v:Value {factor: $factor})
         WHERE v.name = $name OR $name IN coalesce(v.aliases, [])
         RETURN v.id AS id, v.factor AS factor, v.name AS name ORDER BY v.name = $name DESC, id LIMIT 1`,
        { factor, name },
      );
      return found[0] ?? null;
    },

    async allowedFactors(categoryId) {
      const found = await readQuery(
        driver,
        `MATCH (d:Category)-[:PARENT*0..]->(:Category {id: $categoryId})
         MATCH (d)-[:ALLOWS]->(f:Factor)
         RETURN DISTINCT f.name AS name ORDER BY name`,
        { categoryId },
      );
      return found.map((r) => r.name as string);
    },

    async userEvents(userId, opts): Promise<UserEvent[]> {
      const o = HistoryWindowSchema.parse(opts);
      const events = (
        await readQuery(
          driver,
          `MATCH (u:User {id: $userId})
           CALL (u) {
             MATCH (u)-[b:BEHAVED]->(i:Item)
             WHERE b.at < datetime($asOf) AND ($since IS NULL OR b.at >= datetime($since))
             RETURN b.id AS id, b.type AS type, b.at.epochMillis AS atMs, i.id AS itemId, null AS searchTerm,
                    b.dwellS AS dwellS, b.quantity AS quantity, b.amount AS amount
             UNION ALL
             MATCH (u)-[s:SEARCHED]->(t:SearchTerm)
             WHERE s.at < datetime($asOf) AND ($since IS NULL OR s.at >= datetime($since))
             RETURN s.id AS id, 'search' AS type, s.at.epochMillis AS atMs, null AS itemId, t.text AS searchTerm,
                    null AS dwellS, null AS quantity, null AS amount
           }
           RETURN id, type, atMs, itemId, searchTerm, dwellS, quantity, amount
           ORDER BY atMs, id`,
          { userId, asOf: o.asOf, since: o.since ?? null },
        )
      ).map((r) => EventRowSchema.parse(r));
      const context = await eventItems([...new Set(events.flatMap((e) => (e.itemId ? [e.itemId] : [])))]);
      return events.map((e) => {
        const item = e.itemId ? context.get(e.itemId) : undefined;
        return {
          id: e.id,
          type: e.type,
          at: new Date(e.atMs).toISOString(),
          itemId: e.itemId,
          title: item?.title ?? null,
          shortTitle: item?.shortTitle ?? null,
          categoryId: item?.categoryId ?? null,
          categoryName: item?.categoryName ?? null,
          values: item?.values ?? [],
          searchTerm: e.searchTerm,
          dwellS: e.dwellS,
          quantity: e.quantity,
          amount: e.amount,
        };
      });
    },

    async userExists(userId) {
      const found = await readQuery(driver, "MATCH (u:User {id: $userId}) RETURN count(u) AS n", { userId });
      return Number(found[0]?.n ?? 0) > 0;
    },

    searchItemIdsFullText: textIds,

    async searchItemsFullText(text, opts): Promise<ItemHit[]> {
      return withDetails(await textIds(text, opts), opts.asOf);
    },

    async valuesCarried(categoryId, opts): Promise<string[]> {
      const o = AsOfSchema.parse(opts);
      return (await catalog.snapshot()).valuesCarried(categoryId, o.asOf);
    },

    async itemsByIds(itemIds, opts): Promise<ItemHit[]> {
      const o = AsOfSchema.parse(opts);
      const ids = IdListSchema.parse(itemIds);
      if (ids.length === 0) return [];
      return (await visibleItems(ids, o.asOf)).map((h) => ({ ...h, score: 0 }));
    },

    async countItemsWithValues(categoryId, valueIds, opts): Promise<number> {
      const o = AsOfLimitSchema.parse(opts);
      const ids = IdListSchema.parse(valueIds);
      return (await catalog.snapshot()).countWithValues(categoryId, ids, o.asOf, o.limit);
    },

    searchItemIdsVector: embeddingIds,

    async searchItemsVector(embedding, opts): Promise<ItemHit[]> {
      return withDetails(await embeddingIds(embedding, opts), opts.asOf);
    },

    async searchTrendDocs(text, opts): Promise<TrendDocHit[]> {
      const params = trendParams(opts);
      const query = escapeLucene(text.trim());
      if (query === "") return [];
      return trendTextBatch({ ...params, query });
    },

    async trendDocsByMentions(mentions, opts): Promise<TrendDocHit[]> {
      const params = trendParams(opts);
      const valueIds = mentions.valueIds ?? [];
      const categoryIds = mentions.categoryIds ?? [];
      if (valueIds.length === 0 && categoryIds.length === 0) return [];
      return rows(
        driver,
        TrendDocHitSchema,
        `CALL () {
           MATCH (m:Value) WHERE m.id IN $valueIds
           MATCH (d:TrendDoc)-[r:MENTIONS]->(m)
           RETURN d, r
           UNION ALL
           MATCH (m:Category) WHERE m.id IN $categoryIds
           MATCH (d:TrendDoc)-[r:MENTIONS]->(m)
           RETURN d, r
         }
         WITH d, r WHERE ${TREND_FILTER}
         WITH d, sum(r.weight) AS score
         ORDER BY score DESC, d.publishedAt DESC, d.id LIMIT $limit
         ${TREND_RETURN}`,
        { ...params, valueIds, categoryIds },
      );
    },

    async warm(): Promise<void> {
      const snapshot = await catalog.snapshot();
      await Promise.all([catalogNames(), exactVectors.prefetch(snapshot)]);
    },

    async pairsWith(categoryIds): Promise<CategoryPair[]> {
      if (categoryIds.length === 0) return [];
      return rows(
        driver,
        CategoryPairSchema,
        `MATCH (a:Category)-[p:PAIRS_WITH]->(b:Category) WHERE a.id IN $categoryIds
         RETURN a.id AS from, b.id AS to, p.lift AS lift ORDER BY lift DESC, from, to`,
        { categoryIds },
      );
    },
  };
}

/**
 * `createKgReader(driver)`: the Neo4j implementation of the `KgReader` contract (contracts/kg.ts).
 * All reads use READ routing and map rows through `toNative` and zod. Timed reads hide what is at
 * or after `asOf`: events, items launched, sellers joined, trend documents published. Item
 * search is full-text (cjk, title + short title) or vector (cosine ANN over-fetched, then filtered
 * by `asOf` and category subtree, widening until `limit` hits survive or the index is exhausted).
 * Counts of items carrying values and the values a category carries come from the per-process
 * catalog statistics (kg/catalog-stats.ts), not from a catalog scan per call.
 */
import { createCatalogStats, type CatalogStats } from "./catalog-stats.js";
import { tickBatcher } from "../lib/tick-batcher.js";
import { z } from "zod";
import { EventType, TrendSource } from "../contracts/records.js";
import { int, readQuery, type Driver, type Params } from "./driver.js";
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

const ITEM_RETURN = `
  MATCH (i)-[:IN]->(c:Category)
  WHERE $categoryId IS NULL OR EXISTS { (c)-[:PARENT*0..]->(:Category {id: $categoryId}) }
  MATCH (i)-[:SOLD_BY]->(s:Seller)
  WHERE s.joinedAt < datetime($asOf)
  WITH i, c, s, score LIMIT $limit
  RETURN i.id AS itemId, i.title AS title, i.shortTitle AS shortTitle, c.id AS categoryId, i.price AS price,
         i.moq AS moq, i.launchedAt AS launchedAt, s.id AS sellerId, s.joinedAt AS sellerJoinedAt,
         COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds, score`;

/** One request of a batched item search; `limit` is shared by the batch (Cypher LIMIT takes no row variable). */
interface BatchedSearch {
  search: string | number[];
  asOf: string;
  categoryId: string | null;
  limit: number;
  k?: number;
  /** The category's subtree ids (null: no category filter). */
  subtree?: string[] | null;
  /** Items the filter can let through at most (catalog statistics); a vector search stops widening there. */
  available?: number;
}

const ITEM_HITS = `
  WHERE i.launchedAt < datetime(r.asOf)
  MATCH (i)-[:IN]->(c:Category)
  WHERE r.subtree IS NULL OR c.id IN r.subtree
  MATCH (i)-[:SOLD_BY]->(s:Seller)
  WHERE s.joinedAt < datetime(r.asOf)
  WITH i, c, s, score LIMIT $limit
  RETURN collect({itemId: i.id, title: i.title, shortTitle: i.shortTitle, categoryId: c.id, price: i.price,
         moq: i.moq, launchedAt: i.launchedAt, sellerId: s.id, sellerJoinedAt: s.joinedAt,
         valueIds: COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id ORDER BY v.id }, score: score}) AS hits`;

const FULLTEXT_BATCH = `
  UNWIND range(0, size($requests) - 1) AS n
  WITH n, $requests[n] AS r
  CALL (r) {
    CALL db.index.fulltext.queryNodes($index, r.query) YIELD node AS i, score
    ${ITEM_HITS}
  }
  RETURN n, hits`;

const VECTOR_BATCH = `
  UNWIND range(0, size($requests) - 1) AS n
  WITH n, $requests[n] AS r
  CALL (r) {
    CALL db.index.vector.queryNodes($index, r.k, r.vector) YIELD node AS i, score
    ${ITEM_HITS}
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

export function createKgReader(driver: Driver, options: KgReaderOptions = {}): KgReader {
  const catalog = options.catalog ?? createCatalogStats(driver);

  const runBatch = async (cypher: string, index: string, group: BatchedSearch[], request: (r: BatchedSearch) => Params): Promise<ItemHit[][]> => {
    const found = await readQuery(driver, cypher, { index, limit: int(group[0].limit), requests: group.map(request) });
    const hits: ItemHit[][] = group.map(() => []);
    for (const row of found) hits[Number(row.n)] = byScore((row.hits as unknown[]).map((h) => ItemHitSchema.parse(h)));
    return hits;
  };

  /** Item lookups of one tick in one round trip per distinct `asOf`; each caller gets its own ids, in the order found. */
  const itemsByIdsBatch = tickBatcher((requests: { ids: string[]; asOf: string }[]) =>
    byGroup(requests, (r) => r.asOf, async (group) => {
      const ids = [...new Set(group.flatMap((r) => r.ids))];
      const found = await rows(
        driver,
        ItemHitSchema,
        `MATCH (i:Item) WHERE i.id IN $ids AND i.launchedAt < datetime($asOf)
         WITH i, 0.0 AS score
         ${ITEM_RETURN}`,
        { ids, asOf: group[0].asOf, categoryId: null, limit: int(ids.length) },
      );
      const byId = new Map(found.map((h) => [h.itemId, h]));
      return group.map((r) => [...new Set(r.ids)].filter((id) => byId.has(id)).map((id) => byId.get(id)!));
    }),
  );

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

  /** Full-text searches of one tick in one round trip per distinct limit. */
  const fullTextBatch = tickBatcher(async (requests: BatchedSearch[]) => {
    const snapshot = requests.some((r) => r.categoryId !== null) ? await catalog.snapshot() : null;
    for (const r of requests) r.subtree = r.categoryId === null ? null : snapshot!.subtreeIds(r.categoryId);
    return byGroup(requests, (r) => String(r.limit), (group) =>
      runBatch(FULLTEXT_BATCH, ITEM_FULLTEXT_INDEX, group, (r) => ({ query: r.search, asOf: r.asOf, subtree: r.subtree ?? null })),
    );
  });

  /**
   * Vector searches of one tick in one round trip per distinct limit: the ANN index is asked for
   * k = max(10 × limit, 100) neighbours, filtered by asOf and category subtree (ids from the catalog
   * statistics); requests left with fewer than min(limit, items the category holds before asOf)
   * hits are asked again with k × 4 until they have enough or k covers the catalog; a category
   * with no item before asOf is not searched.
   */
  const vectorBatch = tickBatcher(async (requests: BatchedSearch[]) => {
    const snapshot = await catalog.snapshot();
    const total = snapshot.items;
    const out: ItemHit[][] = requests.map(() => []);
    let pending = requests
      .map((r, n) => ({ n, r: { ...r, subtree: r.categoryId === null ? null : snapshot.subtreeIds(r.categoryId), available: r.categoryId === null ? total : snapshot.countWithValues(r.categoryId, [], r.asOf, r.limit), k: Math.min(Math.max(r.limit * 10, 100), Math.max(total, 1)) } }))
      .filter((p) => p.r.available > 0);
    while (pending.length > 0) {
      const answers = await byGroup(pending, (p) => String(p.r.limit), (group) =>
        runBatch(VECTOR_BATCH, ITEM_VECTOR_INDEX, group.map((p) => p.r), (r) => ({ vector: r.search, k: int(r.k!), asOf: r.asOf, subtree: r.subtree ?? null })),
      );
      const next: typeof pending = [];
      pending.forEach((p, j) => {
        out[p.n] = answers[j];
        if (answers[j].length < Math.min(p.r.limit, p.r.available) && p.r.k! < total) next.push({ n: p.n, r: { ...p.r, k: Math.min(p.r.k! * 4, total) } });
      });
      pending = next;
    }
    return out;
  });
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
      const o = z.object({ asOf: z.iso.datetime({ offset: true }), since: z.iso.datetime({ offset: true }).optional() }).parse(opts);
      const events = await rows(
        driver,
        UserEventSchema,
        `MATCH (u:User {id: $userId})
         CALL (u) {
           MATCH (u)-[b:BEHAVED]->(i:Item)
           WHERE b.at < datetime($asOf) AND ($since IS NULL OR b.at >= datetime($since))
           OPTIONAL MATCH (i)-[:IN]->(c:Category)
           RETURN b.id AS id, b.type AS type, b.at AS at, i.id AS itemId, i.title AS title, i.shortTitle AS shortTitle,
                  c.id AS categoryId, c.name AS categoryName,
                  COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v {.id, .factor, .name} ORDER BY v.id } AS values,
                  null AS searchTerm, b.dwellS AS dwellS, b.quantity AS quantity, b.amount AS amount
           UNION ALL
           MATCH (u)-[s:SEARCHED]->(t:SearchTerm)
           WHERE s.at < datetime($asOf) AND ($since IS NULL OR s.at >= datetime($since))
           RETURN s.id AS id, 'search' AS type, s.at AS at, null AS itemId, null AS title, null AS shortTitle,
                  null AS categoryId, null AS categoryName, [] AS values,
                  t.text AS searchTerm, null AS dwellS, null AS quantity, null AS amount
         }
         RETURN id, type, at, itemId, title, shortTitle, categoryId, categoryName, values, searchTerm, dwellS, quantity, amount
         ORDER BY at, id`,
        { userId, asOf: o.asOf, since: o.since ?? null },
      );
      return events;
    },

    async userExists(userId) {
      const found = await readQuery(driver, "MATCH (u:User {id: $userId}) RETURN count(u) AS n", { userId });
      return Number(found[0]?.n ?? 0) > 0;
    },

    async searchItemsFullText(text, opts): Promise<ItemHit[]> {
      const o = SearchOptionsSchema.parse(opts);
      const query = escapeLucene(text.trim());
      if (query === "") return [];
      return fullTextBatch({ search: query, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: o.limit });
    },

    async valuesCarried(categoryId, opts): Promise<string[]> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }) }).parse(opts);
      return (await catalog.snapshot()).valuesCarried(categoryId, o.asOf);
    },

    async itemsByIds(itemIds, opts): Promise<ItemHit[]> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }) }).parse(opts);
      const ids = z.array(z.string().min(1)).parse(itemIds);
      if (ids.length === 0) return [];
      return itemsByIdsBatch({ ids, asOf: o.asOf });
    },

    async countItemsWithValues(categoryId, valueIds, opts): Promise<number> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }), limit: z.number().int().positive() }).parse(opts);
      const ids = z.array(z.string().min(1)).parse(valueIds);
      return (await catalog.snapshot()).countWithValues(categoryId, ids, o.asOf, o.limit);
    },

    async searchItemsVector(embedding, opts): Promise<ItemHit[]> {
      const o = SearchOptionsSchema.parse(opts);
      const vector = z.array(z.number()).min(1).parse(embedding);
      return vectorBatch({ search: vector, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: o.limit });
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

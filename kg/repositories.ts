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
import { z } from "zod";
import { EventType, TrendSource } from "../contracts/records.js";
import { int, readQuery, type Driver, type Params } from "./driver.js";
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

const TREND_FILTER = `
  d.publishedAt < datetime($asOf)
  AND ($since IS NULL OR d.publishedAt >= datetime($since))
  AND ($sources IS NULL OR d.source IN $sources)`;

const TREND_RETURN = `
  RETURN d.id AS id, d.source AS source, d.title AS title, d.text AS text, d.publishedAt AS publishedAt,
         COLLECT { MATCH (d)-[:MENTIONS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds,
         COLLECT { MATCH (d)-[:MENTIONS]->(k:Category) RETURN k.id ORDER BY k.id } AS categoryIds,
         score`;

function byScore<T extends { score: number }>(hits: T[]): T[] {
  return [...hits].sort((a, b) => b.score - a.score);
}

export interface KgReaderOptions {
  /** Catalog statistics shared with other readers of the same driver (default: the reader's own). */
  catalog?: CatalogStats;
}

export function createKgReader(driver: Driver, options: KgReaderOptions = {}): KgReader {
  const catalog = options.catalog ?? createCatalogStats(driver);
  const trendParams = (opts: TrendSearchOptions) => {
    const o = TrendSearchOptionsSchema.parse(opts);
    return { asOf: o.asOf, since: o.since ?? null, sources: o.sources ?? null, limit: int(o.limit) };
  };

  return {
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
      const hits = await rows(
        driver,
        ItemHitSchema,
        `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS i, score
         WHERE i.launchedAt < datetime($asOf)
         ${ITEM_RETURN}`,
        { index: ITEM_FULLTEXT_INDEX, query, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: int(o.limit) },
      );
      return byScore(hits);
    },

    async valuesCarried(categoryId, opts): Promise<string[]> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }) }).parse(opts);
      return (await catalog.snapshot()).valuesCarried(categoryId, o.asOf);
    },

    async itemsByIds(itemIds, opts): Promise<ItemHit[]> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }) }).parse(opts);
      const ids = z.array(z.string().min(1)).parse(itemIds);
      if (ids.length === 0) return [];
      return rows(
        driver,
        ItemHitSchema,
        `MATCH (i:Item) WHERE i.id IN $ids AND i.launchedAt < datetime($asOf)
         WITH i, 0.0 AS score
         ${ITEM_RETURN}`,
        { ids, asOf: o.asOf, categoryId: null, limit: int(ids.length) },
      );
    },

    async countItemsWithValues(categoryId, valueIds, opts): Promise<number> {
      const o = z.object({ asOf: z.iso.datetime({ offset: true }), limit: z.number().int().positive() }).parse(opts);
      const ids = z.array(z.string().min(1)).parse(valueIds);
      return (await catalog.snapshot()).countWithValues(categoryId, ids, o.asOf, o.limit);
    },

    async searchItemsVector(embedding, opts): Promise<ItemHit[]> {
      const o = SearchOptionsSchema.parse(opts);
      const vector = z.array(z.number()).min(1).parse(embedding);
      const [{ n }] = await readQuery(driver, "MATCH (i:Item) RETURN count(i) AS n");
      const total = Number(n);
      let k = Math.min(Math.max(o.limit * 10, 100), total);
      for (;;) {
        const hits = await rows(
          driver,
          ItemHitSchema,
          `CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node AS i, score
           WHERE i.launchedAt < datetime($asOf)
           ${ITEM_RETURN}`,
          { index: ITEM_VECTOR_INDEX, k: int(k), vector, asOf: o.asOf, categoryId: o.categoryId ?? null, limit: int(o.limit) },
        );
        if (hits.length >= o.limit || k >= total) return byScore(hits);
        k = Math.min(k * 4, total);
      }
    },

    async searchTrendDocs(text, opts): Promise<TrendDocHit[]> {
      const params = trendParams(opts);
      const query = escapeLucene(text.trim());
      if (query === "") return [];
      const hits = await rows(
        driver,
        TrendDocHitSchema,
        `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS d, score
         WHERE ${TREND_FILTER}
         WITH d, score LIMIT $limit
         ${TREND_RETURN}`,
        { ...params, index: TREND_FULLTEXT_INDEX, query },
      );
      return byScore(hits);
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

/**
 * Loads a world directory (the JSONL files of `contracts/records.ts`) into Neo4j: schema first, then
 * catalog (categories with PARENT and ALLOWS, factors, values), sellers, items with cached
 * embeddings, users, events (BEHAVED / SEARCHED, MERGE on event id), trend documents with
 * MENTIONS, and finally PAIRS_WITH lifts from co-purchases and CO_ENGAGED category associations
 * (kg/co-engagement.ts) from behaviour before the manifest's `asOf`.
 * Streaming, validated, batched `UNWIND` writes in bounded transactions; a second load changes
 * no counts. Returns file counts, graph counts, timings and events/s.
 */
import { join } from "node:path";
import neo4j from "neo4j-driver";
import { z } from "zod";
import {
  BuyerRecord,
  CategoryRecord,
  EventRecord,
  FactorRecord,
  ItemRecord,
  SellerRecord,
  TrendDocRecord,
  ValueRecord,
  WORLD_FILES,
  WorldManifest,
} from "../contracts/records.js";
import { int, readQuery, writeTransaction, type Driver } from "./driver.js";
import { embedWithCache, type DocumentEmbedder, type EmbeddingCache, type EmbedStats } from "./embedding-cache.js";
import { readJsonlBatches } from "./jsonl.js";
import { readManifest } from "../lib/jsonl.js";
import { ensureSchema } from "./schema.js";
import { computeCoEngagement } from "./co-engagement.js";
import { createVocabularyTools, type VocabularyTools } from "./vocab.js";
import {
  writeBatch,
  writeCategories,
  writeEventRows,
  writeFactors,
  writeItems,
  writeSellers,
  writeTrendDocs,
  writeUsers,
  writeValues,
  type ItemRow,
  type TrendDocRow,
} from "./writes.js";

export interface LoadProgress {
  phase: string;
  done: number;
  total: number | null;
}

export interface LoadOptions {
  driver: Driver;
  embedder: DocumentEmbedder;
  cache: EmbeddingCache;
  onProgress?: (progress: LoadProgress) => void;
  /** Rows per write transaction (default 2000). */
  batchSize?: number;
  /**
   * Write items with the embeddings the cache already holds and leave the rest without one, for
   * `backfillItemEmbeddings` (kg/embedding-backfill.ts) to fill in after the load; default false
   * (every item embedded during the load).
   */
  deferItemEmbeddings?: boolean;
}

export interface LoadResult {
  manifest: WorldManifest;
  /** Records read per file kind. */
  fileCounts: Record<string, number>;
  graph: GraphCounts;
  embeddings: EmbedStats;
  pairs: number;
  /** Milliseconds per phase and in total. */
  timings: Record<string, number>;
  eventsPerSecond: number;
}

export const NODE_LABELS = ["User", "Item", "Category", "Factor", "Value", "Seller", "TrendDoc", "SearchTerm", "Query"] as const;
export const REL_TYPES = ["BEHAVED", "SEARCHED", "IN", "PARENT", "ALLOWS", "HAS", "OF", "SOLD_BY", "PAIRS_WITH", "MENTIONS", "TARGETS", "REQUIRES"] as const;

export interface GraphCounts {
  nodes: Record<(typeof NODE_LABELS)[number], number>;
  relationships: Record<(typeof REL_TYPES)[number], number>;
}

/** Node counts per label and relationship counts per type (count store; labels from the whitelist above). */
export async function graphCounts(driver: Driver): Promise<GraphCounts> {
  const nodes = {} as GraphCounts["nodes"];
  const relationships = {} as GraphCounts["relationships"];
  for (const label of NODE_LABELS) {
    const [row] = await readQuery(driver, `MATCH (n:${label}) RETURN count(n) AS n`);
    nodes[label] = Number(row.n);
  }
  for (const type of REL_TYPES) {
    const [row] = await readQuery(driver, `MATCH ()-[r:${type}]->() RETURN count(r) AS n`);
    relationships[type] = Number(row.n);
  }
  return { nodes, relationships };
}

async function readAll<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>[]> {
  const out: z.infer<S>[] = [];
  for await (const batch of readJsonlBatches(file, schema, 10_000)) out.push(...batch);
  return out;
}

/** Completes an item record into a row: values and short title from the title when missing. */
export function itemRow(
  item: ItemRecord,
  category: CategoryRecord,
  tools: VocabularyTools,
  embedding: number[] | null,
): ItemRow {
  const valueIds = item.valueIds ?? tools.valuesFromTitle(item.title, category.allows);
  return {
    id: item.id,
    title: item.title,
    shortTitle: item.shortTitle ?? tools.shortTitle(category.noun ?? category.name, valueIds),
    categoryId: item.categoryId,
    valueIds,
    price: item.price,
    moq: item.moq,
    priceTiers: item.priceTiers,
    launchedAt: item.launchedAt,
    sellerId: item.sellerId,
    embedding,
  };
}

/** The text embedded for an item (the vector index is built over it). */
export function itemEmbeddingText(item: Pick<ItemRecord, "title">): string {
  return item.title;
}

/** Adds the embeddings the cache already holds to completed item rows; returns how many it found. */
export function embedItemRowsFromCache(rows: ItemRow[], embedder: Pick<DocumentEmbedder, "model">, cache: EmbeddingCache): EmbedStats {
  const found = cache.getMany(embedder.model ?? "default", rows.map(itemEmbeddingText));
  rows.forEach((row, i) => {
    row.embedding = found[i] ?? null;
  });
  const hits = found.filter((v) => v !== undefined).length;
  return { hits, misses: rows.length - hits };
}

/** Adds embeddings (through the cache) to completed item rows. */
export async function embedItemRows(
  rows: ItemRow[],
  embedder: DocumentEmbedder,
  cache: EmbeddingCache,
): Promise<EmbedStats> {
  const { vectors, stats } = await embedWithCache(rows.map(itemEmbeddingText), embedder, cache);
  rows.forEach((row, i) => {
    row.embedding = vectors[i];
  });
  return stats;
}

export function trendDocRow(doc: TrendDocRecord, tools: VocabularyTools): TrendDocRow {
  return { ...doc, ...tools.docMentions(doc.title, doc.text) };
}

export const PairsOptions = z.object({
  asOf: z.string(),
  windowDays: z.number().int().positive().default(28),
  minSupport: z.number().int().positive().default(3),
  minLift: z.number().positive().default(1.2),
});
export type PairsOptions = z.input<typeof PairsOptions>;

/**
 * Category pairs bought together, both directions, from baskets (sets of category ids):
 * lift(A,B) = n(A,B)·N / (n(A)·n(B)), kept when n(A,B) ≥ minSupport and lift ≥ minLift.
 */
export function liftPairs(
  baskets: ReadonlySet<string>[],
  { minSupport, minLift }: { minSupport: number; minLift: number },
): { from: string; to: string; lift: number; support: number }[] {
  const single = new Map<string, number>();
  const joint = new Map<string, number>();
  for (const basket of baskets) {
    const cats = [...basket].sort();
    for (const a of cats) single.set(a, (single.get(a) ?? 0) + 1);
    for (let i = 0; i < cats.length; i++) {
      for (let j = i + 1; j < cats.length; j++) {
        const key = `${cats[i]}|${cats[j]}`;
        joint.set(key, (joint.get(key) ?? 0) + 1);
      }
    }
  }
  const n = baskets.length;
  const pairs: { from: string; to: string; lift: number; support: number }[] = [];
  for (const [key, count] of joint) {
    if (count < minSupport) continue;
    const [a, b] = key.split("|");
    const lift = (count * n) / ((single.get(a) ?? 1) * (single.get(b) ?? 1));
    if (lift < minLift) continue;
    const rounded = Math.round(lift * 1000) / 1000;
    pairs.push({ from: a, to: b, lift: rounded, support: count }, { from: b, to: a, lift: rounded, support: count });
  }
  return pairs;
}

/**
 * Replaces all `PAIRS_WITH` relationships with lifts between leaf categories bought together:
 * a basket is one buyer's orders and carts in one `windowDays` window before `asOf`;
 * lift(A,B) = n(A,B)·N / (n(A)·n(B)). Pairs need `minSupport` baskets and `minLift`.
 */
export async function computePairsWith(driver: Driver, options: PairsOptions): Promise<number> {
  const { asOf, windowDays, minSupport, minLift } = PairsOptions.parse(options);
  const rows = await readQuery(
    driver,
    `MATCH (u:User)-[b:BEHAVED]->(:Item)-[:IN]->(c:Category)
     WHERE b.type IN ['order', 'cart'] AND b.at < datetime($asOf)
     RETURN DISTINCT u.id AS userId, c.id AS categoryId, b.at.epochSeconds / $windowSeconds AS bucket`,
    { asOf, windowSeconds: int(windowDays * 86_400) },
  );
  const baskets = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = `${row.userId}|${row.bucket}`;
    const basket = baskets.get(key) ?? new Set<string>();
    basket.add(row.categoryId as string);
    baskets.set(key, basket);
  }
  const pairs = liftPairs([...baskets.values()], { minSupport, minLift });
  await writeTransaction(driver, async (tx) => {
    await tx.run("MATCH ()-[r:PAIRS_WITH]->() DELETE r");
    await tx.run(
      `UNWIND $pairs AS p
       MATCH (a:Category {id: p.from})
       MATCH (b:Category {id: p.to})
       CREATE (a)-[:PAIRS_WITH {lift: p.lift, support: p.support}]->(b)`,
      { pairs: pairs.map((p) => ({ ...p, support: int(p.support) })) },
    );
  });
  return pairs.length;
}

/** Deletes every node and relationship, in batches (auto-commit `CALL IN TRANSACTIONS`). */
export async function clearGraph(driver: Driver): Promise<void> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
  } finally {
    await session.close();
  }
}

/** Loads the world in `dir` (see module header). */
export async function loadWorld(dir: string, options: LoadOptions): Promise<LoadResult> {
  const { driver, embedder, cache, onProgress } = options;
  const batchSize = options.batchSize ?? 2000;
  const manifest = await readManifest(dir);
  const timings: Record<string, number> = {};
  const fileCounts: Record<string, number> = {};
  const total = (kind: string): number | null => manifest.counts[kind] ?? null;
  const started = performance.now();
  let phaseStart = started;
  const endPhase = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };
  const file = (kind: keyof typeof WORLD_FILES) => join(dir, WORLD_FILES[kind]);

  await ensureSchema(driver, { dimensions: embedder.dimensions });
  endPhase("schema");

  const categories = await readAll(file("categories"), CategoryRecord);
  const factors = await readAll(file("factors"), FactorRecord);
  const values = await readAll(file("values"), ValueRecord);
  await writeTransaction(driver, async (tx) => {
    await writeFactors(tx, factors.map((f) => f.name));
    await writeValues(tx, values);
    await writeCategories(tx, categories);
  });
  fileCounts.categories = categories.length;
  fileCounts.factors = factors.length;
  fileCounts.values = values.length;
  onProgress?.({ phase: "catalog", done: categories.length + values.length, total: categories.length + values.length });
  endPhase("catalog");

  const tools = createVocabularyTools(values, categories);
  const categoryById = new Map(categories.map((c) => [c.id, c]));

  fileCounts.sellers = 0;
  for await (const batch of readJsonlBatches(file("sellers"), SellerRecord, batchSize)) {
    await writeBatch(driver, writeSellers, batch);
    fileCounts.sellers += batch.length;
    onProgress?.({ phase: "sellers", done: fileCounts.sellers, total: total("sellers") });
  }
  endPhase("sellers");

  fileCounts.items = 0;
  const embeddings: EmbedStats = { hits: 0, misses: 0 };
  for await (const batch of readJsonlBatches(file("items"), ItemRecord, Math.min(batchSize, 1000))) {
    const rows = batch.map((item) => {
      const category = categoryById.get(item.categoryId);
      if (!category) throw new Error(`${file("items")}: item ${item.id} has unknown category ${item.categoryId}`);
      return itemRow(item, category, tools, null);
    });
    const stats = options.deferItemEmbeddings ? embedItemRowsFromCache(rows, embedder, cache) : await embedItemRows(rows, embedder, cache);
    embeddings.hits += stats.hits;
    embeddings.misses += stats.misses;
    await writeBatch(driver, writeItems, rows);
    fileCounts.items += batch.length;
    onProgress?.({ phase: "items", done: fileCounts.items, total: total("items") });
  }
  endPhase("items");

  fileCounts.buyers = 0;
  for await (const batch of readJsonlBatches(file("buyers"), BuyerRecord, batchSize)) {
    await writeBatch(driver, writeUsers, batch);
    fileCounts.buyers += batch.length;
    onProgress?.({ phase: "buyers", done: fileCounts.buyers, total: total("buyers") });
  }
  endPhase("buyers");

  fileCounts.events = 0;
  for await (const batch of readJsonlBatches(file("events"), EventRecord, batchSize)) {
    const written = await writeBatch(driver, writeEventRows, batch);
    if (written !== batch.length) {
      throw new Error(`${file("events")}: ${batch.length - (written ?? 0)} event(s) of a batch reference unknown items`);
    }
    fileCounts.events += batch.length;
    onProgress?.({ phase: "events", done: fileCounts.events, total: total("events") });
  }
  endPhase("events");
  const eventsMs = timings.events;

  fileCounts.trends = 0;
  for await (const batch of readJsonlBatches(file("trends"), TrendDocRecord, Math.min(batchSize, 1000))) {
    await writeBatch(driver, writeTrendDocs, batch.map((doc) => trendDocRow(doc, tools)));
    fileCounts.trends += batch.length;
    onProgress?.({ phase: "trends", done: fileCounts.trends, total: total("trends") });
  }
  endPhase("trends");

  const pairs = await computePairsWith(driver, { asOf: manifest.asOf });
  await computeCoEngagement(driver, { asOf: manifest.asOf });
  onProgress?.({ phase: "pairs", done: pairs, total: pairs });
  endPhase("pairs");

  const graph = await graphCounts(driver);
  timings.total = Math.round(performance.now() - started);
  return {
    manifest,
    fileCounts,
    graph,
    embeddings,
    pairs,
    timings,
    eventsPerSecond: Math.round((fileCounts.events / Math.max(eventsMs, 1)) * 1000),
  };
}

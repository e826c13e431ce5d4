/**
 * Item embeddings written after the rows: `embeddingCoverage` counts items with and without an
 * embedding; `backfillItemEmbeddings` embeds the items that have none (through the on-disk cache,
 * in batches, oldest id first) and sets `Item.embedding`, so that a first start can serve as soon
 * as the graph has its rows while the vector index fills in behind it. Until coverage is complete,
 * vector search only sees embedded items; full-text search sees every item. Reads `Item.title`,
 * writes `Item.embedding`.
 */
import { int, readQuery, writeQuery, type Driver } from "./driver.js";
import { embedWithCache, type DocumentEmbedder, type EmbedStats, type EmbeddingCache } from "./embedding-cache.js";
import { itemEmbeddingText } from "./load.js";

export interface EmbeddingCoverage {
  items: number;
  embedded: number;
}

/** How many items there are and how many carry an embedding. */
export async function embeddingCoverage(driver: Driver): Promise<EmbeddingCoverage> {
  const [row] = await readQuery(driver, "MATCH (i:Item) RETURN count(i) AS items, count(i.embedding) AS embedded");
  return { items: Number(row?.items ?? 0), embedded: Number(row?.embedded ?? 0) };
}

export interface BackfillOptions {
  driver: Driver;
  embedder: DocumentEmbedder;
  cache: EmbeddingCache;
  /** Items embedded and written per round; default 256. */
  batchSize?: number;
  onProgress?: (coverage: EmbeddingCoverage) => void;
  /** Stops between batches when aborted; what was written stays. */
  signal?: AbortSignal;
}

export interface BackfillResult extends EmbedStats {
  written: number;
  coverage: EmbeddingCoverage;
}

/** Embeds and writes every item that has no embedding yet; safe to rerun (resumes where it stopped). */
export async function backfillItemEmbeddings(options: BackfillOptions): Promise<BackfillResult> {
  const { driver, embedder, cache, onProgress, signal } = options;
  const batchSize = options.batchSize ?? 256;
  const stats: BackfillResult = { hits: 0, misses: 0, written: 0, coverage: await embeddingCoverage(driver) };
  onProgress?.(stats.coverage);
  let embedded = stats.coverage.embedded;
  while (!signal?.aborted) {
    const rows = await readQuery(
      driver,
      "MATCH (i:Item) WHERE i.embedding IS NULL RETURN i.id AS id, i.title AS title ORDER BY id LIMIT $limit",
      { limit: int(batchSize) },
    );
    if (rows.length === 0) break;
    const items = rows.map((r) => ({ id: String(r.id), title: String(r.title) }));
    const { vectors, stats: batchStats } = await embedWithCache(items.map(itemEmbeddingText), embedder, cache);
    const { updates } = await writeQuery(
      driver,
      `UNWIND $rows AS row
       MATCH (i:Item {id: row.id}) WHERE i.embedding IS NULL
       SET i.embedding = row.embedding`,
      { rows: items.map((item, k) => ({ id: item.id, embedding: vectors[k] })) },
    );
    if ((updates.propertiesSet ?? 0) === 0) throw new Error(`embedding backfill wrote nothing for ${items.length} items without an embedding (first: ${items[0].id})`);
    stats.hits += batchStats.hits;
    stats.misses += batchStats.misses;
    stats.written += updates.propertiesSet ?? 0;
    embedded += updates.propertiesSet ?? 0;
    onProgress?.({ items: stats.coverage.items, embedded });
  }
  stats.coverage = await embeddingCoverage(driver);
  return stats;
}

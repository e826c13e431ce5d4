/**
 * A disk cache of text embeddings keyed by sha256(model, text), in a better-sqlite3 file
 * (default `.data/cache/embeddings.sqlite`), so that a reload does not re-embed.
 * `embedWithCache` looks texts up, embeds only the misses in batches and stores them.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export const DEFAULT_EMBEDDING_CACHE = ".data/cache/embeddings.sqlite";

/** The part of an embedder that item loading needs. */
export interface DocumentEmbedder {
  embedDocuments(texts: string[]): Promise<number[][]>;
  readonly dimensions: number;
  /** Model name, part of the cache key; defaults to "default". */
  readonly model?: string;
}

export interface EmbeddingCache {
  getMany(model: string, texts: string[]): (number[] | undefined)[];
  putMany(model: string, entries: { text: string; vector: number[] }[]): void;
  size(): number;
  close(): void;
}

export function embeddingKey(model: string, text: string): string {
  return createHash("sha256").update(model).update("\u0000").update(text).digest("hex");
}

/** Opens (creating if needed) the cache file; `":memory:"` gives a throw-away cache. */
export function openEmbeddingCache(file: string = DEFAULT_EMBEDDING_CACHE): EmbeddingCache {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, dims INTEGER NOT NULL, vec BLOB NOT NULL)");
  const get = db.prepare<[string], { dims: number; vec: Buffer }>("SELECT dims, vec FROM embeddings WHERE key = ?");
  const put = db.prepare<[string, number, Buffer]>(
    "INSERT OR REPLACE INTO embeddings (key, dims, vec) VALUES (?, ?, ?)",
  );
  const count = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM embeddings");
  const putAll = db.transaction((rows: { key: string; vector: number[] }[]) => {
    for (const row of rows) put.run(row.key, row.vector.length, Buffer.from(new Float32Array(row.vector).buffer));
  });
  return {
    getMany(model, texts) {
      return texts.map((text) => {
        const row = get.get(embeddingKey(model, text));
        if (!row) return undefined;
        const floats = new Float32Array(row.vec.buffer, row.vec.byteOffset, row.dims);
        return Array.from(floats);
      });
    },
    putMany(model, entries) {
      putAll(entries.map((e) => ({ key: embeddingKey(model, e.text), vector: e.vector })));
    },
    size() {
      return count.get()?.n ?? 0;
    },
    close() {
      db.close();
    },
  };
}

export interface EmbedStats {
  hits: number;
  misses: number;
}

/** Embeds `texts` through the cache; misses go to the embedder in batches of `batchSize`. */
export async function embedWithCache(
  texts: string[],
  embedder: DocumentEmbedder,
  cache: EmbeddingCache,
  batchSize = 64,
): Promise<{ vectors: number[][]; stats: EmbedStats }> {
  const model = embedder.model ?? "default";
  const found = cache.getMany(model, texts);
  const missing = [...new Set(texts.filter((_, i) => found[i] === undefined))];
  const fresh = new Map<string, number[]>();
  for (let start = 0; start < missing.length; start += batchSize) {
    const chunk = missing.slice(start, start + batchSize);
    const vectors = await embedder.embedDocuments(chunk);
    if (vectors.length !== chunk.length) {
      throw new Error(`embedder returned ${vectors.length} vectors for ${chunk.length} texts`);
    }
    vectors.forEach((vector, i) => {
      if (vector.length !== embedder.dimensions) {
        throw new Error(`embedder returned ${vector.length} dimensions, expected ${embedder.dimensions}`);
      }
      fresh.set(chunk[i], vector);
    });
    cache.putMany(model, chunk.map((text, i) => ({ text, vector: vectors[i] })));
  }
  const vectors = texts.map((text, i) => found[i] ?? (fresh.get(text) as number[]));
  const hits = found.filter((v) => v !== undefined).length;
  return { vectors, stats: { hits, misses: missing.length } };
}

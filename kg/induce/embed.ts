/**
 * Adapts the project's embedder and on-disk embedding cache (`kg/embedding-cache.ts`) to the
 * `embed(texts)` function vocabulary induction takes, so induced terms are embedded once.
 */
import { embedWithCache, type DocumentEmbedder, type EmbeddingCache } from "../embedding-cache.js";

export function cachedEmbed(embedder: DocumentEmbedder, cache: EmbeddingCache): (texts: string[]) => Promise<number[][]> {
  return async (texts) => (await embedWithCache(texts, embedder, cache)).vectors;
}

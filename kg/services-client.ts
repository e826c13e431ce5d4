/**
 * Clients for the CLIs: ensures the dev services (`services/`), then opens one driver, the
 * embedder and the embedding cache (`<DATA_DIR>/cache/embeddings.sqlite`), and closes all of
 * them (and stops only the services this process started) in `close()`.
 */
import { join } from "node:path";
import { createEmbedder, embeddingsSettings, type Embedder } from "../llm/embeddings.js";
import { ensureServices, type RunningServices } from "../services/index.js";
import { createDriver, verifyConnectivity, type Driver } from "./driver.js";
import { openEmbeddingCache, type EmbeddingCache } from "./embedding-cache.js";

export interface KgClients {
  services: RunningServices;
  driver: Driver;
  embedder: Embedder;
  cache: EmbeddingCache;
  close(): Promise<void>;
}

export async function openKgClients(): Promise<KgClients> {
  const services = await ensureServices({ instance: "dev" });
  const driver = createDriver({
    uri: services.neo4jUri,
    user: services.neo4jAuth.user,
    password: services.neo4jAuth.password,
  });
  let cache: EmbeddingCache | undefined;
  try {
    await verifyConnectivity(driver);
    const embedder = await createEmbedder(embeddingsSettings(services.config, services.embeddingsBaseUrl));
    cache = openEmbeddingCache(join(services.config.dataDir, "cache", "embeddings.sqlite"));
    const opened = cache;
    return {
      services,
      driver,
      embedder,
      cache: opened,
      async close() {
        opened.close();
        await driver.close();
        await services.stop();
      },
    };
  } catch (error) {
    cache?.close();
    await driver.close();
    await services.stop();
    throw error;
  }
}

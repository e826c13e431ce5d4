/**
 * Builds the graph's dependencies from the environment: services through `ensureServices`
 * (reusing running ones), a Neo4j driver, the KG reader and U-Q scorer, the embedder, chat models
 * per role from the LLM environment, and the trend tools (Tavily when `TAVILY_API_KEY` is set);
 * the injection guard's embedding check when `INJECTION_EMBEDDING_CHECK=true`.
 * The embedder is wrapped once per deps in graph/embed-cache.ts (LRU of vectors, batched misses,
 * backed by the on-disk embedding cache `<DATA_DIR>/cache/embeddings.sqlite`).
 * `envDepsProvider()` returns a provider that builds them once, on first use.
 */
import { ensureServices, type Instance } from "../services/index.js";
import { createDriver, type Driver } from "../kg/driver.js";
import { createKgReader } from "../kg/repositories.js";
import { createUqScorer } from "../kg/uq.js";
import { createCatalogStats } from "../kg/catalog-stats.js";
import { createEmbedder, createEmbeddings, embeddingsSettings, textFor } from "../llm/embeddings.js";
import { createCachingEmbedder } from "./embed-cache.js";
import { openEmbeddingCache } from "../kg/embedding-cache.js";
import { join } from "node:path";
import { loadLlmConfig } from "../llm/config.js";
import { createChatModels } from "../llm/chat-models.js";
import { runStepFor } from "../llm/run-step.js";
import type { ReasoningRole, RunStep } from "../contracts/steps.js";
import { createTrendTools, tavilyOptionsFromEnv } from "../tools/index.js";
import { createMemo } from "../lib/deps.js";
import { readEnvGroup } from "../lib/env.js";
import { createEmbeddingInjectionCheck } from "../llm/injection-embedding.js";
import { type DepsProvider, type GraphDeps } from "../contracts/deps.js";

export interface EnvDeps {
  deps: GraphDeps;
  driver: Driver;
  close(): Promise<void>;
}

export interface EnvDepsOptions {
  instance?: Instance;
  env?: Record<string, string | undefined>;
  runStep?: RunStep;
}

export async function createEnvDeps(opts: EnvDepsOptions = {}): Promise<EnvDeps> {
  const env = opts.env ?? process.env;
  const services = await ensureServices({ instance: opts.instance ?? "dev" });
  const driver = createDriver({
    uri: services.neo4jUri,
    user: services.neo4jAuth.user,
    password: services.neo4jAuth.password,
    connectionTimeoutMs: services.config.neo4j.connectionTimeoutMs,
    maxRetryMs: services.config.neo4j.maxRetryMs,
  });
  const settings = embeddingsSettings(services.config, services.embeddingsBaseUrl);
  const base = await createEmbedder(settings);
  const queryBatch = createEmbeddings(settings, "query");
  const vectorStore = openEmbeddingCache(join(services.config.dataDir, "cache", "embeddings.sqlite"));
  const embedder = createCachingEmbedder({
    embedQuery: (t) => base.embedQuery(t),
    embedDocuments: (ts) => base.embedDocuments(ts),
    embedQueries: async (ts) => {
      const vectors = await queryBatch.embedDocuments(ts.map((t) => textFor(t, "query", settings.modality)));
      if (vectors.length !== ts.length || vectors.some((v) => v.length !== base.dimensions)) {
        throw new Error(`embedding server returned ${vectors.length} query vectors for ${ts.length} texts or a wrong dimension`);
      }
      return vectors;
    },
  }, { store: vectorStore, storeKey: `${settings.model}:${settings.modality}` });
  const llm = loadLlmConfig(env);
  const chatModel = createChatModels(llm);
  const tavily = tavilyOptionsFromEnv(env);
  const catalog = createCatalogStats(driver);
  const memo = createMemo(1024);
  const kg = createKgReader(driver, { catalog });
  const deps: GraphDeps = {
    kg,
    uq: createUqScorer(driver, { catalog }),
    embedder,
    runStep: opts.runStep ?? runStepFor(llm),
    chatModel,
    llmMaxRetries: llm.maxRetries,
    trendTools: ({ kg: reader, asOf }) => createTrendTools({ kg: reader, asOf, embedder, memo, ...(tavily ? { tavily } : {}) }),
    memo,
    ...(readEnvGroup("tools", env).INJECTION_EMBEDDING_CHECK === "true" ? { injectionCheck: createEmbeddingInjectionCheck(embedder) } : {}),
  };
  return {
    deps,
    driver,
    async close() {
      vectorStore.close();
      await driver.close();
      await services.stop();
    },
  };
}

/** A provider that builds the environment's deps on first use and reuses them afterwards. */
export function envDepsProvider(opts: EnvDepsOptions = {}): DepsProvider {
  let pending: Promise<GraphDeps> | null = null;
  return () => {
    pending ??= createEnvDeps(opts).then((d) => d.deps);
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
}

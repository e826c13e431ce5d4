/**
 * Picks the engines behind the server's state from the configuration: with `POSTGRES_URL` (or
 * `DATABASE_URL`) one migrated pool serves the latest-results store and the LangGraph
 * checkpointer (near-line runs then resume across replicas); without it the SQLite store and no
 * checkpointer (the embedded default). With `REDIS_URL` near-line triggers go through the Redis
 * engine (`server/redis-triggers.ts`), else the in-process one.
 */
import path from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { Logger } from "pino";
import { createPostgresPool, migratePostgres } from "../db/postgres.js";
import { createPostgresCheckpointer } from "../graph/checkpointer.js";
import type { ServicesConfig } from "../services/config.js";
import type { ServerEnv } from "./env.js";
import type { Metrics } from "./metrics.js";
import { createPostgresResultStore } from "./pg-store.js";
import { createRedisTriggerEngine } from "./redis-triggers.js";
import type { RecommendationRunner } from "./runner.js";
import { openSqliteResultStore, type ResultStore } from "./store.js";
import { createLocalTriggerEngine, type TriggerEngine } from "./triggers.js";

export interface StateEngines {
  store: ResultStore;
  /** The Postgres checkpointer, or false (embedded default: runs are not checkpointed). */
  checkpointer: BaseCheckpointSaver | false;
  /** Names for logs: `postgres` | `sqlite`. */
  results: "postgres" | "sqlite";
  close(): Promise<void>;
}

/** Opens the results store and checkpointer; with Postgres the migration step runs first. */
export async function openStateEngines(services: ServicesConfig, env: ServerEnv): Promise<StateEngines> {
  if (services.postgres.url) {
    const pool = createPostgresPool(services.postgres.url, services.postgres.poolMax);
    try {
      await migratePostgres(pool);
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return {
      store: createPostgresResultStore(pool),
      checkpointer: createPostgresCheckpointer(pool),
      results: "postgres",
      close: () => pool.end(),
    };
  }
  const store = openSqliteResultStore(env.dbPath ?? path.join(services.dataDir, "server.sqlite"));
  return { store, checkpointer: false, results: "sqlite", close: async () => store.close() };
}

/** The Redis engine when `REDIS_URL` is set, else the in-process one. */
export function createTriggerEngine(o: {
  services: ServicesConfig;
  /** With the Postgres checkpointer, a stored near-line run's checkpoints are deleted. */
  checkpointer?: BaseCheckpointSaver | false;
  env: ServerEnv;
  runner: RecommendationRunner;
  store: ResultStore;
  logger: Logger;
  metrics: Metrics;
}): TriggerEngine {
  const common = {
    runner: o.runner,
    store: o.store,
    settings: o.env.triggers,
    logger: o.logger,
    metrics: o.metrics,
    runTimeoutMs: o.env.limits.invokeTimeoutMs,
  };
  if (o.services.redis.url) {
    const saver = o.checkpointer || null;
    return createRedisTriggerEngine({
      ...common,
      redisUrl: o.services.redis.url,
      prefix: o.env.redisPrefix,
      queue: o.env.queue,
      forgetThread: saver ? (threadId) => saver.deleteThread(threadId) : undefined,
    });
  }
  return createLocalTriggerEngine(common);
}

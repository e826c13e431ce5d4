/**
 * Real dependencies of the app: the graph's environment deps (services ensured, one Neo4j driver,
 * embedder, chat models), the graph compiled without a checkpointer behind a
 * `RecommendationRunner`, the Neo4j event sink (`kg/writes.ts`, group commit), the buyer
 * directory, readiness probes, the result store and the near-line trigger engine (SQLite and
 * in-process by default, Postgres and Redis when configured: `server/scale-wiring.ts`).
 */
import type { Logger } from "pino";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { createBuilder, createGraph } from "../graph/builder.js";
import { unavailableReasonerIssues } from "../graph/config-check.js";
import { ConfigurationSchema, type ConfigurationInput } from "../contracts/configuration.js";
import { createEnvDeps, type EnvDeps } from "../graph/env-deps.js";
import type { GraphState } from "../contracts/state.js";
import { toResult } from "../graph/assemble.js";
import { readQuery, verifyConnectivity, type Driver } from "../kg/driver.js";
import { createKgReader } from "../kg/repositories.js";
import { embeddingCoverage } from "../kg/embedding-backfill.js";
import { createEventWriter, neo4jEventStore, type EventWriterOptions } from "../kg/writes.js";
import { loadServicesConfig, type Instance } from "../services/index.js";
import { embeddingsTarget } from "../services/embeddings.js";
import type { AppDeps } from "./app.js";
import { unavailableDependency } from "./dependency-errors.js";
import type { ServerEnv } from "./env.js";
import type { Metrics } from "./metrics.js";
import type { EventSink, ReadinessProbe, SinkRejection, UserDirectory } from "./ports.js";
import { createGraphRunner, withDefaultAsOf, type RecommendationRunner, type StreamableGraph } from "./runner.js";
import { createTriggerEngine, openStateEngines } from "./scale-wiring.js";
import { warmUpProbe } from "./warm-up.js";

/**
 * Stores events through the coalescing event writer (concurrent batches share one transaction)
 * and maps its rejections onto API codes.
 */
export function createNeo4jEventSink(driver: Driver, options: EventWriterOptions = {}): EventSink {
  const writer = createEventWriter(neo4jEventStore(driver), { isUnavailable: (e) => unavailableDependency(e) !== null, ...options });
  return {
    async write(events) {
      const { duplicates, rejected } = await writer.write(events);
      return {
        duplicates: duplicates.map((d) => d.index),
        rejected: rejected.map((r): SinkRejection => ({ index: r.index, code: r.code, message: r.reason })),
      };
    },
  };
}

export function createNeo4jUsers(driver: Driver): UserDirectory {
  const kg = createKgReader(driver);
  return { exists: (userId) => kg.userExists(userId) };
}

/** A buyer id to show in the printed curl example (the one with most behaviour), or null. */
export async function exampleUserId(driver: Driver): Promise<string | null> {
  const rows = await readQuery(driver, "MATCH (u:User)-[b:BEHAVED]->() WITH u, count(b) AS n RETURN u.id AS id ORDER BY n DESC LIMIT 1");
  return (rows[0]?.id as string | undefined) ?? null;
}

export function neo4jProbe(driver: Driver): ReadinessProbe {
  return { name: "neo4j", check: () => verifyConnectivity(driver) };
}

/**
 * Item-embedding coverage: ready in every case (full-text search covers every item), with a detail
 * saying whether vector retrieval covers the whole catalog or is still warming up.
 */
export function itemEmbeddingsProbe(driver: Driver): ReadinessProbe {
  return {
    name: "item-embeddings",
    async check() {
      const { items, embedded } = await embeddingCoverage(driver);
      return embedded >= items
        ? `complete: ${embedded} of ${items} items embedded`
        : `warming up: ${embedded} of ${items} items embedded; vector retrieval sees only embedded items until complete, full-text sees all`;
    },
  };
}

export function embeddingsProbe(baseUrl: string, apiKey: string): ReadinessProbe {
  return {
    name: "embeddings",
    async check(signal) {
      const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/models`, { headers: { Authorization: `Bearer ${apiKey}` }, signal });
      if (!res.ok) throw new Error(`GET /models answered ${res.status}`);
    },
  };
}

/** The graph's node table (the real nodes unless a caller wraps some). */
export type GraphNodes = Parameters<typeof createBuilder>[0];

/**
 * The graph behind the runner interface; the result comes from the final state. With a
 * checkpointer, runs given a `threadId` resume that thread when it has an unfinished checkpoint.
 */
export function createRunnerFromEnvDeps(
  env: EnvDeps,
  opts: { checkpointer?: BaseCheckpointSaver | false; nodes?: GraphNodes } = {},
): RecommendationRunner {
  const checkpointer = opts.checkpointer ?? false;
  const graph = opts.nodes
    ? Object.assign(createBuilder(opts.nodes).compile({ checkpointer: checkpointer || undefined }), { name: "chrysalis" }).withConfig({ configurable: { deps: env.deps } })
    : createGraph({ deps: env.deps, checkpointer });
  return createGraphRunner({
    graph: graph as unknown as StreamableGraph,
    configSchema: ConfigurationSchema.strict() as never,
    checkConfig: (config) => unavailableReasonerIssues(config as ConfigurationInput, (role) => env.deps.chatModel(role) !== undefined),
    toResult: (state, meta) => toResult(state as unknown as GraphState, { runId: meta.runId }),
    hasCheckpoint: checkpointer
      ? async (threadId) => (await checkpointer.getTuple({ configurable: { thread_id: threadId } })) !== undefined
      : undefined,
  });
}

export interface EnvServerDeps {
  deps: AppDeps;
  driver: Driver;
  close(): Promise<void>;
}

/** Builds every real dependency from the environment; `close()` releases them in reverse order. */
export async function createEnvServerDeps(opts: {
  env: ServerEnv;
  apiKeys: string[];
  logger: Logger;
  metrics: Metrics;
  instance?: Instance;
  /** Group-commit settings of the event sink (defaults of `createEventWriter`). */
  eventWriter?: EventWriterOptions;
  /** Node table of the graph (default the real nodes; the scale tests wrap some to observe them). */
  graphNodes?: GraphNodes;
}): Promise<EnvServerDeps> {
  const services = loadServicesConfig();
  const envDeps = await createEnvDeps({ instance: opts.instance ?? "dev" });
  const driver = envDeps.driver;
  const engines = await openStateEngines(services, opts.env).catch(async (e: unknown) => {
    await envDeps.close();
    throw e;
  });
  const runner = withDefaultAsOf(
    createRunnerFromEnvDeps(envDeps, { checkpointer: engines.checkpointer, nodes: opts.graphNodes }),
    opts.env.defaultAsOf,
  );
  const store = engines.store;
  const triggers = createTriggerEngine({
    services,
    checkpointer: engines.checkpointer,
    env: opts.env,
    runner,
    store,
    logger: opts.logger.child({ component: "triggers" }),
    metrics: opts.metrics,
  });
  const warmStart = Date.now();
  const kgWarm = envDeps.deps.kg.warm();
  kgWarm.then(
    () => opts.logger.info({ ms: Date.now() - warmStart }, "KG caches warm (catalog statistics, names, category embeddings)"),
    (e: unknown) => opts.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "warming the KG caches failed; runs read them on first use"),
  );
  const embeddingsBase = embeddingsTarget(services).baseUrl;
  const deps: AppDeps = {
    runner,
    events: createNeo4jEventSink(driver, opts.eventWriter),
    users: createNeo4jUsers(driver),
    store,
    triggers,
    probes: [
      neo4jProbe(driver),
      embeddingsProbe(embeddingsBase, services.embeddings.apiKey),
      itemEmbeddingsProbe(driver),
      warmUpProbe("kg-caches", "catalog statistics, category names and category embeddings", kgWarm),
    ],
    apiKeys: opts.apiKeys,
    limits: opts.env.limits,
    logger: opts.logger,
    metrics: opts.metrics,
    now: () => new Date(),
  };
  return {
    deps,
    driver,
    async close() {
      await triggers.close();
      await engines.close();
      await envDeps.close();
    },
  };
}

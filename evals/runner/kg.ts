/**
 * The knowledge graph an evaluation runs against: a dedicated embedded Neo4j (its own data dir
 * `<DATA_DIR>/eval/neo4j-test` and Bolt port `EVAL_NEO4J_PORT`, default 7711), or the server in
 * `EVAL_NEO4J_URI`. It must hold exactly the golden set's world, nodes and the relationships the
 * system reads (`missingRelationships`: a load that stopped early has every node but no
 * `PAIRS_WITH`): an empty graph is loaded from the world files; a graph holding anything else, or
 * this world's nodes without those relationships, is refused with the fix. The embedding server
 * is the shared one (`services/`). A graph loaded before `CO_ENGAGED` existed gets it computed
 * (kg/co-engagement.ts). Also builds the graph's dependencies on that driver.
 */
import path from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createDriver, verifyConnectivity, type Driver } from "../../kg/driver.js";
import { openEmbeddingCache } from "../../kg/embedding-cache.js";
import { graphCounts, loadWorld as loadWorldIntoKg, type GraphCounts, type LoadProgress } from "../../kg/load.js";
import { createKgReader } from "../../kg/repositories.js";
import { ensureCoEngagement } from "../../kg/co-engagement.js";
import { createUqScorer } from "../../kg/uq.js";
import { createCatalogStats } from "../../kg/catalog-stats.js";
import { createEmbedder, embeddingsSettings, type Embedder } from "../../llm/embeddings.js";
import { isLlmConfigured, loadLlmConfig } from "../../llm/config.js";
import { createChatModel } from "../../llm/chat-models.js";
import { runStepFor } from "../../llm/run-step.js";
import type { ReasoningRole } from "../../contracts/steps.js";
import { ensureServices, loadServicesConfig, type RunningServices, type ServicesConfig } from "../../services/index.js";
import { createTrendTools, tavilyOptionsFromEnv } from "../../tools/index.js";
import { createMemo } from "../../lib/deps.js";
import type { WorldManifest } from "../../contracts/records.js";
import type { KgReader } from "../../contracts/kg.js";
import { type UqScorer } from "../../contracts/uq.js";
import { type GraphDeps } from "../../contracts/deps.js";
import { ConfigError } from "../../services/config.js";
import { EVAL_NEO4J_DEFAULT_PORT, readEnvGroup } from "../../lib/env.js";

export const EVAL_NEO4J_PORT = EVAL_NEO4J_DEFAULT_PORT;

/**
 * The services configuration of the eval Neo4j: the test slot, moved to its own data dir and port.
 * Throws a `ConfigError` naming the variable when `EVAL_NEO4J_PORT` / `EVAL_NEO4J_URI` is invalid.
 */
export function evalServicesConfig(env: NodeJS.ProcessEnv = process.env, slot?: string): ServicesConfig {
  const base = loadServicesConfig(env);
  const e = readEnvGroup("eval", env, (lines) => new ConfigError(`invalid evaluation environment:\n  ${lines.join("\n  ")}`));
  return {
    ...base,
    neo4j: { ...base.neo4j, uri: e.EVAL_NEO4J_URI, testBoltPort: e.EVAL_NEO4J_PORT },
    dataDir: slot ? path.join(base.dataDir, "eval", slot) : path.join(base.dataDir, "eval"),
  };
}

/**
 * The relationships the system reads that a load writes from the world files, with the least
 * count a complete load leaves: every item `IN` a category and `SOLD_BY` a seller, every value
 * `OF` its factor, and the derived ones a load writes last (`PAIRS_WITH` from co-purchases,
 * `MENTIONS` from trend documents), which a load that stopped early leaves empty while every node
 * count is already right.
 */
export function missingRelationships(graph: GraphCounts, manifest: WorldManifest): string[] {
  const c = manifest.counts;
  const r = graph.relationships;
  const want: [keyof GraphCounts["relationships"], number][] = [
    ["IN", c.items],
    ["SOLD_BY", c.items],
    ["OF", c.values],
    ["HAS", 1],
    ["ALLOWS", 1],
    ["PARENT", c.categories > 1 ? 1 : 0],
    ["PAIRS_WITH", c.events > 0 ? 1 : 0],
    ["MENTIONS", c.trends > 0 ? 1 : 0],
  ];
  return want.filter(([type, least]) => (r[type] ?? 0) < least).map(([type, least]) => `${type} (${r[type] ?? 0}, expected at least ${least})`);
}

/** True when the graph's nodes are exactly those of `manifest`'s world (its relationships: `missingRelationships`). */
export function holdsWorldNodes(graph: GraphCounts, manifest: WorldManifest): boolean {
  const c = manifest.counts;
  return (
    graph.nodes.Item === c.items &&
    graph.nodes.User === c.buyers &&
    graph.nodes.Category === c.categories &&
    graph.nodes.Value === c.values &&
    graph.nodes.TrendDoc === c.trends &&
    graph.relationships.BEHAVED + graph.relationships.SEARCHED === c.events
  );
}

/** True when the graph holds exactly the world of `manifest`, with every relationship the system reads. */
export function holdsWorld(graph: GraphCounts, manifest: WorldManifest): boolean {
  return holdsWorldNodes(graph, manifest) && missingRelationships(graph, manifest).length === 0;
}

export interface EvalKg {
  driver: Driver;
  embedder: Embedder;
  kg: KgReader;
  uq: UqScorer;
  deps: GraphDeps;
  close(): Promise<void>;
}

export interface OpenEvalKgOptions {
  worldDir: string;
  manifest: WorldManifest;
  /** A data dir of its own under `<DATA_DIR>/eval/` for this world's graph (see `evalKgSlot`). */
  slot?: string;
  env?: NodeJS.ProcessEnv;
  log?: (m: string) => void;
  onLoadProgress?: (p: LoadProgress) => void;
}

export async function openEvalKg(opts: OpenEvalKgOptions): Promise<EvalKg> {
  const env = opts.env ?? process.env;
  const shared = loadServicesConfig(env);
  const stops: RunningServices[] = [];
  const closeAll = async () => {
    for (const s of stops.reverse()) await s.stop();
  };
  try {
    const emb = await ensureServices({ neo4j: false, config: shared });
    stops.push(emb);
    const neo = await ensureServices({ embeddings: false, instance: "test", config: evalServicesConfig(env, opts.slot) });
    stops.push(neo);
    const driver = createDriver({ uri: neo.neo4jUri, user: neo.neo4jAuth.user, password: neo.neo4jAuth.password });
    try {
      await verifyConnectivity(driver);
      const embedder = await createEmbedder(embeddingsSettings(shared, emb.embeddingsBaseUrl));
      const counts = await graphCounts(driver);
      if (!holdsWorld(counts, opts.manifest)) {
        const empty = Object.values(counts.nodes).every((n) => n === 0);
        if (!empty && holdsWorldNodes(counts, opts.manifest)) {
          throw new Error(
            `the eval knowledge graph at ${neo.neo4jUri} holds the nodes of ${opts.manifest.preset}/${opts.manifest.seed} but not every relationship the system reads ` +
              `(missing: ${missingRelationships(counts, opts.manifest).join(", ")}; a load that stopped early). ` +
              `Fix: stop it and delete ${path.join(evalServicesConfig(env, opts.slot).dataDir, "neo4j-test")} (it is reloaded from the world files), or point EVAL_NEO4J_URI at an empty server.`,
          );
        }
        if (!empty) {
          throw new Error(
            `the eval knowledge graph at ${neo.neo4jUri} holds another world (${counts.nodes.User} users, ${counts.nodes.Item} items; ` +
              `expected ${opts.manifest.counts.buyers} and ${opts.manifest.counts.items} of ${opts.manifest.preset}/${opts.manifest.seed}). ` +
              `Fix: stop it and delete ${path.join(evalServicesConfig(env, opts.slot).dataDir, "neo4j-test")} (it is reloaded from the world files), or point EVAL_NEO4J_URI at an empty server.`,
          );
        }
        opts.log?.(`loading ${opts.worldDir} into the eval knowledge graph`);
        const cache = openEmbeddingCache(path.join(shared.dataDir, "cache", "embeddings.sqlite"));
        try {
          await loadWorldIntoKg(opts.worldDir, { driver, embedder, cache, onProgress: opts.onLoadProgress });
        } finally {
          cache.close();
        }
        const loaded = await graphCounts(driver);
        if (!holdsWorldNodes(loaded, opts.manifest)) throw new Error("the eval knowledge graph does not hold the world's counts after loading");
        const missing = missingRelationships(loaded, opts.manifest);
        if (missing.length > 0) throw new Error(`the eval knowledge graph lacks relationships after loading: ${missing.join(", ")}`);
      }
      await ensureCoEngagement(driver, { asOf: opts.manifest.asOf });
      const catalog = createCatalogStats(driver);
      const memo = createMemo(1024, 3_600_000);
      const kg = createKgReader(driver, { catalog });
      const uq = createUqScorer(driver, { catalog });
      const llm = loadLlmConfig(env);
      const models = new Map<ReasoningRole, BaseChatModel>();
      const tavily = tavilyOptionsFromEnv(env);
      const deps: GraphDeps = {
        kg,
        uq,
        embedder,
        runStep: runStepFor(llm),
        chatModel: (role) => {
          if (!isLlmConfigured(role, llm)) return undefined;
          if (!models.has(role)) models.set(role, createChatModel(role, llm));
          return models.get(role);
        },
        trendTools: ({ kg: reader, asOf }) => createTrendTools({ kg: reader, asOf, embedder, memo, ...(tavily ? { tavily } : {}) }),
        memo,
      };
      return {
        driver,
        embedder,
        kg,
        uq,
        deps,
        async close() {
          await driver.close();
          await closeAll();
        },
      };
    } catch (e) {
      await driver.close();
      throw e;
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
}

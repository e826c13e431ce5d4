/**
 * `npm start`: the main job. Brings up the services (embedded Neo4j and the embedding server,
 * or the configured production servers), loads the `demo` world when the graph holds no items
 * (item rows with the embeddings the on-disk cache holds), prints what is loaded, then serves the
 * HTTP API (`server/`) until SIGINT / SIGTERM while it embeds the items that have no embedding yet
 * in the background (kg/embedding-backfill.ts; progress on stdout and in `/readyz`). Services it
 * started stay up after the server stops (`npm run services -- down` stops them).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createEmbedder, embeddingsSettings } from "../llm/embeddings.js";
import { ensureServices, loadServicesConfig } from "../services/index.js";
import { createDriver, readQuery, verifyConnectivity } from "../kg/driver.js";
import { openEmbeddingCache } from "../kg/embedding-cache.js";
import { graphCounts, loadWorld } from "../kg/load.js";
import { backfillItemEmbeddings, embeddingCoverage } from "../kg/embedding-backfill.js";
import { generateWorld } from "../world/generate.js";
import { worldDir } from "../world/paths.js";
import { WORLD_FILES } from "../contracts/records.js";
import { defaultAsOf } from "../world/loaded.js";
import { ensureCoEngagement } from "../kg/co-engagement.js";
import { startServer } from "../server/index.js";
import { exitWithHelpIfAsked, readEnvGroup } from "../lib/env.js";

exitWithHelpIfAsked(
  "usage: npm start [-- --help]\n\nBrings up the services, generates and loads the START_PRESET world when the graph holds no\nitems, then serves the HTTP API until SIGINT / SIGTERM.",
  ["services", "llm", "server", "tools", "start"],
);

const PRESET = readEnvGroup("start", process.env).START_PRESET;
/** Items per backfill request: small, so that a buyer's query embeddings wait for at most one batch on the shared embedding server. */
const BACKFILL_BATCH = 32;

/**
 * On a fresh embedded setup (no Neo4j data directory yet, no world files), generates the world
 * while the services start instead of after: the graph is certainly empty then.
 */
function generateEarly(dir: string): Promise<void> | null {
  const config = loadServicesConfig();
  if (config.neo4j.uri || existsSync(join(config.dataDir, "neo4j")) || existsSync(join(dir, WORLD_FILES.manifest))) return null;
  console.log(`generating the "${PRESET}" world into ${dir} while the services start...`);
  const pending = generateWorld({ preset: PRESET, outDir: dir }).then(() => undefined);
  pending.catch(() => undefined);
  return pending;
}

async function main(): Promise<void> {
  const early = generateEarly(worldDir(PRESET, loadServicesConfig().dataDir));
  console.log("bringing up services...");
  const services = await ensureServices({ instance: "dev" });
  for (const s of services.started) console.log(`  started ${s}`);
  for (const s of services.reused) console.log(`  reusing ${s}`);
  console.log(`  neo4j      ${services.neo4jUri}`);
  console.log(`  embeddings ${services.embeddingsBaseUrl}`);

  const driver = createDriver({
    uri: services.neo4jUri,
    user: services.neo4jAuth.user,
    password: services.neo4jAuth.password,
  });
  try {
    await verifyConnectivity(driver);
    const [{ items }] = await readQuery(driver, "MATCH (i:Item) RETURN count(i) AS items");
    if (Number(items) === 0) {
      const dir = worldDir(PRESET, services.config.dataDir);
      if (early) await early;
      if (!existsSync(join(dir, WORLD_FILES.manifest))) {
        console.log(`generating the "${PRESET}" world into ${dir}...`);
        await generateWorld({ preset: PRESET, outDir: dir });
      }
      console.log(`loading the "${PRESET}" world into Neo4j (items without a cached embedding are embedded in the background once the API serves)...`);
      const embedder = await createEmbedder(embeddingsSettings(services.config, services.embeddingsBaseUrl));
      const cache = openEmbeddingCache(join(services.config.dataDir, "cache", "embeddings.sqlite"));
      let lastPhase = "";
      let lastTenth = -1;
      const phaseStarted = { at: Date.now() };
      try {
        const result = await loadWorld(dir, {
          driver,
          embedder,
          cache,
          deferItemEmbeddings: true,
          onProgress: (p) => {
            if (p.phase !== lastPhase) {
              lastPhase = p.phase;
              lastTenth = -1;
              phaseStarted.at = Date.now();
              console.log(`  ${p.phase}...`);
            }
            if (p.total && p.total > 0) {
              const tenth = Math.floor((10 * p.done) / p.total);
              if (tenth > lastTenth && p.done > 0) {
                lastTenth = tenth;
                const s = (Date.now() - phaseStarted.at) / 1000;
                console.log(`    ${p.phase} ${p.done}/${p.total} (${Math.round((100 * p.done) / p.total)}%, ${s.toFixed(0)} s)`);
              }
            }
          },
        });
        console.log(`  loaded in ${(Object.values(result.timings).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s (${result.eventsPerSecond} events/s)`);
      } finally {
        cache.close();
      }
    } else {
      console.log(`the graph already holds ${items} items: not loading`);
      const pairs = await ensureCoEngagement(driver, { asOf: defaultAsOf(process.env, services.config.dataDir) ?? new Date().toISOString() });
      console.log(`  CO_ENGAGED category pairs: ${pairs} (computed now when a graph loaded before them had none)`);
    }
    const counts = await graphCounts(driver);
    console.log("knowledge graph:");
    console.log(`  nodes         ${Object.entries(counts.nodes).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    console.log(`  relationships ${Object.entries(counts.relationships).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    const sample = await readQuery(
      driver,
      "MATCH (u:User)-[b:BEHAVED]->() WITH u, count(b) AS n ORDER BY n DESC, u.id LIMIT 3 RETURN u.id AS id, n",
    );
    if (sample.length > 0) {
      console.log(`try: npm run recommend -- --user ${sample[0].id}`);
    }
  } catch (error) {
    await driver.close();
    throw error;
  }

  const server = await startServer({ defaultAsOf: defaultAsOf(process.env, services.config.dataDir) });
  const backfill = new AbortController();
  const backfilled = backfillInBackground(driver, services, backfill.signal).finally(() => driver.close());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the server (services stay up; npm run services -- down stops them)`);
    backfill.abort();
    Promise.all([server.close(), backfilled]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/**
 * Embeds the items that have no embedding yet while the API serves; prints progress every tenth.
 * A failure is reported and leaves the graph as it was (full-text keeps serving; the next start resumes).
 */
async function backfillInBackground(driver: ReturnType<typeof createDriver>, services: Awaited<ReturnType<typeof ensureServices>>, signal: AbortSignal): Promise<void> {
  try {
    const before = await embeddingCoverage(driver);
    if (before.embedded >= before.items) return;
    console.log(`embedding ${before.items - before.embedded} of ${before.items} item titles in the background (vector retrieval joins as they land; /readyz shows progress)...`);
    const t0 = Date.now();
    const embedder = await createEmbedder(embeddingsSettings(services.config, services.embeddingsBaseUrl));
    const cache = openEmbeddingCache(join(services.config.dataDir, "cache", "embeddings.sqlite"));
    let lastTenth = Math.floor((10 * before.embedded) / before.items);
    try {
      const result = await backfillItemEmbeddings({
        driver,
        embedder,
        cache,
        signal,
        batchSize: BACKFILL_BATCH,
        onProgress: ({ items, embedded }) => {
          const tenth = Math.floor((10 * embedded) / Math.max(1, items));
          if (tenth > lastTenth) {
            lastTenth = tenth;
            console.log(`  item embeddings ${embedded}/${items} (${Math.round((100 * embedded) / Math.max(1, items))}%, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
          }
        },
      });
      if (!signal.aborted) console.log(`item embeddings complete: ${result.coverage.embedded} of ${result.coverage.items} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    } finally {
      cache.close();
    }
  } catch (error) {
    if (!signal.aborted) console.error(`item-embedding backfill stopped: ${error instanceof Error ? error.message : String(error)} (full-text retrieval still serves; the next start resumes)`);
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

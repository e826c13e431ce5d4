/**
 * `ensureTinyWorldLoaded()` for integration tests and the int global setup: generates the `tiny`
 * world (seed 1) into `<DATA_DIR>/world/tiny` when its manifest is missing, and loads it into the
 * test Neo4j unless the graph already holds exactly its counts. Idempotent.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { testDriver, testEmbedder, testServices, type TestServicesInfo } from "../test/services.js";
import { generateWorld } from "../world/generate.js";
import { worldDir } from "../world/paths.js";
import { readManifest } from "../world/read.js";
import { WORLD_FILES, type WorldManifest } from "../world/schema.js";
import { openEmbeddingCache } from "./embedding-cache.js";
import { graphCounts, loadWorld, type GraphCounts } from "./load.js";

export const TINY_SEED = 1;

export interface TinyWorld {
  dir: string;
  manifest: WorldManifest;
}

/** Generates the tiny world if its files are missing; returns where it is. */
export async function ensureTinyWorldFiles(dataDir: string): Promise<TinyWorld> {
  const dir = worldDir("tiny", dataDir);
  if (!existsSync(join(dir, WORLD_FILES.manifest))) {
    await generateWorld({ preset: "tiny", seed: TINY_SEED, outDir: dir });
  }
  const manifest = await readManifest(dir);
  if (manifest.seed !== TINY_SEED) {
    await generateWorld({ preset: "tiny", seed: TINY_SEED, outDir: dir });
    return { dir, manifest: await readManifest(dir) };
  }
  return { dir, manifest };
}

function holdsWorld(graph: GraphCounts, manifest: WorldManifest): boolean {
  const c = manifest.counts;
  return (
    graph.nodes.Item === c.items &&
    graph.nodes.User === c.buyers &&
    graph.nodes.Category === c.categories &&
    graph.nodes.Value === c.values &&
    graph.nodes.Seller === c.sellers &&
    graph.nodes.TrendDoc === c.trends &&
    graph.relationships.BEHAVED + graph.relationships.SEARCHED === c.events &&
    graph.relationships.PAIRS_WITH > 0
  );
}

/** Makes sure the test Neo4j holds the tiny world (and only it); returns its files. */
export async function ensureTinyWorldLoaded(info: TestServicesInfo = testServices()): Promise<TinyWorld> {
  const world = await ensureTinyWorldFiles(info.dataDir);
  const driver = testDriver(info);
  try {
    if (holdsWorld(await graphCounts(driver), world.manifest)) return world;
    const cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
    try {
      await loadWorld(world.dir, { driver, embedder: await testEmbedder(info), cache });
    } finally {
      cache.close();
    }
    return world;
  } finally {
    await driver.close();
  }
}

/**
 * `ensureTinyWorldLoaded()` for integration tests and the int global setup: generates the `tiny`
 * world (seed 1) into `<DATA_DIR>/world/tiny` when its manifest is missing, and loads it into the
 * test Neo4j unless the graph already holds exactly its counts; a test graph holding anything else
 * (another world, an older generator's output) is cleared first. Idempotent.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testDriver, testEmbedder, testServices, type TestServicesInfo } from "../services.js";
import { generateWorld } from "../../world/generate.js";
import { worldDir } from "../../world/paths.js";
import { readManifest } from "../../lib/jsonl.js";
import { WORLD_FILES, type CategoryRecord, type EventRecord, type ItemRecord, type TrendDocRecord, type ValueRecord, type WorldManifest } from "../../contracts/records.js";
import { openEmbeddingCache } from "../../kg/embedding-cache.js";
import { clearGraph, graphCounts, loadWorld, trendDocRow, type GraphCounts } from "../../kg/load.js";
import { createVocabularyTools } from "../../kg/vocab.js";

export const TINY_SEED = 1;

export interface TinyWorld {
  dir: string;
  manifest: WorldManifest;
}

/** Generates the tiny world when its manifest is missing; returns where it is. */
export async function ensureTinyWorldFiles(dataDir: string): Promise<TinyWorld> {
  const dir = worldDir("tiny", dataDir);
  if (!existsSync(join(dir, WORLD_FILES.manifest))) {
    return { dir, manifest: await generateWorld({ preset: "tiny", seed: TINY_SEED, outDir: dir }) };
  }
  return { dir, manifest: await readManifest(dir) };
}

function jsonl<T>(dir: string, kind: keyof typeof WORLD_FILES): T[] {
  return readFileSync(join(dir, WORLD_FILES[kind]), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/** The node and relationship counts a graph holding exactly the world in `dir` has. */
export function expectedCounts(dir: string): { nodes: Partial<GraphCounts["nodes"]>; relationships: Partial<GraphCounts["relationships"]> } {
  const categories = jsonl<CategoryRecord>(dir, "categories");
  const values = jsonl<ValueRecord>(dir, "values");
  const items = jsonl<ItemRecord>(dir, "items");
  const events = jsonl<EventRecord>(dir, "events");
  const searches = events.filter((e) => e.type === "search");
  const tools = createVocabularyTools(values, categories);
  const mentions = jsonl<TrendDocRecord>(dir, "trends").reduce((n, doc) => {
    const row = trendDocRow(doc, tools);
    return n + row.valueMentions.length + row.categoryMentions.length;
  }, 0);
  return {
    nodes: {
      Category: categories.length,
      Value: values.length,
      Seller: jsonl(dir, "sellers").length,
      Item: items.length,
      User: jsonl(dir, "buyers").length,
      TrendDoc: jsonl(dir, "trends").length,
      SearchTerm: new Set(searches.map((e) => e.searchTerm)).size,
    },
    relationships: {
      BEHAVED: events.length - searches.length,
      SEARCHED: searches.length,
      IN: items.length,
      SOLD_BY: items.length,
      HAS: items.reduce((n, i) => n + (i.valueIds?.length ?? 0), 0),
      OF: values.length,
      PARENT: categories.filter((c) => c.parentId !== null).length,
      ALLOWS: categories.reduce((n, c) => n + c.allows.length, 0),
      MENTIONS: mentions,
    },
  };
}

function holdsExactly(graph: GraphCounts, expected: ReturnType<typeof expectedCounts>): boolean {
  const same = <K extends string>(actual: Record<K, number>, want: Partial<Record<K, number>>) =>
    Object.entries(want).every(([k, v]) => actual[k as K] === v);
  return same(graph.nodes, expected.nodes) && same(graph.relationships, expected.relationships) && graph.relationships.PAIRS_WITH > 0;
}

/** Makes sure the test Neo4j holds the tiny world (and only it); returns its files. */
export async function ensureTinyWorldLoaded(info: TestServicesInfo = testServices()): Promise<TinyWorld> {
  const world = await ensureTinyWorldFiles(info.dataDir);
  const driver = testDriver(info);
  try {
    const expected = expectedCounts(world.dir);
    if (holdsExactly(await graphCounts(driver), expected)) return world;
    await clearGraph(driver);
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

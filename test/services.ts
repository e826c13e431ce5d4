/**
 * Helpers for integration tests: the addresses of the real services that the `int` project's
 * global setup (`test/global-setup.ts`) provided, a driver and an embedder on them, and
 * `prepareTestWorld`, which loads the `tiny` world into the test Neo4j.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import neo4j, { type Driver } from "neo4j-driver";
import { inject } from "vitest";
import { z } from "zod";
import { createEmbedder, type Embedder } from "../llm/embeddings.js";
import { loadServicesConfig } from "../services/config.js";

/** What the global setup provides to the tests. */
export const TestServicesInfo = z.object({
  neo4jUri: z.string().min(1),
  neo4jUser: z.string(),
  neo4jPassword: z.string(),
  embeddingsBaseUrl: z.url(),
  embeddingsApiKey: z.string().min(1),
  embeddingsModel: z.string().min(1),
  embeddingsModality: z.enum(["prefix", "model", "none"]),
  dataDir: z.string().min(1),
});
export type TestServicesInfo = z.infer<typeof TestServicesInfo>;

declare module "vitest" {
  export interface ProvidedContext {
    services: TestServicesInfo;
  }
}

/** The services the global setup provided (through `inject`; the environment as a fallback). */
export function testServices(): TestServicesInfo {
  let provided: unknown;
  try {
    provided = inject("services");
  } catch {
    provided = undefined;
  }
  if (provided !== undefined) return TestServicesInfo.parse(provided);
  const cfg = loadServicesConfig();
  if (!cfg.neo4j.uri || !cfg.embeddings.baseUrl) {
    throw new Error("no test services: run integration tests through vitest's `int` project (global setup test/global-setup.ts)");
  }
  return {
    neo4jUri: cfg.neo4j.uri,
    neo4jUser: cfg.neo4j.user,
    neo4jPassword: cfg.neo4j.password,
    embeddingsBaseUrl: cfg.embeddings.baseUrl,
    embeddingsApiKey: cfg.embeddings.apiKey,
    embeddingsModel: cfg.embeddings.model,
    embeddingsModality: cfg.embeddings.modality,
    dataDir: cfg.dataDir,
  };
}

/** A driver on the test Neo4j; the caller closes it. */
export function testDriver(info: TestServicesInfo = testServices()): Driver {
  return neo4j.driver(info.neo4jUri, neo4j.auth.basic(info.neo4jUser, info.neo4jPassword), { telemetryDisabled: true });
}

/** An `Embedder` on the test embedding server. */
export function testEmbedder(info: TestServicesInfo = testServices()): Promise<Embedder> {
  return createEmbedder({
    baseUrl: info.embeddingsBaseUrl,
    apiKey: info.embeddingsApiKey,
    model: info.embeddingsModel,
    modality: info.embeddingsModality,
  });
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function importIfPresent(relTs: string): Promise<Record<string, unknown> | null> {
  const file = path.join(ROOT, relTs);
  if (!fs.existsSync(file)) return null;
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

type AnyFn = (...args: unknown[]) => Promise<unknown> | unknown;
const isFn = (v: unknown): v is AnyFn => typeof v === "function";

/**
 * Generates the `tiny` world (seed 1) under `<dataDir>/test-world/tiny` and loads it into the
 * test Neo4j (the loader is idempotent). Does nothing while `world/generate.ts` or `kg/load.ts`
 * do not exist yet. Returns whether a world was loaded.
 */
export async function prepareTestWorld(info: TestServicesInfo): Promise<boolean> {
  const gen = await importIfPresent("world/generate.ts");
  const load = await importIfPresent("kg/load.ts");
  if (!gen || !load || !isFn(gen.generateWorld) || !isFn(load.loadWorld)) return false;
  const outDir = path.join(info.dataDir, "test-world", "tiny");
  await gen.generateWorld({ preset: "tiny", seed: 1, outDir });
  const cacheMod = await importIfPresent("kg/embedding-cache.ts");
  const cache =
    cacheMod && isFn(cacheMod.openEmbeddingCache)
      ? (cacheMod.openEmbeddingCache(path.join(info.dataDir, "cache", "embeddings.sqlite")) as { close(): void })
      : undefined;
  const driver = testDriver(info);
  try {
    const embedder = await testEmbedder(info);
    await load.loadWorld(outDir, { driver, embedder, cache });
  } finally {
    cache?.close();
    await driver.close();
  }
  return true;
}

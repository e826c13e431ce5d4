/**
 * Helpers for integration tests: the addresses of the real services that the `int` project's
 * global setup (`test/global-setup.ts`) provided, and a driver and an embedder on them.
 */
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



/**
 * Vitest global setup of the `int` project: ensures the test Neo4j (`.data/neo4j-test`, its own
 * port) and the embedding server, exports their addresses through the environment and
 * `provide("services")`, loads the `tiny` world once (under a lock, so concurrent runs do not load
 * it twice at once), and on teardown releases what it started (see `RunningServices.stop`).
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { withLock } from "../services/process.js";
import { ensureServices, modalityEnvValue } from "../services/index.js";
import type { TestServicesInfo } from "./services.js";
import { ensureTinyWorldLoaded } from "./support/test-world.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await ensureServices({ instance: "test" });
  try {
    const cfg = services.config;
    const info: TestServicesInfo = {
      neo4jUri: services.neo4jUri,
      neo4jUser: services.neo4jAuth.user,
      neo4jPassword: services.neo4jAuth.password,
      embeddingsBaseUrl: services.embeddingsBaseUrl,
      embeddingsApiKey: cfg.embeddings.apiKey,
      embeddingsModel: cfg.embeddings.model,
      embeddingsModality: cfg.embeddings.modality,
      dataDir: cfg.dataDir,
    };
    Object.assign(process.env, {
      NEO4J_URI: info.neo4jUri,
      NEO4J_USER: info.neo4jUser,
      NEO4J_PASSWORD: info.neo4jPassword,
      EMBEDDINGS_BASE_URL: info.embeddingsBaseUrl,
      EMBEDDINGS_API_KEY: info.embeddingsApiKey,
      EMBEDDINGS_MODEL: info.embeddingsModel,
      EMBEDDINGS_TEXT_PREFIX: modalityEnvValue(info.embeddingsModality),
    });
    project.provide("services", info);
    await withLock(path.join(cfg.dataDir, "run", "test-world.lock"), () => ensureTinyWorldLoaded(info));
  } catch (e) {
    await services.stop();
    throw e;
  }
  return () => services.stop();
}

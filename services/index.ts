/**
 * The one module that owns the project's real services: `ensureServices` starts what is
 * missing (or checks the configured servers), reuses what already runs, waits for readiness and
 * returns the addresses with a `stop()` that releases them (stopping only what it started, once
 * no other live process uses it); `status` and `stopServices` serve `npm run services`.
 */
import { loadServicesConfig, type ServicesConfig } from "./config.js";
import { embeddingsStatus, embeddingsTarget, ensureEmbeddings, releaseEmbeddings, stopEmbeddings } from "./embeddings.js";
import { ensureNeo4j, neo4jStatus, neo4jTarget, releaseNeo4j, stopNeo4j, type Instance, type Neo4jAuth, type ServiceStatus } from "./neo4j.js";
import { ServiceError } from "./process.js";
import { ensureLocalLlm, localLlmStatus, releaseLocalLlm, stopLocalLlm } from "./llm.js";

export { ENV_VARS, loadServicesConfig, modalityEnvValue, type ServicesConfig, type Modality } from "./config.js";
export { ServiceError } from "./process.js";
export type { Instance, Neo4jAuth, ServiceStatus } from "./neo4j.js";

/** What to ensure. */
export interface EnsureOptions {
  /** Ensure Neo4j (default true). */
  neo4j?: boolean;
  /** Ensure the embedding server (default true). */
  embeddings?: boolean;
  /** Ensure the local model server (default `LOCAL_LLM`, i.e. off). */
  llm?: boolean;
  /** Which embedded Neo4j: the dev/demo one (default) or the test one. */
  instance?: Instance;
  /** Defaults to `loadServicesConfig()`. */
  config?: ServicesConfig;
}

/** Addresses of the services and a handle that stops what this call started. */
export interface RunningServices {
  neo4jUri: string;
  neo4jAuth: Neo4jAuth;
  embeddingsBaseUrl: string;
  /** The local model server's base URL and model, when it was ensured. */
  llm?: { baseUrl: string; model: string };
  config: ServicesConfig;
  /** Names of the services this call started (e.g. `neo4j (test)`, `embeddings`). */
  started: string[];
  /** Names of the services this call found running and reused or checked. */
  reused: string[];
  /**
   * Releases what this call ensured: a service this call started is stopped once no other live
   * process that ensured it still uses it (then the last such process stops it on its release);
   * services found running are left running.
   */
  stop(): Promise<void>;
}

/** Ensures the requested services answer; on failure releases whatever this call had ensured. */
export async function ensureServices(opts: EnsureOptions = {}): Promise<RunningServices> {
  const config = opts.config ?? loadServicesConfig();
  const instance = opts.instance ?? "dev";
  const started: string[] = [];
  const reused: string[] = [];
  const stoppers: Array<() => Promise<unknown>> = [];
  const neoName = `neo4j (${instance})`;
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s();
  };
  const [neo, emb, llm] = await Promise.allSettled([
    opts.neo4j === false ? null : ensureNeo4j(config, instance),
    opts.embeddings === false ? null : ensureEmbeddings(config),
    (opts.llm ?? config.llm.enabled) ? ensureLocalLlm(config) : null,
  ]);
  if (neo.status === "fulfilled" && neo.value) {
    (neo.value.started ? started : reused).push(neoName);
    const startedByUs = neo.value.started;
    if (neo.value.pid !== null) stoppers.push(() => releaseNeo4j(config, instance, startedByUs));
  }
  if (emb.status === "fulfilled" && emb.value) {
    (emb.value.started ? started : reused).push("embeddings");
    const startedByUs = emb.value.started;
    if (emb.value.pid !== null) stoppers.push(() => releaseEmbeddings(config, startedByUs));
  }
  if (llm.status === "fulfilled" && llm.value) {
    (llm.value.started ? started : reused).push("llm (local)");
    const startedByUs = llm.value.started;
    if (llm.value.pid !== null) stoppers.push(() => releaseLocalLlm(config, startedByUs));
  }
  const failed = [neo, emb, llm].filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length > 0) {
    await stop();
    if (failed.length === 1) throw failed[0].reason;
    throw new ServiceError(failed.map((f) => errorMessage(f.reason)).join("\n"));
  }
  const nt = neo4jTarget(config, instance);
  return {
    neo4jUri: nt.uri,
    neo4jAuth: nt.auth,
    embeddingsBaseUrl: embeddingsTarget(config).baseUrl,
    ...(llm.status === "fulfilled" && llm.value ? { llm: { baseUrl: llm.value.baseUrl, model: llm.value.model } } : {}),
    config,
    started,
    reused,
    stop,
  };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Status of the dev and test Neo4j, the embedding server and the local model server. */
export async function status(config: ServicesConfig = loadServicesConfig()): Promise<ServiceStatus[]> {
  return Promise.all([neo4jStatus(config, "dev"), neo4jStatus(config, "test"), embeddingsStatus(config), localLlmStatus(config)]);
}

/** Stops our embedded services (all instances, or one Neo4j instance and the embedding server); returns the names stopped. */
export async function stopServices(config: ServicesConfig = loadServicesConfig(), instance?: Instance): Promise<string[]> {
  const stopped: string[] = [];
  for (const inst of instance ? [instance] : (["dev", "test"] as const)) {
    if (await stopNeo4j(config, inst)) stopped.push(`neo4j (${inst})`);
  }
  if (await stopEmbeddings(config)) stopped.push("embeddings");
  if (await stopLocalLlm(config)) stopped.push("llm (local)");
  return stopped;
}

/**
 * Service configuration: the environment parsed once (per call) with zod into a typed config.
 *
 * Unset `NEO4J_URI` / `EMBEDDINGS_BASE_URL` select the embedded servers that the project starts
 * itself (see `services/index.ts`); set, they point at production servers and nothing is started.
 * The variables, their defaults and schemas are the `services` group of the registry `lib/env.ts`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { envGroupSchema, envVarDocs, readEnvGroup, type EnvVarDoc } from "../lib/env.js";

/** The project root (the folder that holds `package.json`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One documented environment variable. */
export type EnvVar = EnvVarDoc;

/** Every environment variable the services read, with its default and meaning (from `lib/env.ts`). */
export const ENV_VARS: readonly EnvVar[] = envVarDocs(["services"]);

/** The zod schema of the variables (keys = names), from the registry. */
export const ServicesEnv = envGroupSchema("services");

/** How the e5 query/passage modality reaches the embedding server. */
export type Modality = "prefix" | "model" | "none";

/** The typed service configuration. */
export interface ServicesConfig {
  neo4j: {
    /** Set: use this server and start nothing. */
    uri: string | undefined;
    user: string;
    password: string;
    boltPort: number;
    testBoltPort: number;
    heap: string;
    pagecacheMb: number;
    /** Bolt connection (and pool acquisition) time limit. */
    connectionTimeoutMs: number;
    /** Retry budget of a managed transaction. */
    maxRetryMs: number;
  };
  embeddings: {
    /** Set: use this server and start nothing. */
    baseUrl: string | undefined;
    apiKey: string;
    model: string;
    port: number;
    modality: Modality;
  };
  postgres: {
    /** `POSTGRES_URL`, else `DATABASE_URL`; unset selects the SQLite files. */
    url: string | undefined;
    poolMax: number;
    /** Port of the local Postgres started by `services -- up --scale` and the scale tests. */
    port: number;
  };
  redis: {
    /** Set: near-line triggers go through this Redis. */
    url: string | undefined;
    port: number;
  };
  /** The local model server (services/llm.ts). */
  llm: {
    /** Start it with the other services (`LOCAL_LLM=true`). */
    enabled: boolean;
    port: number;
    threads: number;
    contextSize: number;
  };
  /** Absolute data directory. */
  dataDir: string;
}

/** Thrown when the environment does not parse; the message names each bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment (default `process.env`) into a `ServicesConfig`. */
export function loadServicesConfig(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  const e = readEnvGroup("services", env, (lines) => new ConfigError(`invalid environment:\n  ${lines.join("\n  ")}`));
  const prefix = e.EMBEDDINGS_TEXT_PREFIX ?? (e.EMBEDDINGS_BASE_URL ? "false" : "model");
  const modality: Modality = prefix === "true" ? "prefix" : prefix === "model" ? "model" : "none";
  return {
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      boltPort: e.NEO4J_BOLT_PORT,
      testBoltPort: e.NEO4J_TEST_BOLT_PORT,
      heap: e.NEO4J_HEAP,
      pagecacheMb: e.NEO4J_PAGECACHE_MB,
      connectionTimeoutMs: e.NEO4J_CONNECTION_TIMEOUT_MS,
      maxRetryMs: e.NEO4J_MAX_RETRY_MS,
    },
    embeddings: {
      baseUrl: e.EMBEDDINGS_BASE_URL?.replace(/\/+$/, ""),
      apiKey: e.EMBEDDINGS_API_KEY,
      model: e.EMBEDDINGS_MODEL,
      port: e.EMBEDDINGS_PORT,
      modality,
    },
    postgres: { url: e.POSTGRES_URL ?? e.DATABASE_URL, poolMax: e.POSTGRES_POOL_MAX, port: e.POSTGRES_PORT },
    redis: { url: e.REDIS_URL, port: e.REDIS_PORT },
    llm: { enabled: e.LOCAL_LLM === "true", port: e.LOCAL_LLM_PORT, threads: e.LOCAL_LLM_THREADS, contextSize: e.LOCAL_LLM_CONTEXT },
    dataDir: path.resolve(PROJECT_ROOT, e.DATA_DIR),
  };
}

/** The `EMBEDDINGS_TEXT_PREFIX` value that reproduces a modality. */
export function modalityEnvValue(m: Modality): "true" | "false" | "model" {
  return m === "prefix" ? "true" : m === "model" ? "model" : "false";
}

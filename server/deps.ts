/**
 * What the HTTP app talks to (`createApp(deps)`): the graph runner, the event sink, the user
 * directory, the latest-results store, the near-line trigger engine, readiness probes, keys,
 * limits, logging, metrics and the clock.
 */
import type { Logger } from "pino";
import type { ServerLimits } from "./env.js";
import type { Metrics } from "./metrics.js";
import type { EventSink, ReadinessProbe, UserDirectory } from "./ports.js";
import type { RecommendationRunner } from "./runner.js";
import type { ResultStore } from "./store.js";
import type { TriggerEngine } from "./triggers.js";

export interface AppDeps {
  runner: RecommendationRunner;
  events: EventSink;
  users: UserDirectory;
  store: ResultStore;
  triggers: TriggerEngine;
  probes: ReadinessProbe[];
  /** Accepted bearer keys; must not be empty (no open mode). */
  apiKeys: string[];
  limits: ServerLimits;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** Interval of SSE keep-alive comments during long runs (default 15 s). */
  sseKeepAliveMs?: number;
}

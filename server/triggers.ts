/**
 * Near-line triggers: after each stored batch, decide which buyers to re-run and run them in the
 * background. A buyer is re-run after `views` product-detail views since its last run, or at once
 * on a global behaviour (search, inquiry, order). Runs are debounced (a minimum interval per
 * buyer), single-flight (a trigger during a run schedules exactly one follow-up) and bounded by a
 * worker pool; results go to the `ResultStore`. `TriggerEngine` is the seam where a distributed
 * queue can replace the in-process implementation.
 */
import type { Logger } from "pino";
import type { EventType } from "../contracts/records.js";
import type { TriggerSettings } from "./env.js";
import type { Metrics } from "./metrics.js";
import { SECONDS_BUCKETS } from "./metrics.js";
import type { RecommendationRunner } from "./runner.js";
import type { ResultStore } from "./store.js";

/** A stored event as the trigger engine sees it. */
export interface TriggerEvent {
  eventId: string;
  userId: string;
  type: EventType;
}

export type TriggerReason = "views" | "search" | "inquiry" | "order" | "follow_up";

export interface TriggerStats {
  /** Buyers waiting for a worker. */
  queued: number;
  /** Buyers waiting for their debounce interval to pass. */
  delayed: number;
  running: number;
  completed: number;
  failed: number;
}

export interface TriggerEngine {
  /** Notes events that were just stored; schedules runs and returns the buyers triggered. */
  onEvents(events: TriggerEvent[]): string[] | Promise<string[]>;
  /** A run of this buyer finished outside the engine (an invoke): its view count restarts. */
  noteRun(userId: string): void | Promise<void>;
  stats(): TriggerStats;
  /** Resolves when nothing is queued, delayed or running. */
  idle(): Promise<void>;
  /** Cancels delayed runs, aborts running ones and waits for them. */
  close(): Promise<void>;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface LocalTriggerOptions {
  runner: RecommendationRunner;
  store: ResultStore;
  settings: TriggerSettings;
  logger: Logger;
  metrics?: Metrics;
  clock?: Clock;
  /** Time limit of one near-line run. */
  runTimeoutMs?: number;
  /** How many recent event ids are remembered so that retried events are not counted twice. */
  seenCapacity?: number;
}

interface BuyerState {
  views: number;
  lastRunAt: number | null;
  running: boolean;
  followUp: boolean;
  queued: boolean;
  timer: unknown;
}

const IMMEDIATE: ReadonlySet<EventType> = new Set(["search", "inquiry", "order"]);

/** The in-process engine answers synchronously. */
export interface LocalTriggerEngine extends TriggerEngine {
  onEvents(events: TriggerEvent[]): string[];
  noteRun(userId: string): void;
}

/** The in-process trigger engine. */
export function createLocalTriggerEngine(opts: LocalTriggerOptions): LocalTriggerEngine {
  const clock = opts.clock ?? realClock;
  const { settings, logger } = opts;
  const buyers = new Map<string, BuyerState>();
  const queue: string[] = [];
  const seen = new Set<string>();
  const seenCapacity = opts.seenCapacity ?? 100_000;
  const inflight = new Set<Promise<void>>();
  const closing = new AbortController();
  let running = 0;
  let delayed = 0;
  let completed = 0;
  let failed = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const runs = opts.metrics?.counter("chrysalis_nearline_runs_total", "Near-line runs by outcome");
  const triggers = opts.metrics?.counter("chrysalis_nearline_triggers_total", "Near-line triggers by reason");
  const latency = opts.metrics?.histogram("chrysalis_nearline_run_seconds", "Near-line run latency", SECONDS_BUCKETS);
  opts.metrics?.gauge("chrysalis_nearline_queue_depth", "Buyers waiting for a near-line worker", () => queue.length);
  opts.metrics?.gauge("chrysalis_nearline_delayed", "Buyers waiting for their debounce interval", () => delayed);
  opts.metrics?.gauge("chrysalis_nearline_running", "Near-line runs in progress", () => running);

  const state = (userId: string): BuyerState => {
    let s = buyers.get(userId);
    if (!s) buyers.set(userId, (s = { views: 0, lastRunAt: null, running: false, followUp: false, queued: false, timer: null }));
    return s;
  };

  const isIdle = () => queue.length === 0 && delayed === 0 && running === 0;
  const checkIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((w) => w());
  };

  const remember = (eventId: string): boolean => {
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    if (seen.size > seenCapacity) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    return true;
  };

  const pump = () => {
    while (!closed && running < settings.concurrency && queue.length > 0) {
      const userId = queue.shift() as string;
      const s = state(userId);
      s.queued = false;
      start(userId, s);
    }
    checkIdle();
  };

  const enqueue = (userId: string, s: BuyerState) => {
    s.queued = true;
    queue.push(userId);
    pump();
  };

  const trigger = (userId: string, reason: TriggerReason): boolean => {
    if (closed || !settings.enabled) return false;
    const s = state(userId);
    triggers?.inc({ reason });
    if (s.running) {
      s.followUp = true;
      return true;
    }
    if (s.queued || s.timer !== null) return true;
    const wait = s.lastRunAt === null ? 0 : s.lastRunAt + settings.minIntervalMs - clock.now();
    if (wait <= 0) {
      enqueue(userId, s);
      return true;
    }
    delayed += 1;
    s.timer = clock.setTimeout(() => {
      s.timer = null;
      delayed -= 1;
      if (!closed) enqueue(userId, s);
      checkIdle();
    }, wait);
    return true;
  };

  const start = (userId: string, s: BuyerState) => {
    s.running = true;
    s.views = 0;
    s.lastRunAt = clock.now();
    running += 1;
    const t0 = performance.now();
    const signals = [closing.signal];
    if (opts.runTimeoutMs) signals.push(AbortSignal.timeout(opts.runTimeoutMs));
    const p = opts.runner
      .run(userId, { signal: AbortSignal.any(signals) })
      .then((result) => {
        return Promise.resolve(opts.store.putLatest(result, "nearline")).then(() => result);
      })
      .then((result) => {
        completed += 1;
        runs?.inc({ outcome: "ok" });
        latency?.observe((performance.now() - t0) / 1000, { outcome: "ok" });
        logger.info({ userId, ms: Math.round(performance.now() - t0), runId: result.runId }, "near-line run stored");
      })
      .catch((err: unknown) => {
        failed += 1;
        runs?.inc({ outcome: "error" });
        latency?.observe((performance.now() - t0) / 1000, { outcome: "error" });
        logger.warn({ userId, err: err instanceof Error ? err.message : String(err) }, "near-line run failed");
      })
      .finally(() => {
        s.running = false;
        running -= 1;
        inflight.delete(p);
        if (s.followUp) {
          s.followUp = false;
          trigger(userId, "follow_up");
        }
        pump();
      });
    inflight.add(p);
  };

  return {
    onEvents(events) {
      const triggered = new Set<string>();
      for (const e of events) {
        if (!remember(e.eventId)) continue;
        let fired = false;
        if (e.type === "view") {
          const s = state(e.userId);
          s.views += 1;
          if (s.views >= settings.views) fired = trigger(e.userId, "views");
        } else if (IMMEDIATE.has(e.type)) {
          fired = trigger(e.userId, e.type as TriggerReason);
        }
        if (fired) triggered.add(e.userId);
      }
      return [...triggered];
    },
    noteRun(userId) {
      const s = state(userId);
      s.views = 0;
      s.lastRunAt = clock.now();
    },
    stats() {
      return { queued: queue.length, delayed, running, completed, failed };
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      for (const s of buyers.values()) {
        if (s.timer !== null) {
          clock.clearTimeout(s.timer);
          s.timer = null;
          delayed -= 1;
        }
      }
      queue.length = 0;
      closing.abort(new Error("trigger engine closed"));
      await Promise.allSettled([...inflight]);
      checkIdle();
    },
  };
}

/**
 * Near-line triggers shared by every replica: a `TriggerEngine` on Redis with BullMQ. Event ids
 * are deduplicated (`SET NX`, one day), view counters live in Redis (`<prefix>:views:<buyer>`),
 * so the `TRIGGER_VIEWS`-th view counts wherever it arrives. A trigger schedules at most one job
 * per buyer (`SET NX` on `<prefix>:sched:<buyer>`), delayed until `TRIGGER_MIN_INTERVAL_MS` after
 * the buyer's last run (debounce); a worker takes a per-buyer lock (`<prefix>:lock:<buyer>`,
 * renewed while running; a job for a buyer whose run holds it waits for it) before it runs, and clears the schedule marker at start so that a
 * trigger during a run schedules exactly one follow-up (single-flight across replicas). Failed
 * runs are retried with exponential backoff; after the last attempt the job goes to the
 * dead-letter list `<prefix>:dead`. A job whose replica dies is found stalled by BullMQ after
 * `TRIGGER_LOCK_MS` and taken by another replica; its runs use the job's id as the LangGraph
 * thread id, so with the Postgres checkpointer the taken-over run resumes from its last checkpoint.
 * A job whose result was stored (`<prefix>:done:<job>`) is not run again when BullMQ hands it to a
 * second replica after a lost lock (a replica too busy to renew it).
 */
import { randomUUID } from "node:crypto";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { EventType } from "../contracts/records.js";
import type { TriggerSettings } from "./env.js";
import type { Metrics } from "./metrics.js";
import { SECONDS_BUCKETS } from "./metrics.js";
import type { RecommendationRunner } from "./runner.js";
import type { ResultStore } from "./store.js";
import type { TriggerEngine, TriggerEvent, TriggerReason, TriggerStats } from "./triggers.js";

/** Retry and failure-detection settings of the queue. */
export interface QueueSettings {
  /** Attempts per job (1 = no retry). */
  attempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
  /** Job and per-buyer lock duration: a replica that stops renewing loses its job after this. */
  lockMs: number;
}

export const DEFAULT_QUEUE: QueueSettings = { attempts: 3, backoffMs: 2000, lockMs: 30_000 };

export interface RedisTriggerOptions {
  redisUrl: string;
  /** Key prefix of every key and of the BullMQ queue (tests use a fresh one). */
  prefix?: string;
  runner: RecommendationRunner;
  store: ResultStore;
  settings: TriggerSettings;
  queue?: QueueSettings;
  logger: Logger;
  metrics?: Metrics;
  runTimeoutMs?: number;
  /** Start a worker on this replica (default true); false only enqueues. */
  work?: boolean;
  /** Drops a stored run's checkpoints (they only serve resumption), e.g. the checkpointer's `deleteThread`. */
  forgetThread?: (threadId: string) => Promise<void>;
}

/** One dead-lettered trigger. */
export interface DeadLetter {
  jobId: string;
  userId: string;
  reason: TriggerReason;
  attempts: number;
  error: string;
  failedAt: string;
}

interface JobData {
  userId: string;
  reason: TriggerReason;
}

const IMMEDIATE: ReadonlySet<EventType> = new Set(["search", "inquiry", "order"]);
const QUEUE_NAME = "nearline";
const SEEN_TTL_S = 86_400;
const DEAD_LETTER_CAP = 10_000;
const LOCK_BUSY_RETRY_MS = 250;

const RELEASE_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** The engine plus what the scale tests and operators inspect. */
export interface RedisTriggerEngine extends TriggerEngine {
  deadLetters(): Promise<DeadLetter[]>;
  /** Views counted since the buyer's last run, across replicas. */
  views(userId: string): Promise<number>;
}

export function createRedisTriggerEngine(opts: RedisTriggerOptions): RedisTriggerEngine {
  const prefix = opts.prefix ?? "chrysalis";
  const q = opts.queue ?? DEFAULT_QUEUE;
  const { settings, logger } = opts;
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on("error", (err: Error) => logger.warn({ err: err.message }, "redis error"));
  const queue = new Queue<JobData>(QUEUE_NAME, { connection: redis, prefix });
  const key = {
    seen: (eventId: string) => `${prefix}:seen:${eventId}`,
    views: (userId: string) => `${prefix}:views:${userId}`,
    lastRun: (userId: string) => `${prefix}:lastrun:${userId}`,
    sched: (userId: string) => `${prefix}:sched:${userId}`,
    lock: (userId: string) => `${prefix}:lock:${userId}`,
    done: (jobId: string) => `${prefix}:done:${jobId}`,
    dead: `${prefix}:dead`,
  };
  const closing = new AbortController();
  let closed = false;
  let running = 0;
  let completed = 0;
  let failed = 0;
  let counts = { queued: 0, delayed: 0, active: 0 };

  const runs = opts.metrics?.counter("chrysalis_nearline_runs_total", "Near-line runs by outcome");
  const triggers = opts.metrics?.counter("chrysalis_nearline_triggers_total", "Near-line triggers by reason");
  const latency = opts.metrics?.histogram("chrysalis_nearline_run_seconds", "Near-line run latency", SECONDS_BUCKETS);
  opts.metrics?.gauge("chrysalis_nearline_queue_depth", "Buyers waiting for a near-line worker (all replicas)", () => counts.queued);
  opts.metrics?.gauge("chrysalis_nearline_delayed", "Buyers waiting for their debounce interval (all replicas)", () => counts.delayed);
  opts.metrics?.gauge("chrysalis_nearline_running", "Near-line runs in progress on this replica", () => running);

  const refreshCounts = async () => {
    const c = await queue.getJobCounts("waiting", "prioritized", "delayed", "active");
    counts = { queued: (c.waiting ?? 0) + (c.prioritized ?? 0), delayed: c.delayed ?? 0, active: c.active ?? 0 };
    return counts;
  };
  const poll = setInterval(() => void refreshCounts().catch(() => undefined), 1000);
  poll.unref();

  const scheduleTtlMs = () => settings.minIntervalMs + (opts.runTimeoutMs ?? 120_000) + q.lockMs * 2 + q.backoffMs * 2 ** q.attempts;

  const trigger = async (userId: string, reason: TriggerReason): Promise<boolean> => {
    if (closed || !settings.enabled) return false;
    triggers?.inc({ reason });
    const jobId = `nl-${randomUUID()}`;
    const claimed = await redis.set(key.sched(userId), jobId, "PX", scheduleTtlMs(), "NX");
    if (claimed === null) return true;
    const last = Number((await redis.get(key.lastRun(userId))) ?? "NaN");
    const delay = Number.isFinite(last) ? Math.max(0, last + settings.minIntervalMs - Date.now()) : 0;
    try {
      await queue.add("run", { userId, reason }, {
        jobId,
        delay,
        attempts: q.attempts,
        backoff: { type: "exponential", delay: q.backoffMs },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      });
    } catch (err) {
      await redis.eval(RELEASE_LOCK, 1, key.sched(userId), jobId);
      throw err;
    }
    return true;
  };

  const process = async (job: Job<JobData>): Promise<void> => {
    const { userId } = job.data;
    const jobId = job.id as string;
    const lockToken = `${jobId}:${randomUUID()}`;
    while ((await redis.set(key.lock(userId), lockToken, "PX", q.lockMs, "NX")) === null) {
      if (closing.signal.aborted) throw new Error("trigger engine closed");
      await new Promise((r) => setTimeout(r, LOCK_BUSY_RETRY_MS));
    }
    if ((await redis.exists(key.done(jobId))) === 1) {
      await redis.eval(RELEASE_LOCK, 1, key.lock(userId), lockToken);
      logger.info({ userId, jobId }, "near-line job already stored by another replica");
      return;
    }
    const renew = setInterval(() => void redis.eval(RENEW_LOCK, 1, key.lock(userId), lockToken, String(q.lockMs)).catch(() => undefined), Math.max(200, Math.floor(q.lockMs / 3)));
    const t0 = performance.now();
    running += 1;
    logger.info({ userId, jobId, attempt: job.attemptsMade + 1 }, "near-line run starting");
    try {
      await redis
        .multi()
        .eval(RELEASE_LOCK, 1, key.sched(userId), jobId)
        .set(key.lastRun(userId), String(Date.now()))
        .set(key.views(userId), "0")
        .exec();
      const signals = [closing.signal];
      if (opts.runTimeoutMs) signals.push(AbortSignal.timeout(opts.runTimeoutMs));
      const result = await opts.runner.run(userId, { signal: AbortSignal.any(signals), threadId: jobId });
      await opts.store.putLatest(result, "nearline");
      await redis.set(key.done(jobId), "1", "EX", SEEN_TTL_S);
      await opts.forgetThread?.(result.runId).catch((err: unknown) => logger.warn({ userId, jobId, err: err instanceof Error ? err.message : String(err) }, "could not delete the run's checkpoints"));
      completed += 1;
      runs?.inc({ outcome: "ok" });
      latency?.observe((performance.now() - t0) / 1000, { outcome: "ok" });
      logger.info({ userId, jobId, attempt: job.attemptsMade + 1, ms: Math.round(performance.now() - t0), runId: result.runId }, "near-line run stored");
    } catch (err) {
      failed += 1;
      runs?.inc({ outcome: "error" });
      latency?.observe((performance.now() - t0) / 1000, { outcome: "error" });
      logger.warn({ userId, jobId, attempt: job.attemptsMade + 1, err: err instanceof Error ? err.message : String(err) }, "near-line run failed");
      throw err;
    } finally {
      clearInterval(renew);
      running -= 1;
      await redis.eval(RELEASE_LOCK, 1, key.lock(userId), lockToken).catch(() => undefined);
    }
  };

  const worker =
    opts.work === false
      ? null
      : new Worker<JobData>(QUEUE_NAME, process, {
          connection: redis,
          prefix,
          concurrency: settings.concurrency,
          lockDuration: q.lockMs,
          stalledInterval: Math.max(500, Math.floor(q.lockMs / 2)),
          maxStalledCount: 2,
        });
  worker?.on("error", (err) => logger.warn({ err: err.message }, "near-line worker error"));
  worker?.on("failed", (job, err) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const letter: DeadLetter = {
      jobId: job.id as string,
      userId: job.data.userId,
      reason: job.data.reason,
      attempts: job.attemptsMade,
      error: err.message,
      failedAt: new Date().toISOString(),
    };
    void redis
      .multi()
      .lpush(key.dead, JSON.stringify(letter))
      .ltrim(key.dead, 0, DEAD_LETTER_CAP - 1)
      .exec()
      .catch(() => undefined);
    logger.error({ ...letter }, "near-line trigger dead-lettered");
  });

  const isIdle = async () => {
    const c = await refreshCounts();
    return c.queued === 0 && c.delayed === 0 && c.active === 0 && running === 0;
  };

  return {
    async onEvents(events: TriggerEvent[]) {
      if (events.length === 0) return [];
      const seen = redis.pipeline();
      for (const e of events) seen.set(key.seen(e.eventId), "1", "EX", SEEN_TTL_S, "NX");
      const fresh = ((await seen.exec()) ?? []).map(([err, res]) => err === null && res === "OK");
      const viewsOf = new Map<string, number>();
      const immediate: Array<[string, TriggerReason]> = [];
      events.forEach((e, i) => {
        if (!fresh[i]) return;
        if (e.type === "view") viewsOf.set(e.userId, (viewsOf.get(e.userId) ?? 0) + 1);
        else if (IMMEDIATE.has(e.type)) immediate.push([e.userId, e.type as TriggerReason]);
      });
      const incr = redis.pipeline();
      const viewers = [...viewsOf.keys()];
      for (const u of viewers) incr.incrby(key.views(u), viewsOf.get(u) ?? 0);
      const totals = viewers.length > 0 ? ((await incr.exec()) ?? []).map(([, n]) => Number(n)) : [];
      const wanted: Array<[string, TriggerReason]> = [...immediate];
      viewers.forEach((u, i) => {
        if ((totals[i] ?? 0) >= settings.views) wanted.push([u, "views"]);
      });
      const triggered = new Set<string>();
      for (const [userId, reason] of wanted) {
        if (triggered.has(userId)) continue;
        if (await trigger(userId, reason)) triggered.add(userId);
      }
      return [...triggered];
    },
    async noteRun(userId) {
      await redis.multi().set(key.lastRun(userId), String(Date.now())).set(key.views(userId), "0").exec();
    },
    stats(): TriggerStats {
      return { queued: counts.queued, delayed: counts.delayed, running, completed, failed };
    },
    async idle() {
      while (!(await isIdle())) await new Promise((r) => setTimeout(r, 100));
    },
    async deadLetters() {
      return (await redis.lrange(key.dead, 0, -1)).map((s) => JSON.parse(s) as DeadLetter);
    },
    async views(userId) {
      return Number((await redis.get(key.views(userId))) ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      closing.abort(new Error("trigger engine closed"));
      await worker?.close();
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}

/**
 * A bounded run queue for on-demand invokes: at most `concurrency` runs execute at once, at most
 * `maxQueued` wait (first come, first served); more are refused with `RunQueueFullError`. Runs on
 * a CPU-bound process finish one after another instead of all together at the end, and the work
 * every run does on a cold process (catalog caches, item details, trend pools) is done by the
 * first runs and reused by the later ones. A waiter learns its position (1 = next to start) when
 * it is queued and whenever it moves; one whose signal aborts leaves the queue at once. Holds no
 * I/O of its own: reads and writes nothing but its in-memory state.
 */

export interface RunQueueStats {
  /** Runs executing now. */
  running: number;
  /** Runs waiting for a slot. */
  queued: number;
  concurrency: number;
  maxQueued: number;
  /** Mean duration of recent runs (exponentially weighted, ms); null before the first run ends. */
  meanRunMs: number | null;
}

export interface RunQueueOptions {
  concurrency: number;
  maxQueued: number;
  now?: () => number;
}

export interface QueuedRunOptions {
  signal?: AbortSignal;
  /** Called when the run is queued and each time it moves up: 1 = it starts next. Not called when it starts at once. */
  onPosition?: (position: number) => void;
}

export interface RunQueue {
  /** Runs `task` when a slot is free; rejects with `RunQueueFullError` when `maxQueued` runs already wait, with the signal's reason when it aborts while waiting. */
  run<T>(task: () => Promise<T>, opts?: QueuedRunOptions): Promise<T>;
  stats(): RunQueueStats;
  /** Seconds until a refused request is worth retrying: the time for the queue ahead of it to drain, at least 1. */
  retryAfterSeconds(): number;
}

/** Thrown when the queue is full; carries the queue's state at that moment. */
export class RunQueueFullError extends Error {
  override name = "RunQueueFullError";
  constructor(readonly stats: RunQueueStats) {
    super(`${stats.running} runs are executing and ${stats.queued} are queued (INVOKE_QUEUE_MAX ${stats.maxQueued})`);
  }
}

interface Waiter {
  start(): void;
  onPosition?: (position: number) => void;
}

const MEAN_WEIGHT = 0.2;

export function createRunQueue(opts: RunQueueOptions): RunQueue {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`run queue concurrency must be a positive integer, got ${opts.concurrency}`);
  if (!Number.isInteger(opts.maxQueued) || opts.maxQueued < 0) throw new Error(`run queue maxQueued must be a non-negative integer, got ${opts.maxQueued}`);
  const now = opts.now ?? (() => performance.now());
  const waiting: Waiter[] = [];
  let running = 0;
  let meanRunMs: number | null = null;

  const announce = (from: number) => {
    for (let k = from; k < waiting.length; k++) waiting[k].onPosition?.(k + 1);
  };
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next.start();
      announce(0);
    }
  };
  const stats = (): RunQueueStats => ({ running, queued: waiting.length, concurrency: opts.concurrency, maxQueued: opts.maxQueued, meanRunMs });

  return {
    stats,
    retryAfterSeconds() {
      const perRun = meanRunMs ?? 1000;
      return Math.max(1, Math.ceil(((waiting.length + 1) * perRun) / opts.concurrency / 1000));
    },
    run<T>(task: () => Promise<T>, runOpts: QueuedRunOptions = {}): Promise<T> {
      const { signal, onPosition } = runOpts;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const execute = async (): Promise<T> => {
        const t0 = now();
        try {
          return await task();
        } finally {
          const ms = now() - t0;
          meanRunMs = meanRunMs === null ? ms : meanRunMs + MEAN_WEIGHT * (ms - meanRunMs);
          release();
        }
      };
      if (running < opts.concurrency && waiting.length === 0) {
        running += 1;
        return execute();
      }
      if (waiting.length >= opts.maxQueued) return Promise.reject(new RunQueueFullError(stats()));
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          const k = waiting.indexOf(waiter);
          if (k < 0) return;
          waiting.splice(k, 1);
          announce(k);
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          onPosition,
          start: () => {
            signal?.removeEventListener("abort", onAbort);
            execute().then(resolve, reject);
          },
        };
        waiting.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
        onPosition?.(waiting.length);
      });
    },
  };
}

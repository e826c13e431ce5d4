/**
 * The server's view of the inference graph: `RecommendationRunner.run(userId, opts)` resolves to
 * the JSON result contract and reports each node as it finishes. `createGraphRunner` streams a
 * compiled LangGraph graph (`streamMode: ["updates", "values"]`: progress per node, then the final state); unit tests use fakes of the interface.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ConfigIssue } from "../graph/config-check.js";
import { RecommendationResult } from "../contracts/result.js";

/** One finished node: its name, the time since the previous node finished, a small summary. */
export interface NodeProgress {
  node: string;
  ms: number;
  summary: Record<string, unknown>;
}

export interface RunOptions {
  /** Exclusive end of visible history (ISO date-time); the runner's default when omitted. */
  asOf?: string;
  /** Configuration overrides, already validated against `configSchema`. */
  config?: Record<string, unknown>;
  signal?: AbortSignal;
  onNode?: (progress: NodeProgress) => void;
  /** Thread (and run) id; a retried near-line job passes the same one so that its checkpointed run resumes. */
  threadId?: string;
}

export interface RecommendationRunner {
  /** Schema of configuration overrides accepted by `run` (the graph's configuration schema). */
  readonly configSchema: z.ZodType<Record<string, unknown>>;
  /** Problems of a schema-valid configuration that this runner cannot run (e.g. `llm` without a model). */
  checkConfig?(config: Record<string, unknown>): ConfigIssue[];
  run(userId: string, opts: RunOptions): Promise<RecommendationResult>;
}

/** Thrown by runners when `signal` aborts; carries the nodes that had finished. */
export class RunAbortedError extends Error {
  override name = "RunAbortedError";
  constructor(
    readonly reason: unknown,
    readonly finished: NodeProgress[],
  ) {
    super("run aborted");
  }
}

/** The structural slice of a compiled LangGraph graph that the runner uses. */
export interface StreamableGraph {
  stream(
    input: Record<string, unknown> | null,
    options: {
      streamMode: ("updates" | "values")[];
      signal?: AbortSignal;
      configurable?: Record<string, unknown>;
    },
  ): Promise<AsyncIterable<unknown>>;
}

export interface GraphRunnerOptions {
  graph: StreamableGraph;
  configSchema: z.ZodType<Record<string, unknown>>;
  checkConfig?: (config: Record<string, unknown>) => ConfigIssue[];
  /** Builds the result contract from the final state of a run. */
  toResult: (state: Record<string, unknown>, meta: { runId: string; userId: string }) => unknown;
  /** Extra `configurable` entries of every run (e.g. `deps`). */
  configurable?: Record<string, unknown>;
  newRunId?: () => string;
  now?: () => number;
  /**
   * True when the thread has a checkpoint: the run then continues it with input null (an
   * interrupted run resumes at its last checkpoint; a finished one yields its final state again).
   * Absent: every run starts fresh.
   */
  hasCheckpoint?: (threadId: string) => Promise<boolean>;
}

/** Summarises a node's state update: arrays by length, objects by key count, scalars as they are. */
export function summarizeUpdate(update: unknown): Record<string, unknown> {
  if (update === null || typeof update !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update as Record<string, unknown>)) {
    if (k === "timings" || k === "steps") continue;
    if (Array.isArray(v)) out[k] = { count: v.length };
    else if (v !== null && typeof v === "object") out[k] = { keys: Object.keys(v).length };
    else if (typeof v === "string") out[k] = v.length > 80 ? `${v.slice(0, 77)}...` : v;
    else out[k] = v;
  }
  return out;
}

/** Node time: the node's own `timings` row when its update has one, else the time since the last update. */
function nodeMs(update: unknown, fallback: number): number {
  const timings = (update as { timings?: unknown } | null)?.timings;
  const row = Array.isArray(timings) ? timings[timings.length - 1] : undefined;
  const ms = (row as { ms?: unknown } | undefined)?.ms;
  return typeof ms === "number" ? ms : Math.round(fallback * 10) / 10;
}

/** A runner over a compiled graph streamed in `updates` + `values` mode. */
export function createGraphRunner(opts: GraphRunnerOptions): RecommendationRunner {
  const now = opts.now ?? (() => performance.now());
  const newRunId = opts.newRunId ?? (() => randomUUID());
  return {
    configSchema: opts.configSchema,
    ...(opts.checkConfig ? { checkConfig: opts.checkConfig } : {}),
    async run(userId, runOpts) {
      const finished: NodeProgress[] = [];
      const resume = runOpts.threadId && opts.hasCheckpoint ? await opts.hasCheckpoint(runOpts.threadId) : false;
      const runId = runOpts.threadId ?? newRunId();
      const input = resume ? null : { userId, ...(runOpts.asOf ? { asOf: runOpts.asOf } : {}) };
      let state: Record<string, unknown> | undefined;
      let last = now();
      try {
        const stream = await opts.graph.stream(
          input,
          {
            streamMode: ["updates", "values"],
            signal: runOpts.signal,
            configurable: { ...(opts.configurable ?? {}), ...(runOpts.config ?? {}), thread_id: runId, run_id: runId },
          },
        );
        for await (const chunk of stream) {
          if (!Array.isArray(chunk) || chunk.length !== 2) continue;
          const [mode, data] = chunk as [string, unknown];
          if (mode === "values") {
            state = data as Record<string, unknown>;
            continue;
          }
          if (data === null || typeof data !== "object") continue;
          for (const [node, update] of Object.entries(data as Record<string, unknown>)) {
            if (node.startsWith("__")) continue;
            const t = now();
            const progress: NodeProgress = { node, ms: nodeMs(update, t - last), summary: summarizeUpdate(update) };
            last = t;
            finished.push(progress);
            runOpts.onNode?.(progress);
          }
        }
      } catch (err) {
        if (runOpts.signal?.aborted) throw new RunAbortedError(runOpts.signal.reason, finished);
        throw err;
      }
      if (runOpts.signal?.aborted) throw new RunAbortedError(runOpts.signal.reason, finished);
      if (!state) throw new Error("the graph finished without a state");
      return RecommendationResult.parse(opts.toResult(state, { runId, userId }));
    },
  };
}

/** A runner whose runs use `asOf` when the caller gives none. */
export function withDefaultAsOf(runner: RecommendationRunner, asOf: string | undefined): RecommendationRunner {
  if (!asOf) return runner;
  return {
    configSchema: runner.configSchema,
    ...(runner.checkConfig ? { checkConfig: runner.checkConfig } : {}),
    run: (userId, opts) => runner.run(userId, { ...opts, asOf: opts.asOf ?? asOf }),
  };
}

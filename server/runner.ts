/**
 * The server's view of the inference graph: `RecommendationRunner.run(userId, opts)` resolves to
 * the JSON result contract and reports each node as it finishes. `createGraphRunner` streams a
 * compiled LangGraph graph (`streamMode: "updates"`); unit tests use fakes of the interface.
 */
import { z } from "zod";
import { RecommendationResult } from "../graph/result.js";

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
}

export interface RecommendationRunner {
  /** Schema of configuration overrides accepted by `run` (the graph's configuration schema). */
  readonly configSchema: z.ZodType<Record<string, unknown>>;
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
    input: Record<string, unknown>,
    options: { streamMode: "updates"; signal?: AbortSignal; configurable?: Record<string, unknown>; recursionLimit?: number },
  ): Promise<AsyncIterable<unknown>>;
}

export interface GraphRunnerOptions {
  graph: StreamableGraph;
  configSchema: z.ZodType<Record<string, unknown>>;
  /** Extra `configurable` entries of every run (e.g. `deps` or `depsProvider`). */
  configurable?: Record<string, unknown>;
  /** The state key that holds the final result (default `result`). */
  resultKey?: string;
  /** Default `asOf` when a request gives none (default: now). */
  defaultAsOf?: () => string;
  now?: () => number;
}

/** Summarises a node's state update: arrays by length, objects by key count, scalars as they are. */
export function summarizeUpdate(update: unknown): Record<string, unknown> {
  if (update === null || typeof update !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = { count: v.length };
    else if (v !== null && typeof v === "object") out[k] = { keys: Object.keys(v).length };
    else if (typeof v === "string") out[k] = v.length > 80 ? `${v.slice(0, 77)}...` : v;
    else out[k] = v;
  }
  return out;
}

/** A runner over a compiled graph streamed in `updates` mode. */
export function createGraphRunner(opts: GraphRunnerOptions): RecommendationRunner {
  const now = opts.now ?? (() => performance.now());
  const resultKey = opts.resultKey ?? "result";
  return {
    configSchema: opts.configSchema,
    async run(userId, runOpts) {
      const finished: NodeProgress[] = [];
      const asOf = runOpts.asOf ?? opts.defaultAsOf?.() ?? new Date().toISOString();
      let result: unknown;
      let last = now();
      try {
        const stream = await opts.graph.stream(
          { userId, asOf },
          {
            streamMode: "updates",
            signal: runOpts.signal,
            configurable: { ...(opts.configurable ?? {}), ...(runOpts.config ?? {}) },
          },
        );
        for await (const chunk of stream) {
          if (chunk === null || typeof chunk !== "object") continue;
          for (const [node, update] of Object.entries(chunk as Record<string, unknown>)) {
            if (node.startsWith("__")) continue;
            const t = now();
            const progress: NodeProgress = { node, ms: Math.round((t - last) * 10) / 10, summary: summarizeUpdate(update) };
            last = t;
            finished.push(progress);
            runOpts.onNode?.(progress);
            if (update && typeof update === "object" && resultKey in update) {
              result = (update as Record<string, unknown>)[resultKey];
            }
          }
        }
      } catch (err) {
        if (runOpts.signal?.aborted) throw new RunAbortedError(runOpts.signal.reason, finished);
        throw err;
      }
      if (runOpts.signal?.aborted) throw new RunAbortedError(runOpts.signal.reason, finished);
      if (result === undefined) throw new Error(`the graph finished without a "${resultKey}" in its updates`);
      return RecommendationResult.parse(result);
    },
  };
}

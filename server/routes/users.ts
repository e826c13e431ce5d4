/**
 * Per-buyer routes: `POST /v1/users/{userId}/invoke` runs the graph now (JSON, or server-sent
 * events of node progress then the result; a client that disconnects cancels the run; the time
 * limit answers 504 with what finished; identical concurrent JSON invokes — same buyer, `asOf` and
 * configuration — share one run, cancelled only when every one of their clients has gone; runs go
 * through a bounded queue, `INVOKE_CONCURRENCY` at once and `INVOKE_QUEUE_MAX` waiting, beyond
 * which invoke answers 503 `invoke_queue_full`; SSE clients see their queue position) and
 * `GET /v1/users/{userId}/recommendations` answers the latest stored result and its age.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { ApiError, ErrorBody } from "../errors.js";
import type { AppEnv } from "../middleware.js";
import { RunAbortedError, type NodeProgress } from "../runner.js";
import { dependencyError } from "../dependency-errors.js";
import { InvokeBody, LatestResponse, ResultSchema, UserIdParam } from "../schemas.js";
import type { AppDeps } from "../deps.js";
import { createRunQueue, RunQueueFullError } from "../run-queue.js";
import type { RecommendationResult } from "../../contracts/result.js";

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((s) => [s, { description: "error", content: { "application/json": { schema: ErrorBody } } }]));

const invokeRoute = createRoute({
  method: "post",
  path: "/v1/users/{userId}/invoke",
  tags: ["recommendations"],
  summary: "Run the graph for one buyer now",
  description:
    "Answers the result contract as JSON, or with `Accept: text/event-stream` server-sent events: `queued` (position, 1 = next to start; sent while the run waits for a slot), `node` (name, ms, summary) per finished node, then `result` (or `error`). Closing the connection cancels the run. Runs wait in a bounded queue (INVOKE_CONCURRENCY at once, INVOKE_QUEUE_MAX waiting); a full queue answers 503 `invoke_queue_full` with Retry-After.",
  security: [{ bearerAuth: [] }],
  request: {
    params: UserIdParam,
    body: { content: { "application/json": { schema: InvokeBody } }, required: false },
  },
  responses: {
    200: {
      description: "the run's result (JSON) or its progress stream (SSE)",
      content: {
        "application/json": { schema: ResultSchema },
        "text/event-stream": { schema: { type: "string" } },
      },
    },
    ...errors(400, 401, 404, 413, 429, 500, 503, 504),
  },
});

const latestRoute = createRoute({
  method: "get",
  path: "/v1/users/{userId}/recommendations",
  tags: ["recommendations"],
  summary: "The latest stored result of a buyer (from invoke or a near-line run) and its age",
  security: [{ bearerAuth: [] }],
  request: { params: UserIdParam },
  responses: {
    200: { description: "latest result", content: { "application/json": { schema: LatestResponse } } },
    ...errors(400, 401, 404, 429),
  },
});

/** JSON with object keys sorted, so equal configurations give equal strings. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

class ClientGone extends Error {
  override name = "ClientGone";
}

/** Rejects with the signal's reason as soon as it aborts, even if `p` ignores the signal. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  p.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export function registerUserRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const invokeSeconds = deps.metrics.histogram("chrysalis_invoke_seconds", "Invoke run latency by outcome", [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
  ]);

  const queue = createRunQueue({ concurrency: deps.limits.invokeConcurrency, maxQueued: deps.limits.invokeQueueMax });
  deps.metrics.gauge("chrysalis_invoke_running", "Invoke runs executing now", () => queue.stats().running);
  deps.metrics.gauge("chrysalis_invoke_queued", "Invoke runs waiting for a slot (INVOKE_CONCURRENCY)", () => queue.stats().queued);

  const inflight = new Map<string, { controller: AbortController; waiters: number; result: Promise<RecommendationResult> }>();

  app.openapi(invokeRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const body = (c.req.valid("json") ?? {}) as { asOf?: string; config?: Record<string, unknown> };
    let config: Record<string, unknown> | undefined;
    if (body.config !== undefined) {
      const raw = (await c.req.json().catch(() => ({}))) as { config?: object };
      if (raw.config && Object.hasOwn(raw.config, "__proto__")) {
        throw new ApiError("invalid_config", "config.__proto__: unrecognized key", [{ path: "__proto__", message: "unrecognized key" }]);
      }
      const parsed = deps.runner.configSchema.safeParse(body.config);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || (i.code === "unrecognized_keys" ? i.keys.join(",") : ""), message: i.message }));
        const fields = [...new Set(issues.map((i) => (i.path ? `config.${i.path}` : "config")))].join(", ");
        throw new ApiError("invalid_config", `${fields}: ${issues[0]?.message ?? "invalid"}`, issues);
      }
      config = parsed.data;
      const unrunnable = deps.runner.checkConfig?.(config) ?? [];
      if (unrunnable.length > 0) {
        throw new ApiError("llm_not_configured", unrunnable.map((i) => `config.${i.path}: ${i.message}`).join("; "), unrunnable);
      }
    }
    if (!(await deps.users.exists(userId))) throw new ApiError("unknown_user", `no buyer with id ${userId}`);

    const timeoutMs = deps.limits.invokeTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const finished: NodeProgress[] = [];
    const t0 = performance.now();
    const logger = deps.logger.child({ requestId: c.get("requestId"), userId });

    let startedAt: number | null = null;
    const execute = async (signal: AbortSignal, onNode: (p: NodeProgress) => void, onPosition?: (position: number) => void): Promise<RecommendationResult> => {
      const result = await raceAbort(
        queue.run(
          () => {
            startedAt = performance.now();
            return deps.runner.run(userId, { asOf: body.asOf, config, signal, onNode: (p) => (finished.push(p), onNode(p)) });
          },
          { signal, onPosition },
        ),
        signal,
      );
      await deps.store.putLatest(result, "invoke");
      await deps.triggers.noteRun(userId);
      invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "ok" });
      logger.info({ ms: Math.round(performance.now() - t0), runId: result.runId }, "invoke finished");
      return result;
    };

    const failure = (err: unknown): ApiError => {
      if (err instanceof RunQueueFullError) {
        invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "queue_full" });
        const retryAfter = queue.retryAfterSeconds();
        return new ApiError("invoke_queue_full", `too many runs at once: ${err.message}; retry after ${retryAfter} s`, { running: err.stats.running, queued: err.stats.queued, maxQueued: err.stats.maxQueued }, { "Retry-After": String(retryAfter) });
      }
      if (timeout.aborted) {
        invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "timeout" });
        const queuedMs = Math.round((startedAt ?? performance.now()) - t0);
        return startedAt === null
          ? new ApiError("invoke_timeout", `the run waited in the invoke queue for the whole time limit of ${timeoutMs} ms`, { timeoutMs, queuedMs, finished })
          : new ApiError("invoke_timeout", `the run exceeded the time limit of ${timeoutMs} ms (${queuedMs} ms of it queued)`, { timeoutMs, queuedMs, finished });
      }
      if (err instanceof ApiError) return err;
      const unavailable = dependencyError(err instanceof RunAbortedError ? err.reason : err);
      if (unavailable) {
        invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "unavailable" });
        logger.warn({ err }, "invoke failed: dependency unavailable");
        return unavailable;
      }
      invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "error" });
      logger.error({ err }, "invoke failed");
      return new ApiError("run_failed", "the graph run failed", { finished });
    };

    if ((c.req.header("accept") ?? "").includes("text/event-stream")) {
      const gone = new AbortController();
      const signal = AbortSignal.any([timeout, gone.signal, c.req.raw.signal]);
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => gone.abort(new ClientGone("client disconnected")));
        let writes = Promise.resolve();
        let id = 0;
        const send = (event: string, data: unknown) => {
          writes = writes.then(() => stream.writeSSE({ event, data: JSON.stringify(data), id: String(id++) }));
          return writes;
        };
        const keepAlive = setInterval(() => {
          writes = writes.then(() => stream.write(": keep-alive\n\n")).then(() => undefined);
        }, deps.sseKeepAliveMs ?? 15_000);
        try {
          const result = await execute(
            signal,
            (p) => void send("node", p),
            (position) => void send("queued", { position, ...queue.stats() }),
          );
          await send("result", result);
        } catch (err) {
          if (gone.signal.aborted || c.req.raw.signal.aborted) {
            invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "cancelled" });
            logger.info({ finished: finished.length }, "client disconnected; run cancelled");
            return;
          }
          const api = failure(err);
          await send("error", { code: api.code, message: api.message, details: api.details, requestId: c.get("requestId") });
        } finally {
          clearInterval(keepAlive);
        }
      });
    }

    const key = sortedJson([userId, body.asOf ?? null, config ?? {}]);
    let entry = inflight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const signal = AbortSignal.any([timeout, controller.signal]);
      const result = execute(signal, () => undefined)
        .catch((err: unknown) => {
          if (controller.signal.aborted && !timeout.aborted) {
            invokeSeconds.observe((performance.now() - t0) / 1000, { outcome: "cancelled" });
            logger.info({ finished: finished.length }, "client disconnected; run cancelled");
            throw new ApiError("run_failed", "the client closed the connection; the run was cancelled", { finished });
          }
          throw failure(err);
        })
        .finally(() => inflight.delete(key));
      entry = { controller, waiters: 0, result };
      inflight.set(key, entry);
    } else {
      logger.info("joined an identical run in progress");
    }
    const shared = entry;
    shared.waiters += 1;
    const onGone = () => {
      shared.waiters -= 1;
      if (shared.waiters === 0) shared.controller.abort(new ClientGone("client disconnected"));
    };
    if (c.req.raw.signal.aborted) onGone();
    else c.req.raw.signal.addEventListener("abort", onGone, { once: true });
    try {
      return c.json(await shared.result, 200);
    } finally {
      c.req.raw.signal.removeEventListener("abort", onGone);
    }
  });

  app.openapi(latestRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const stored = await deps.store.getLatest(userId);
    if (!stored) throw new ApiError("no_recommendations", `no stored recommendations for buyer ${userId} yet; POST /v1/users/${userId}/invoke runs the graph`);
    const ageSeconds = Math.max(0, (deps.now().getTime() - Date.parse(stored.storedAt)) / 1000);
    return c.json({ ...stored, ageSeconds }, 200);
  });
}

/**
 * Open operational routes: `GET /healthz` (the process answers), `GET /readyz` (every readiness
 * probe answers within its time limit, each with an optional detail such as warm-up progress;
 * 503 `not_ready` naming those that do not) and
 * `GET /metrics` (Prometheus text).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, ErrorBody } from "../errors.js";
import type { AppEnv } from "../middleware.js";
import { HealthResponse, ReadyResponse } from "../schemas.js";
import type { AppDeps } from "../deps.js";

const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["operations"],
  summary: "Liveness: the process answers",
  responses: { 200: { description: "alive", content: { "application/json": { schema: HealthResponse } } } },
});

const readyRoute = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["operations"],
  summary: "Readiness: Neo4j and the embedding server answer; item-embedding coverage in the detail of `item-embeddings` while a first start fills it in",
  responses: {
    200: { description: "ready", content: { "application/json": { schema: ReadyResponse } } },
    503: { description: "a dependency is not reachable (named in message and details)", content: { "application/json": { schema: ErrorBody } } },
  },
});

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["operations"],
  summary: "Prometheus metrics (requests, events, invoke and near-line latency, queue depth)",
  responses: { 200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } } },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, probeTimeoutMs = 3000): void {
  app.openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));

  app.openapi(readyRoute, async (c) => {
    const checks = await Promise.all(
      deps.probes.map(async (p) => {
        const t0 = performance.now();
        const signal = AbortSignal.timeout(probeTimeoutMs);
        try {
          const detail = await Promise.race([
            p.check(signal),
            new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error(`no answer within ${probeTimeoutMs} ms`)), { once: true })),
          ]);
          return { name: p.name, ok: true, ms: Math.round(performance.now() - t0), ...(typeof detail === "string" ? { detail } : {}) };
        } catch (err) {
          return { name: p.name, ok: false, ms: Math.round(performance.now() - t0), error: err instanceof Error ? err.message.slice(0, 200) : "unreachable" };
        }
      }),
    );
    const down = checks.filter((ch) => !ch.ok).map((ch) => ch.name);
    if (down.length > 0) throw new ApiError("not_ready", `not reachable: ${down.join(", ")}`, { checks });
    return c.json({ status: "ready" as const, checks }, 200);
  });

  app.openapi(metricsRoute, (c) => c.text(deps.metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }));
}

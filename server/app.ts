/**
 * `createApp(deps)` builds the Hono app (no listening): OpenAPI-described routes, `/openapi.json`
 * and `/docs`, request ids and access logs, bearer keys + rate limit + body limit on `/v1` and the
 * page, one JSON error handler. Everything it talks to comes in through `AppDeps`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import type { Logger } from "pino";
import { dependencyError } from "./dependency-errors.js";
import { registerDocs } from "./docs.js";
import { ApiError, createErrorHandler, errorResponse } from "./errors.js";
import { accessLog, bearerAuth, bodyLimit, keyLink, rateLimit, type AppEnv } from "./middleware.js";
import type { AppDeps } from "./deps.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerUserRoutes } from "./routes/users.js";
import { registerUiRoutes } from "./routes/ui.js";

export const API_VERSION = "0.1.0";

export type { AppDeps };

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  if (deps.apiKeys.length === 0) throw new Error("createApp: at least one API key is required");
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(
          "invalid_request",
          "the request does not match the schema",
          result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        );
      }
    },
  });

  const requests = deps.metrics.counter("chrysalis_http_requests_total", "HTTP requests by method, route and status");
  app.use("*", requestId({ limitLength: 64 }));
  app.use("*", accessLog(deps.logger, requests));

  const guard = [
    bearerAuth(deps.apiKeys),
    rateLimit({
      perSecond: deps.limits.rateLimitPerSecond,
      burst: deps.limits.rateLimitBurst,
      skip: (method, path) => method === "POST" && path === "/v1/events",
    }),
    bodyLimit(deps.limits.bodyLimitBytes),
  ] as const;
  app.use("/v1/*", ...guard);
  app.use("/ui/*", keyLink(deps.apiKeys), bearerAuth(deps.apiKeys, { allowCookie: true }), guard[1]);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", description: "one of API_KEYS" });
  registerHealthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerUiRoutes(app, deps);

  app.doc("/openapi.json", {
    openapi: "3.0.3",
    info: {
      title: "Chrysalis API",
      version: API_VERSION,
      description: "Inference-based recommendations for B2B wholesale buyers: per-buyer runs, behaviour ingestion, near-line triggers.",
    },
  });
  registerDocs(app);
  app.get("/", (c) =>
    c.json({ name: "chrysalis", docs: "/docs", openapi: "/openapi.json", health: "/healthz", ready: "/readyz", metrics: "/metrics" }),
  );

  app.notFound((c) => errorResponse(c, new ApiError("not_found", `no route ${c.req.method} ${c.req.path}`)));
  app.onError(createErrorHandler(deps.logger, dependencyError));
  return app;
}

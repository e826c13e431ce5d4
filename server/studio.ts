/**
 * The Hono app that `langgraph dev` (Studio) mounts through `langgraph.json` `http.app`. The
 * LangGraph API server merges our routes before its own, so this app registers explicit paths
 * only (no catch-all, and no `/metrics`, which the LangGraph server owns) and forwards them to
 * `createApp` over the real dependencies, built on the first request. Keys: `API_KEYS`, or the
 * generated key file shared with `npm run serve`.
 */
import { Hono } from "hono";
import { pino } from "pino";
import { loadServicesConfig } from "../services/index.js";
import { createApp } from "./app.js";
import { parseServerEnv } from "./env.js";
import { generatedKeyFile, loadOrCreateKey } from "./index.js";
import { createMetrics } from "./metrics.js";

/** Paths forwarded to the Chrysalis app. */
export const STUDIO_PATHS = ["/v1/*", "/ui/*", "/healthz", "/readyz", "/openapi.json", "/docs", "/docs/*"] as const;

/** A Hono app with the Chrysalis routes whose dependencies are built lazily from the environment. */
export function createStudioApp(env: NodeJS.ProcessEnv = process.env): Hono {
  let inner: Promise<ReturnType<typeof createApp>> | null = null;
  const build = async () => {
    const serverEnv = parseServerEnv(env);
    const keys = serverEnv.apiKeys.length > 0 ? serverEnv.apiKeys : [loadOrCreateKey(generatedKeyFile(loadServicesConfig(env).dataDir))];
    const logger = pino({ level: serverEnv.logLevel });
    const { createEnvServerDeps } = await import("./wiring.js");
    const built = await createEnvServerDeps({ env: serverEnv, apiKeys: keys, logger, metrics: createMetrics() });
    return createApp(built.deps);
  };
  const outer = new Hono();
  for (const p of STUDIO_PATHS) {
    outer.all(p, async (c) => {
      inner ??= build();
      inner.catch(() => {
        inner = null;
      });
      return (await inner).fetch(c.req.raw);
    });
  }
  return outer;
}

/** The app `langgraph.json` points at (built lazily; nothing connects at import). */
export const app = createStudioApp();

/**
 * `startServer(opts)` listens with @hono/node-server and prints the URL, the docs URL, the
 * buyer-page link and a working `curl` example. Without configured keys it generates one (kept
 * under the data directory so restarts reuse it) and prints it: there is no open mode. With
 * `deps` it serves those (tests, bench); otherwise it builds the real ones from the environment.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Server as HttpServer } from "node:http";
import { answerClientErrorsAsJson } from "./client-errors.js";
import { pino, type Logger } from "pino";
import { loadServicesConfig, type Instance } from "../services/index.js";
import { createApp, type AppDeps } from "./app.js";
import { parseServerEnv, type ServerEnv } from "./env.js";
import { createMetrics } from "./metrics.js";

export { createApp, type AppDeps } from "./app.js";
export { SERVER_ENV_VARS, parseServerEnv } from "./env.js";

export interface StartServerOptions {
  /** Default `PORT` (8787); 0 picks a free port. */
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** Prebuilt dependencies; when absent they are built from the environment. */
  deps?: AppDeps;
  /** Which embedded Neo4j to use when building deps (default `dev`). */
  instance?: Instance;
  /** Where lines for people go (default stdout); null prints nothing. */
  print?: ((line: string) => void) | null;
  /** asOf of runs that give none (overrides `DEFAULT_AS_OF`), e.g. the demo world's asOf. */
  defaultAsOf?: string;
  /** Buyer id for the printed examples (default: the most active buyer in the graph). */
  exampleUserId?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  apiKeys: string[];
  /** True when the key was generated because none was configured. */
  generatedKey: boolean;
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  close(): Promise<void>;
}

/** The key file used when `API_KEYS` is unset. */
export function generatedKeyFile(dataDir: string): string {
  return path.join(dataDir, "server-api-key");
}

/** Reads the generated key, or creates one (mode 0600). */
export function loadOrCreateKey(file: string): string {
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (/^[\x21-\x7e]{16,256}$/.test(existing)) return existing;
  } catch {
    /* absent: create below */
  }
  const key = `chr_${randomBytes(24).toString("base64url")}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function keysFor(env: ServerEnv, dataDir: string): { keys: string[]; generated: boolean } {
  if (env.apiKeys.length > 0) return { keys: env.apiKeys, generated: false };
  return { keys: [loadOrCreateKey(generatedKeyFile(dataDir))], generated: true };
}

/** Lines that tell a person how to use the running server. */
export function usageLines(url: string, key: string, generated: boolean, userId: string): string[] {
  return [
    `Chrysalis API on ${url}`,
    `  docs:    ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  page:    ${url}/ui/users/${userId}?key=${key}`,
    generated ? `  API key: ${key}   (generated because API_KEYS is not set; stored in .data/server-api-key)` : "  API key: one of API_KEYS",
    `  try:     curl -s -X POST ${url}/v1/users/${userId}/invoke -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{}'`,
    `           curl -s ${url}/v1/users/${userId}/recommendations -H "Authorization: Bearer ${key}"`,
  ];
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const parsed = parseServerEnv(opts.env ?? process.env);
  const env: ServerEnv = opts.defaultAsOf ? { ...parsed, defaultAsOf: opts.defaultAsOf } : parsed;
  const print = opts.print === null ? () => undefined : (opts.print ?? ((l: string) => console.log(l)));
  const logger = opts.logger ?? pino({ level: env.logLevel });
  const dataDir = loadServicesConfig(opts.env ?? process.env).dataDir;
  let deps: AppDeps;
  let generated = false;
  let closeDeps: () => Promise<void> = async () => undefined;
  let exampleUser = opts.exampleUserId;
  if (opts.deps) {
    deps = opts.deps;
  } else {
    const k = keysFor(env, dataDir);
    generated = k.generated;
    const { createEnvServerDeps, exampleUserId } = await import("./wiring.js");
    const built = await createEnvServerDeps({ env, apiKeys: k.keys, logger, metrics: createMetrics(), instance: opts.instance });
    deps = built.deps;
    closeDeps = built.close;
    exampleUser ??= (await exampleUserId(built.driver).catch(() => null)) ?? undefined;
  }
  const app = createApp(deps);
  const port = opts.port ?? env.port;
  const host = opts.host ?? env.host;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once("error", reject);
    answerClientErrorsAsJson(s as HttpServer);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${shownHost}:${actualPort}`;
  for (const line of usageLines(url, deps.apiKeys[0], generated, exampleUser ?? "<userId>")) print(line);
  let closing: Promise<void> | null = null;
  return {
    url,
    port: actualPort,
    apiKeys: deps.apiKeys,
    generatedKey: generated,
    app,
    deps,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          if ("closeAllConnections" in server) server.closeAllConnections();
          server.close(() => resolve());
        });
        await closeDeps();
      })();
      return closing;
    },
  };
}

/**
 * Fault injection against the real app, the real test Neo4j and the real embedding server, each
 * reached through a TCP proxy (`test/tcp-proxy.ts`) that can reset every connection and refuse new
 * ones (the dependency killed), come back on the same port (restarted), or delay every chunk (slow).
 * The outage during ingestion lasts 4 s, longer than the driver's retry budget (1 s here), so
 * requests in flight must fail rather than ride it out. Checks: nothing acknowledged is lost or duplicated, failures answer 503 with a code and
 * Retry-After, `/readyz` tells the truth, and the app recovers without a restart.
 * `npm run test:faults` runs this file alone.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDriver, readQuery, type Driver } from "../kg/driver.js";
import { createKgReader } from "../kg/repositories.js";
import { createUqScorer } from "../kg/uq.js";
import { createRunStep } from "../llm/run-step.js";
import { createMemo } from "../lib/deps.js";
import { createEmbedder } from "../llm/embeddings.js";
import { startTcpProxy, type TcpProxy } from "../test/tcp-proxy.js";
import { testDriver, testServices } from "../test/services.js";
import { AS_OF } from "../world/presets.js";
import { createTestApp, TEST_KEY } from "../test/support/server.js";
import { createNeo4jEventSink, createNeo4jUsers, createRunnerFromEnvDeps, embeddingsProbe, neo4jProbe } from "./wiring.js";
import { withDefaultAsOf } from "./runner.js";

const run = randomUUID().slice(0, 8);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let direct: Driver;
let proxied: Driver;
let neo4jProxy: TcpProxy;
let embeddingsProxy: TcpProxy;
let t: ReturnType<typeof createTestApp>;
let itemId: string;
let buyer: string;
/** The same app over deps with a memo of its own, so that no embedding of its first run is memoised by another test. */
let unmemoised: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  const info = testServices();
  direct = testDriver(info);
  const bolt = new URL(info.neo4jUri.replace(/^[a-z+]+:/, "http:"));
  const embeddings = new URL(info.embeddingsBaseUrl);
  neo4jProxy = await startTcpProxy({ host: bolt.hostname, port: Number(bolt.port) });
  embeddingsProxy = await startTcpProxy({ host: embeddings.hostname, port: Number(embeddings.port) });
  proxied = createDriver({ uri: `bolt://127.0.0.1:${neo4jProxy.port}`, user: info.neo4jUser, password: info.neo4jPassword, connectionTimeoutMs: 1000, maxRetryMs: 1000 });
  const embeddingsBase = `http://127.0.0.1:${embeddingsProxy.port}${embeddings.pathname}`;
  const embedder = await createEmbedder({ baseUrl: embeddingsBase, apiKey: info.embeddingsApiKey, model: info.embeddingsModel, modality: info.embeddingsModality, timeoutMs: 60_000 });
  const deps = { kg: createKgReader(proxied), uq: createUqScorer(proxied), embedder, runStep: createRunStep(), chatModel: () => undefined, memo: createMemo() };
  const app = (memo: ReturnType<typeof createMemo>) =>
    createTestApp({
      runner: withDefaultAsOf(createRunnerFromEnvDeps({ deps: { ...deps, memo }, driver: proxied, close: async () => undefined }), AS_OF),
      events: createNeo4jEventSink(proxied),
      users: createNeo4jUsers(proxied),
      probes: [neo4jProbe(proxied), embeddingsProbe(embeddingsBase, info.embeddingsApiKey)],
      triggers: { enabled: false },
    });
  t = app(deps.memo);
  unmemoised = app(createMemo());
  [{ id: itemId }] = (await readQuery(direct, "MATCH (i:Item) RETURN i.id AS id ORDER BY id LIMIT 1")) as { id: string }[];
  [{ id: buyer }] = (await readQuery(direct, "MATCH (u:User)-[:BEHAVED]->() RETURN u.id AS id ORDER BY id LIMIT 1")) as { id: string }[];
});

afterAll(async () => {
  await direct?.executeQuery("MATCH (u:User) WHERE u.id STARTS WITH $p DETACH DELETE u", { p: `ft-${run}` });
  await t?.close();
  await proxied?.close();
  await direct?.close();
  await neo4jProxy?.close();
  await embeddingsProxy?.close();
});

const request = (path: string, init: { method?: string; body?: unknown } = {}, on: { app: typeof t.app } = t) =>
  on.app.request(path, {
    method: init.method ?? "GET",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** A 503 must carry a code and Retry-After. */
async function expectUnavailable(res: Response, dependency: string): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(await res.json()).toMatchObject({ code: "dependency_unavailable", details: { dependency } });
}

describe("fault injection", () => {
  it("Neo4j killed and restarted during ingestion: every acknowledged event is stored once, failures are 503, no restart needed", async () => {
    const batches = Array.from({ length: 40 }, (_, b) =>
      Array.from({ length: 25 }, (_, n) => ({ eventId: `ft-${run}-${b}-${n}`, userId: `ft-${run}-u${b % 3}`, type: "view", itemId, at: "2025-05-20T10:00:00Z", dwellS: n })),
    );
    const failures: { status: number; code: string; retryAfter: string | null }[] = [];
    const acknowledged = new Set<string>();
    let sent = 0;
    const client = async () => {
      for (;;) {
        const b = sent++;
        if (b >= batches.length) return;
        for (let attempt = 0; ; attempt++) {
          const res = await request("/v1/events", { method: "POST", body: { events: batches[b] } });
          if (res.status === 200) {
            const body = (await res.json()) as { stored: number; duplicates: unknown[]; rejected: unknown[] };
            expect(body.rejected).toEqual([]);
            expect(body.stored + body.duplicates.length).toBe(25);
            for (const e of batches[b]) acknowledged.add(e.eventId);
            break;
          }
          const body = (await res.json()) as { code: string };
          failures.push({ status: res.status, code: body.code, retryAfter: res.headers.get("retry-after") });
          expect(attempt).toBeLessThan(50);
          await sleep(100);
        }
      }
    };
    const outage = (async () => {
      while (acknowledged.size < 250) await sleep(10);
      await neo4jProxy.down();
      await sleep(4000);
      await neo4jProxy.up();
    })();
    await Promise.all([client(), client(), client(), client(), outage]);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((f) => f.status !== 503 || f.code !== "dependency_unavailable" || f.retryAfter === null)).toEqual([]);
    expect(acknowledged.size).toBe(1000);
    const [stored] = await readQuery(direct, "MATCH (u:User)-[b:BEHAVED]->() WHERE u.id STARTS WITH $p RETURN count(b) AS n, count(DISTINCT b.id) AS ids", { p: `ft-${run}` });
    expect(stored).toEqual({ n: 1000, ids: 1000 });
  });

  it("Neo4j down: /readyz names it and requests answer 503 fast; back up: both recover without a restart", async () => {
    await neo4jProxy.down();
    try {
      const ready = await request("/readyz");
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: "not_ready", message: "not reachable: neo4j" });
      const t0 = performance.now();
      await expectUnavailable(await request("/v1/events", { method: "POST", body: { events: [{ eventId: `ft-${run}-down`, userId: `ft-${run}-d`, type: "view", itemId, at: "2025-05-20T10:00:00Z" }] } }), "neo4j");
      await expectUnavailable(await request(`/v1/users/${buyer}/invoke`, { method: "POST", body: {} }), "neo4j");
      expect(performance.now() - t0).toBeLessThan(15_000);
    } finally {
      await neo4jProxy.up();
    }
    expect((await request("/readyz")).status).toBe(200);
    const res = await request("/v1/events", { method: "POST", body: { events: [{ eventId: `ft-${run}-down`, userId: `ft-${run}-d`, type: "view", itemId, at: "2025-05-20T10:00:00Z" }] } });
    expect(await res.json()).toMatchObject({ stored: 1 });
  });

  it("Neo4j killed during an invoke: the run answers 503, the next one succeeds", async () => {
    neo4jProxy.setDelay(40);
    const pending = request(`/v1/users/${buyer}/invoke`, { method: "POST", body: {} });
    await sleep(600);
    await neo4jProxy.down();
    try {
      await expectUnavailable(await pending, "neo4j");
    } finally {
      neo4jProxy.setDelay(0);
      await neo4jProxy.up();
    }
    const again = await request(`/v1/users/${buyer}/invoke`, { method: "POST", body: {} });
    expect(again.status).toBe(200);
  });

  it("embedding server killed during an invoke: 503 naming it, then recovery", async () => {
    embeddingsProxy.setDelay(2000);
    const pending = request(`/v1/users/${buyer}/invoke`, { method: "POST", body: {} }, unmemoised);
    await sleep(200);
    await embeddingsProxy.down();
    embeddingsProxy.setDelay(0);
    try {
      const ready = await request("/readyz");
      expect(await ready.json()).toMatchObject({ code: "not_ready", message: "not reachable: embeddings" });
      await expectUnavailable(await pending, "embeddings");
    } finally {
      await embeddingsProxy.up();
    }
    expect((await request(`/v1/users/${buyer}/invoke`, { method: "POST", body: {} })).status).toBe(200);
  });

  it("slow Neo4j: requests still answer correctly; slower than the probe budget, /readyz says not ready", async () => {
    neo4jProxy.setDelay(50);
    try {
      const res = await request("/v1/events", { method: "POST", body: { events: [{ eventId: `ft-${run}-slow`, userId: `ft-${run}-s`, type: "cart", itemId, at: "2025-05-20T10:00:00Z" }] } });
      expect(await res.json()).toMatchObject({ stored: 1, rejected: [] });
      expect((await request("/readyz")).status).toBe(200);
      neo4jProxy.setDelay(4000);
      const ready = await request("/readyz");
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ message: "not reachable: neo4j" });
    } finally {
      neo4jProxy.setDelay(0);
    }
  });
});

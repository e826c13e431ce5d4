/**
 * Two API replicas (separate processes, `test/replica-server.ts`) on two ports sharing the local
 * Postgres and Redis that `services/scale.ts` starts (`POSTGRES_PORT`, `REDIS_PORT`) and the test
 * Neo4j: near-line triggers hold across replicas, results are shared, a killed replica's running
 * job is finished by the other, resuming its checkpointed run. Each run uses a fresh database and
 * Redis key prefix, and throw-away `sc-` buyers deleted afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import type { Driver } from "neo4j-driver";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServicesConfig, PROJECT_ROOT } from "../services/config.js";
import { ensurePostgres, ensureRedis, releasePostgres, releaseRedis } from "../services/scale.js";
import { modalityEnvValue } from "../services/index.js";
import { testDriver, testServices } from "../test/services.js";

const KEY = "scale-test-key-0123456789";
const MIN_INTERVAL_MS = 4000;
/** Long enough that a replica starved of CPU on a loaded machine still renews its job lock. */
const LOCK_MS = 20_000;
const SLOW_NODE = "score_relevance";

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  pid: number;
}

interface NodeStart {
  pid: number;
  node: string;
  thread: string;
  userId: string;
  at: number;
}

function startReplica(name: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "test", "replica-server.ts")], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = fs.createWriteStream(path.join(loadServicesConfig().dataDir, "run", `scale-test-replica-${name}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start: ${err.slice(-2000)}`)), 120_000);
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m && child.pid) {
        clearTimeout(timer);
        resolve({ name, url: `http://127.0.0.1:${m[1]}`, child, pid: child.pid });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}) before it was ready: ${err.slice(-2000)}`));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch((e: unknown) => {
      if (e instanceof TypeError && /fetch failed/.test(e.message)) return null;
      throw e;
    });
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("two replicas on shared Postgres, Redis and Neo4j", () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `sc${run}`;
  const dbName = `chrysalis_sc_${run}`;
  let adminUrl: string;
  let redis: Redis;
  let driver: Driver;
  let itemIds: string[];
  let a: Replica;
  let b: Replica;
  let extra: Replica | null = null;
  let eventSeq = 0;

  const replicaEnv = (port: number): NodeJS.ProcessEnv => {
    const info = testServices();
    return {
      ...process.env,
      NEO4J_URI: info.neo4jUri,
      NEO4J_USER: info.neo4jUser,
      NEO4J_PASSWORD: info.neo4jPassword,
      EMBEDDINGS_BASE_URL: info.embeddingsBaseUrl,
      EMBEDDINGS_API_KEY: info.embeddingsApiKey,
      EMBEDDINGS_MODEL: info.embeddingsModel,
      EMBEDDINGS_TEXT_PREFIX: modalityEnvValue(info.embeddingsModality),
      POSTGRES_URL: adminUrl.replace(/\/postgres$/, `/${dbName}`),
      POSTGRES_POOL_MAX: "4",
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      API_KEYS: KEY,
      PORT: String(port),
      DEFAULT_AS_OF: "2025-06-01T00:00:00Z",
      TRIGGER_VIEWS: "5",
      TRIGGER_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
      TRIGGER_CONCURRENCY: "2",
      TRIGGER_LOCK_MS: String(LOCK_MS),
      TRIGGER_BACKOFF_MS: "500",
      REPLICA_SLOW_USER: `sc-${run}-slow`,
      REPLICA_SLOW_NODE: SLOW_NODE,
      REPLICA_SLOW_MS: "600000",
      LOG_LEVEL: "info",
      INVOKE_TIMEOUT_MS: "600000",
    };
  };
  let redisUrl: string;
  let started = { postgres: false, redis: false };

  beforeAll(async () => {
    const cfg = loadServicesConfig();
    const [pgUp, redisUp] = await Promise.all([ensurePostgres(cfg), ensureRedis(cfg)]);
    adminUrl = pgUp.url;
    redisUrl = redisUp.url;
    started = { postgres: pgUp.started, redis: redisUp.started };
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    redis = new Redis(redisUrl);
    driver = testDriver();
    const res = await driver.executeQuery("MATCH (i:Item) RETURN i.id AS id ORDER BY i.id LIMIT 5");
    itemIds = res.records.map((r) => r.get("id") as string);
    expect(itemIds).toHaveLength(5);
    // Two replicas at once would compete for the 2 cores while importing; start them in turn.
    a = await startReplica("A", replicaEnv(0));
    b = await startReplica("B", replicaEnv(0));
    // One run on each replica first: the timing assertions below compare run starts, and a
    // replica's first run also builds its graph dependencies and connection pools.
    for (const [r, name] of [[a, "a"], [b, "b"]] as const) {
      const warm = `sc-${run}-warm-${name}`;
      expect((await post(r, "/v1/events", { events: [view(warm)] })).status).toBe(200);
      expect((await post(r, `/v1/users/${warm}/invoke`, {})).status).toBe(200);
    }
  });

  afterAll(async () => {
    for (const r of [a, b, extra]) if (r && r.child.exitCode === null) r.child.kill("SIGTERM");
    await Promise.all(
      [a, b, extra].filter((r): r is Replica => !!r && r.child.exitCode === null && r.child.signalCode === null).map(
        (r) => new Promise((res) => r.child.once("exit", res)),
      ),
    );
    await driver?.executeQuery("MATCH (u:User) WHERE u.id STARTS WITH $p DETACH DELETE u", { p: `sc-${run}-` });
    await driver?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    if (adminUrl) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    await releaseRedis(loadServicesConfig(), started.redis);
    await releasePostgres(loadServicesConfig(), started.postgres);
  });

  const post = (r: Replica, p: string, body: unknown) =>
    fetch(`${r.url}${p}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) });
  const get = (r: Replica, p: string) => fetch(`${r.url}${p}`, { headers: { Authorization: `Bearer ${KEY}` } });
  const view = (userId: string) => ({
    eventId: `sc-${run}-e${++eventSeq}`,
    userId,
    type: "view",
    itemId: itemIds[eventSeq % itemIds.length],
    at: new Date(Date.UTC(2025, 4, 30, 10, 0, eventSeq)).toISOString(),
    dwellS: 20,
  });
  const starts = async (): Promise<NodeStart[]> => (await redis.lrange(`${prefix}:test:nodes`, 0, -1)).map((s) => JSON.parse(s) as NodeStart);
  const runsOf = async (userId: string) => (await starts()).filter((s) => s.userId === userId && s.node === "load_context");
  const latest = async (r: Replica, userId: string) => {
    const res = await get(r, `/v1/users/${userId}/recommendations`);
    return res.status === 200 ? ((await res.json()) as { source: string; result: { runId: string; userId: string } }) : null;
  };

  it("views alternating between the replicas give exactly one near-line run per trigger window, and each serves the other's result", { timeout: 420_000 }, async () => {
    const buyer = `sc-${run}-alt`;
    for (let i = 0; i < 5; i++) {
      const res = await post(i % 2 === 0 ? a : b, "/v1/events", { events: [view(buyer)] });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { stored: number; triggered: string[] };
      expect(body.stored).toBe(1);
      expect(body.triggered).toEqual(i === 4 ? [buyer] : []);
    }
    const first = await waitFor("the first near-line result", () => latest(b, buyer));
    expect(first.source).toBe("nearline");
    expect(await runsOf(buyer)).toHaveLength(1);
    expect((await latest(a, buyer))?.result.runId).toBe(first.result.runId);

    // A second window: five more alternating views; one follow-up run, not before the debounce interval.
    for (let i = 0; i < 5; i++) await post(i % 2 === 0 ? b : a, "/v1/events", { events: [view(buyer)] });
    const second = await waitFor("the second near-line result", async () => {
      const l = await latest(a, buyer);
      return l && l.result.runId !== first.result.runId ? l : null;
    });
    const runs = await runsOf(buyer);
    expect(runs).toHaveLength(2);
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(MIN_INTERVAL_MS - 50);
    expect((await latest(b, buyer))?.result.runId).toBe(second.result.runId);
    expect(new Set(runs.map((r) => r.thread)).size).toBe(2);
  });

  it("an invoke on one replica is served by the other", { timeout: 420_000 }, async () => {
    const buyer = `sc-${run}-inv`;
    await post(a, "/v1/events", { events: [view(buyer)] });
    const res = await post(a, `/v1/users/${buyer}/invoke`, {});
    expect(res.status).toBe(200);
    const result = (await res.json()) as { runId: string };
    const onB = await latest(b, buyer);
    expect(onB).toMatchObject({ source: "invoke", result: { runId: result.runId, userId: buyer } });
  });

  it("killing the replica that runs a job makes the other finish it, resuming the checkpointed run", { timeout: 420_000 }, async () => {
    const buyer = `sc-${run}-slow`;
    const order = { eventId: `sc-${run}-o1`, userId: buyer, type: "order", itemId: itemIds[0], at: "2025-05-30T11:00:00Z", quantity: 5, amount: 50 };
    const res = await post(a, "/v1/events", { events: [order] });
    expect(((await res.json()) as { triggered: string[] }).triggered).toEqual([buyer]);

    const held = await waitFor("a replica to reach the slow node", async () =>
      (await starts()).find((s) => s.userId === buyer && s.node === SLOW_NODE),
    );
    const holder = [a, b].find((r) => r.pid === held.pid);
    const other = [a, b].find((r) => r.pid !== held.pid);
    expect(holder).toBeDefined();
    expect(other).toBeDefined();
    const before = (await starts()).filter((s) => s.thread === held.thread && s.pid === held.pid).map((s) => s.node);
    expect(before.slice(0, 2)).toEqual(["load_context", "compress_behavior"]);
    holder!.child.kill("SIGKILL");

    const done = await waitFor("the other replica to store the result", () => latest(other!, buyer), 300_000).catch(async (e: unknown) => {
      const trace = (await starts()).filter((s) => s.userId === buyer).map((s) => `${s.pid === holder!.pid ? "killed" : "other"}:${s.thread.slice(0, 11)}:${s.node}`);
      throw new Error(`${e instanceof Error ? e.message : String(e)}; held ${held.thread}; node starts: ${trace.join(" ")}`);
    });
    expect(done.source).toBe("nearline");
    expect(done.result.runId).toBe(held.thread);
    const after = (await starts()).filter((s) => s.thread === held.thread && s.pid === other!.pid).map((s) => s.node);
    expect(after.length).toBeGreaterThan(0);
    expect(before).toContain("generate_queries");
    expect(after).not.toContain("load_context");
    expect(after).not.toContain("compress_behavior");
    expect(after).toContain(SLOW_NODE);
    expect(after).toContain("explain");
    expect(await runsOf(buyer)).toHaveLength(1);

    // Checkpoints only serve resumption: once the result is stored, the thread's are deleted.
    const db = new pg.Client({ connectionString: adminUrl.replace(/\/postgres$/, `/${dbName}`) });
    await db.connect();
    const left = await db.query<{ n: string }>("SELECT count(*) AS n FROM checkpoints WHERE thread_id = $1", [held.thread]);
    await db.end();
    expect(Number(left.rows[0]?.n)).toBe(0);

    // The killed replica's place is taken by a new one, which sees the stored result too.
    extra = await startReplica("C", replicaEnv(0));
    expect((await latest(extra, buyer))?.result.runId).toBe(held.thread);
  });
});

/**
 * The Postgres pieces on a real local Postgres (`services/scale.ts`, `POSTGRES_PORT`), each test
 * run in a fresh database: the migration step (idempotent, concurrent-safe), the latest-results
 * store shared by two pools, and `checkpointerFromEnv` selecting the Postgres checkpointer.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointerFromEnv, LazySqliteSaver } from "../graph/checkpointer.js";
import { createPostgresResultStore } from "../server/pg-store.js";
import { sampleResult } from "../test/support/server.js";
import { loadServicesConfig } from "../services/config.js";
import { ensurePostgres, releasePostgres } from "../services/scale.js";
import { createPostgresPool, migratePostgres, MIGRATIONS } from "./postgres.js";

const dbName = `chrysalis_db_${randomUUID().slice(0, 8)}`;
let adminUrl: string;
let url: string;
let startedPostgres = false;
const pools: pg.Pool[] = [];
const pool = () => {
  const p = createPostgresPool(url, 3);
  pools.push(p);
  return p;
};

beforeAll(async () => {
  const up = await ensurePostgres(loadServicesConfig());
  adminUrl = up.url;
  startedPostgres = up.started;
  url = adminUrl.replace(/\/postgres$/, `/${dbName}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await releasePostgres(loadServicesConfig(), startedPostgres);
});

describe("Postgres for runs and results", () => {
  it("migrates once even when two replicas migrate at the same time", async () => {
    const [first, second] = await Promise.all([migratePostgres(pool()), migratePostgres(pool())]);
    expect([...first, ...second].sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migratePostgres(pool())).toEqual([]);
    const tables = await pool().query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'");
    const names = tables.rows.map((r) => r.t);
    expect(names).toEqual(expect.arrayContaining(["latest_results", "chrysalis_migrations", "checkpoints", "checkpoint_writes"]));
  });

  it("a result stored through one pool is served through another, and a newer one replaces it", async () => {
    await migratePostgres(pool());
    const writer = createPostgresResultStore(pool());
    const reader = createPostgresResultStore(pool());
    expect(await reader.getLatest("pg-b1")).toBeNull();
    await writer.putLatest(sampleResult("pg-b1", "run-1"), "nearline");
    expect(await reader.getLatest("pg-b1")).toMatchObject({ source: "nearline", result: { runId: "run-1", userId: "pg-b1" } });
    await writer.putLatest(sampleResult("pg-b1", "run-2"), "invoke");
    const latest = await reader.getLatest("pg-b1");
    expect(latest).toMatchObject({ source: "invoke", result: { runId: "run-2" } });
    expect(Number.isNaN(Date.parse(latest?.storedAt ?? ""))).toBe(false);
    expect(await reader.count()).toBe(1);
  });

  it("selects the Postgres checkpointer from POSTGRES_URL or DATABASE_URL, SQLite otherwise", async () => {
    const fromPostgres = checkpointerFromEnv({ POSTGRES_URL: url });
    const fromDatabase = checkpointerFromEnv({ DATABASE_URL: url });
    expect(fromPostgres).toBeInstanceOf(PostgresSaver);
    expect(fromDatabase).toBeInstanceOf(PostgresSaver);
    expect(checkpointerFromEnv({})).toBeInstanceOf(LazySqliteSaver);
    await migratePostgres(pool());
    expect(await fromPostgres.getTuple({ configurable: { thread_id: "none-such" } })).toBeUndefined();
    await ((fromPostgres as PostgresSaver).end());
    await ((fromDatabase as PostgresSaver).end());
  });
});

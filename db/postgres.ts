/**
 * PostgreSQL for runs and results: one `pg` pool per process (size `POSTGRES_POOL_MAX`) and the
 * migration step. `migratePostgres` applies the numbered migrations below once each (recorded in
 * `chrysalis_migrations`, serialised across replicas by an advisory lock) and then the LangGraph
 * checkpointer's own `setup()`. Reads `POSTGRES_URL` / `DATABASE_URL` through the services config.
 */
import pg from "pg";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";

/** One schema change: applied once, in order of `version`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "latest_results",
    sql: `CREATE TABLE IF NOT EXISTS latest_results (
      user_id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('invoke', 'nearline')),
      stored_at TIMESTAMPTZ NOT NULL,
      result JSONB NOT NULL
    )`,
  },
];

/** Key of the advisory lock that serialises migrations of concurrent replicas. */
const MIGRATION_LOCK = 0x636872797361;

/** A pool on `url` with at most `max` connections. */
export function createPostgresPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => undefined);
  return pool;
}

/** Applies pending migrations and the checkpointer's schema; returns the versions applied now. */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS chrysalis_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>("SELECT version FROM chrysalis_migrations")).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO chrysalis_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      applied.push(m.version);
    }
    await new PostgresSaver(pool).setup();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}

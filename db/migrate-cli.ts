/**
 * `npm run db:migrate`: applies the Postgres migrations (`db/postgres.ts`) and the checkpointer's
 * tables on `POSTGRES_URL` (or `DATABASE_URL`) and prints the versions applied. Exits 1 with a
 * message when no URL is configured or the server is unreachable.
 */
import { loadServicesConfig } from "../services/config.js";
import { createPostgresPool, migratePostgres } from "./postgres.js";

async function main(): Promise<void> {
  const cfg = loadServicesConfig();
  if (!cfg.postgres.url) throw new Error("POSTGRES_URL (or DATABASE_URL) is not set: nothing to migrate (the embedded default uses SQLite files)");
  const pool = createPostgresPool(cfg.postgres.url, 2);
  try {
    const applied = await migratePostgres(pool);
    console.log(applied.length > 0 ? `applied migrations ${applied.join(", ")}` : "schema up to date");
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

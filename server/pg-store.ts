/**
 * The latest-results store on PostgreSQL (`latest_results`, created by `db/postgres.ts`'s
 * migration): every replica reads and writes the same rows, so a result stored by one replica is
 * served by any other. Implements `ResultStore` (server/store.ts) asynchronously.
 */
import type pg from "pg";
import { RecommendationResult } from "../contracts/result.js";
import type { ResultStore, RunSource, StoredResult } from "./store.js";

interface Row {
  result: unknown;
  source: RunSource;
  stored_at: Date;
}

/** A store over `pool`; `close()` ends the pool only when `ownsPool` is true. */
export function createPostgresResultStore(pool: pg.Pool, opts: { ownsPool?: boolean; now?: () => Date } = {}): ResultStore {
  const now = opts.now ?? (() => new Date());
  return {
    async putLatest(result, source) {
      const parsed = RecommendationResult.parse(result);
      await pool.query(
        `INSERT INTO latest_results (user_id, run_id, source, stored_at, result) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET run_id = excluded.run_id, source = excluded.source,
           stored_at = excluded.stored_at, result = excluded.result`,
        [parsed.userId, parsed.runId, source, now(), JSON.stringify(parsed)],
      );
    },
    async getLatest(userId): Promise<StoredResult | null> {
      const { rows } = await pool.query<Row>("SELECT result, source, stored_at FROM latest_results WHERE user_id = $1", [userId]);
      const row = rows[0];
      if (!row) return null;
      return { result: RecommendationResult.parse(row.result), source: row.source, storedAt: row.stored_at.toISOString() };
    },
    async count() {
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM latest_results");
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      if (opts.ownsPool) await pool.end();
    },
  };
}

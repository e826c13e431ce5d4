/**
 * Each buyer's latest recommendation result, kept in SQLite (better-sqlite3) so that results of
 * invoke and near-line runs survive a restart. `ResultStore` is the interface the app uses (its
 * methods may answer synchronously or with a promise; callers await); `openSqliteResultStore(path)`
 * implements it synchronously (`:memory:` for tests), `server/pg-store.ts` with Postgres.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { RecommendationResult } from "../contracts/result.js";

export type RunSource = "invoke" | "nearline";

export interface StoredResult {
  result: RecommendationResult;
  source: RunSource;
  /** When the result was stored (ISO date-time). */
  storedAt: string;
}

type MaybePromise<T> = T | Promise<T>;

export interface ResultStore {
  putLatest(result: RecommendationResult, source: RunSource): MaybePromise<void>;
  getLatest(userId: string): MaybePromise<StoredResult | null>;
  count(): MaybePromise<number>;
  close(): MaybePromise<void>;
}

/** The SQLite store answers synchronously. */
export interface SyncResultStore extends ResultStore {
  putLatest(result: RecommendationResult, source: RunSource): void;
  getLatest(userId: string): StoredResult | null;
  count(): number;
  close(): void;
}

interface Row {
  json: string;
  source: RunSource;
  stored_at: string;
}

/** Opens (creating when needed) the SQLite store at `file`. */
export function openSqliteResultStore(file: string, now: () => Date = () => new Date()): SyncResultStore {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE IF NOT EXISTS latest_results (
    user_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    source TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    json TEXT NOT NULL
  )`);
  const put = db.prepare(
    `INSERT INTO latest_results (user_id, run_id, source, stored_at, json) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET run_id = excluded.run_id, source = excluded.source,
       stored_at = excluded.stored_at, json = excluded.json`,
  );
  const get = db.prepare<[string], Row>("SELECT json, source, stored_at FROM latest_results WHERE user_id = ?");
  const count = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM latest_results");
  return {
    putLatest(result, source) {
      const parsed = RecommendationResult.parse(result);
      put.run(parsed.userId, parsed.runId, source, now().toISOString(), JSON.stringify(parsed));
    },
    getLatest(userId) {
      const row = get.get(userId);
      if (!row) return null;
      return { result: RecommendationResult.parse(JSON.parse(row.json)), source: row.source, storedAt: row.stored_at };
    },
    count() {
      return count.get()?.n ?? 0;
    },
    close() {
      db.close();
    },
  };
}

/**
 * Run checkpointers. `checkpointerFromEnv()` picks the Postgres checkpointer
 * (`@langchain/langgraph-checkpoint-postgres`, shared by every replica, so a run checkpointed on
 * one resumes on another) when `POSTGRES_URL` or `DATABASE_URL` is set, else the embedded
 * default: SQLite at `.data/checkpoints.sqlite`, opened on first use (so that importing the
 * module-level `graph` touches no file). The Postgres tables come from the migration step
 * (`db/postgres.ts`, run by the server at start and by `npm run db:migrate`).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";
import { createPostgresPool } from "../db/postgres.js";
import { loadServicesConfig } from "../services/config.js";

export const DEFAULT_CHECKPOINT_FILE = ".data/checkpoints.sqlite";

export class LazySqliteSaver extends BaseCheckpointSaver {
  private saver: SqliteSaver | null = null;

  constructor(private readonly file: string = DEFAULT_CHECKPOINT_FILE) {
    super();
  }

  private open(): SqliteSaver {
    if (!this.saver) {
      if (this.file !== ":memory:") mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
      this.saver = SqliteSaver.fromConnString(this.file);
    }
    return this.saver;
  }

  getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return this.open().getTuple(config);
  }

  list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.open().list(config, options);
  }

  put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    return this.open().put(config, checkpoint, metadata);
  }

  putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    return this.open().putWrites(config, writes, taskId);
  }

  deleteThread(threadId: string): Promise<void> {
    return this.open().deleteThread(threadId);
  }
}

/** The Postgres checkpointer over `pool` (tables from `migratePostgres`). */
export function createPostgresCheckpointer(pool: pg.Pool): PostgresSaver {
  return new PostgresSaver(pool);
}

/** Postgres when `POSTGRES_URL` / `DATABASE_URL` is set (pool of `POSTGRES_POOL_MAX`), else lazy SQLite. */
export function checkpointerFromEnv(env: NodeJS.ProcessEnv = process.env): BaseCheckpointSaver {
  const cfg = loadServicesConfig(env);
  if (cfg.postgres.url) return createPostgresCheckpointer(createPostgresPool(cfg.postgres.url, cfg.postgres.poolMax));
  return new LazySqliteSaver();
}

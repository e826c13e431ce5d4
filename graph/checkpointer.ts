/**
 * The default checkpointer: SQLite at `.data/checkpoints.sqlite`, opened on first use (so that
 * importing the module-level `graph` touches no file).
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

/**
 * The ports the graph's nodes and reasoners need from the outside world, passed in through
 * `config.configurable.deps`: the KG reader, the U-Q scorer, the embedder, the reasoning-step
 * runner, chat models per role and the trend tools. `lib/deps.ts` reads them from a run's config.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { KgReader } from "./kg.js";
import type { RunStep, ReasoningRole } from "./steps.js";
import type { UqScorer } from "./uq.js";

export interface Embedder {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
  /** Many query embeddings in one request, when the embedder can (graph/embed-cache.ts). */
  embedQueries?(texts: string[]): Promise<number[][]>;
}

export interface TrendToolsArgs {
  kg: KgReader;
  asOf: string;
}

/** The embedding check of the injection guard (`llm/injection-embedding.ts`): one margin per text. */
export interface InjectionEmbeddingCheck {
  margins(texts: string[]): Promise<number[]>;
}

export interface Memo {
  get<T>(key: string, compute: () => Promise<T>, ttlMs?: number): Promise<T>;
}

export interface GraphDeps {
  kg: KgReader;
  uq: UqScorer;
  embedder: Embedder;
  runStep: RunStep;
  /** The chat model of a role (`modelName`: the graph configuration's per-role model), or undefined when none is configured for it. */
  chatModel: (role: ReasoningRole, modelName?: string) => BaseChatModel | undefined;
  /** Retries of a reasoning step when the graph configuration sets none (`LLM_MAX_RETRIES`). */
  llmMaxRetries?: number;
  /** LangChain tools for the source planner / trend miner (local corpus sources, Tavily). */
  trendTools?: (args: TrendToolsArgs) => StructuredToolInterface[];
  memo: Memo;
  /** When set, trend documents the offline guard passes also get the embedding check (`INJECTION_EMBEDDING_CHECK`). */
  injectionCheck?: InjectionEmbeddingCheck;
  /** Render and count prompts but send nothing (benchmarks); the `runStep` should be a dry-run one too. */
  dryRunPrompts?: boolean;
}

export type DepsProvider = () => Promise<GraphDeps>;


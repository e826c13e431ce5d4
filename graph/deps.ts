/**
 * What the graph's nodes need from the outside world, passed in through
 * `config.configurable.deps` (or a `depsProvider` that builds them on first use): the KG reader,
 * the U-Q scorer, the embedder, the reasoning-step runner, chat models per role and the trend
 * tools. Nothing here is a module singleton; `createMemo` is a bounded per-deps cache.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { KgReader } from "../kg/types.js";
import type { RunStep, ReasoningRole, ReasonerUsed } from "../llm/step.js";
import type { UqScorer } from "../kg/uq.js";
import type { Configuration } from "./configuration.js";

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
  /** Render and count prompts but send nothing (benchmarks); the `runStep` should be a dry-run one too. */
  dryRunPrompts?: boolean;
}

export type DepsProvider = () => Promise<GraphDeps>;

/** A bounded async memo (insertion-ordered eviction; entries expire after their ttl, default `ttlMs`). */
export function createMemo(maxEntries = 256, ttlMs = 5_000): Memo {
  const entries = new Map<string, { at: number; ttl: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, compute: () => Promise<T>, ttl: number = ttlMs): Promise<T> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < hit.ttl) return hit.value as Promise<T>;
      const value = compute();
      value.catch(() => entries.delete(key));
      entries.set(key, { at: Date.now(), ttl, value });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return value;
    },
  };
}

/** The deps of this run: `configurable.deps`, else the `configurable.depsProvider`'s. */
export async function getDeps(config?: RunnableConfig): Promise<GraphDeps> {
  const c = (config?.configurable ?? {}) as { deps?: GraphDeps; depsProvider?: DepsProvider };
  if (c.deps) return c.deps;
  if (c.depsProvider) return c.depsProvider();
  throw new Error("graph dependencies missing: pass configurable.deps or use createGraph()");
}

/** The chat model of a role for this run: the configuration's per-role model name reaches the factory. */
export function chatModelFor(role: ReasoningRole, cfg: Configuration, deps: GraphDeps): BaseChatModel | undefined {
  return deps.chatModel(role, cfg.model[role]);
}

/** Resolves a role's `auto | llm | analytic` choice against the deps' chat models. */
export function reasonerFor(role: ReasoningRole, cfg: Configuration, deps: GraphDeps): ReasonerUsed {
  const choice = cfg.reasoner[role];
  if (choice === "analytic") return "analytic";
  const model = chatModelFor(role, cfg, deps);
  if (model) return "llm";
  if (choice === "llm") throw new Error(`reasoner "llm" requested for role "${role}" but no chat model is configured`);
  return "analytic";
}

/** The KG vocabulary, memoised for a minute. */
export function vocabularyOf(deps: GraphDeps): Promise<import("../kg/types.js").Vocabulary> {
  return deps.memo.get("vocabulary", () => deps.kg.vocabulary(), 60_000);
}

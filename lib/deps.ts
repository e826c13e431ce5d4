/**
 * Reads a run's dependencies (`contracts/deps.ts`) from its LangGraph config, resolves each
 * role's reasoner against them, and memoises per-deps reads (`createMemo`, the vocabulary).
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { DepsProvider, GraphDeps, Memo } from "../contracts/deps.js";
import type { ReasoningRole, ReasonerUsed } from "../contracts/steps.js";
import { readConfiguration, type Configuration } from "../contracts/configuration.js";
import type { Vocabulary } from "../contracts/kg.js";

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
export function vocabularyOf(deps: GraphDeps): Promise<Vocabulary> {
  return deps.memo.get("vocabulary", () => deps.kg.vocabulary(), 60_000);
}

/** What every reasoning role runs with: the run's deps and its resolved configuration. */
export interface RoleContext {
  deps: GraphDeps;
  cfg: Configuration;
}

/** The deps and configuration of this run. */
export async function roleContext(config?: RunnableConfig): Promise<RoleContext> {
  return { deps: await getDeps(config), cfg: readConfiguration(config) };
}

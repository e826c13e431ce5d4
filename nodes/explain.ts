/**
 * explain — reads `ranked`, `finalQueries`, `compression`, `cfv`, `trends`; writes
 * `explanations`: per item the chain behaviour (tuple) → preference (CFV entry) or trend
 * (document) or pair → query → item, each link with its id and a label. Only evidence that
 * exists in state is linked. An item ranked without a query (engaged before, in a category no
 * query covers: nodes/rank-items.ts) gets behaviour → item.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { type ChainLink } from "../contracts/items.js";
import { compactTuple } from "../lib/tuples.js";

export function buildChains(state: Pick<GraphState, "ranked" | "finalQueries" | "compression" | "cfv" | "trends">): Record<string, ChainLink[]> {
  const tuples = new Map((state.compression?.tuples ?? []).map((t) => [t.id, t]));
  const cfv = new Map((state.cfv?.categories ?? []).flatMap((c) => [...c.long, ...c.recent, ...c.potential]).map((e) => [e.id, e]));
  const docs = new Map((state.trends?.docs ?? []).map((d) => [d.id, d]));
  const queries = new Map(state.finalQueries.map((q) => [q.id, q]));
  const out: Record<string, ChainLink[]> = {};
  for (const item of state.ranked) {
    const q = queries.get(item.queryIds[0]);
    const chain: ChainLink[] = [];
    if (!q) {
      out[item.itemId] = [
        { kind: "behaviour", id: `engaged:${item.itemId}`, label: `engaged before, in ${item.categoryId}` },
        { kind: "item", id: item.itemId, label: item.shortTitle },
      ];
      continue;
    }
    const tuple = q.evidence.map((e) => tuples.get(e.id)).find((t) => t !== undefined);
    if (tuple) chain.push({ kind: "behaviour", id: tuple.id, label: compactTuple(tuple) });
    const pref = q.evidence.map((e) => cfv.get(e.id)).find((e) => e !== undefined);
    if (pref) chain.push({ kind: "preference", id: pref.id, label: `${pref.name}:${pref.weight}` });
    const doc = q.evidence.map((e) => docs.get(e.id)).find((d) => d !== undefined);
    if (doc) chain.push({ kind: "trend", id: doc.id, label: `${doc.source}: ${doc.title}` });
    const pair = q.evidence.find((e) => e.kind === "pair");
    if (pair) chain.push({ kind: "pair", id: pair.id, label: pair.id.slice("pair:".length).replace(":", " → ") });
    chain.push({ kind: "query", id: q.id, label: q.text });
    chain.push({ kind: "item", id: item.itemId, label: item.shortTitle });
    out[item.itemId] = chain;
  }
  return out;
}

export async function explain(state: GraphState, _config?: RunnableConfig): Promise<GraphUpdate> {
  return { explanations: buildChains(state) };
}

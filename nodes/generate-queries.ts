/**
 * generate_queries — reads `portrait`, `cfv`, `trends`, `compression.tuples`, `pairs`, and on a
 * critic loop `candidates` + `verdicts`; writes `candidates`: `queryCount` demand queries
 * `{text, category, values[], horizon, evidence[]}` across horizons. On feedback only the failed
 * queries are regenerated (the passing ones are kept as they are). Role `queryGenerator` (strict
 * JSON from the LLM, or llm/analytic/query-generator.ts). Names the model gives are resolved to
 * KG ids here; names that resolve to nothing stay visible so the critic can catch them.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { chatModelFor, getDeps, reasonerFor, vocabularyOf } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { EvidenceRef, Horizon } from "../graph/result.js";
import type { Vocabulary } from "../kg/types.js";
import { analyticQueries, type GeneratorInputs } from "../llm/analytic/query-generator.js";
import { prompts } from "./prompt-bridge.js";

export const GeneratedQueriesSchema = z.object({
  queries: z.array(
    z.object({
      reason: z.string().describe("why this buyer needs this query, first"),
      text: z
        .string()
        .refine((t) => t.length >= 2 && t.length <= 60, "expected 2 to 60 characters")
        .describe("the demand query, as a buyer would search (2 to 60 characters)"),
      category: z.string().describe("leaf category name from the vocabulary"),
      values: z.array(z.string()).min(1).max(4).describe("factor value names from the vocabulary"),
      horizon: Horizon,
      evidence: z.array(z.string()).min(1).describe("ids of tuples, CFV entries, trend documents or pairs"),
    }),
  ),
});
export type GeneratedQueries = z.infer<typeof GeneratedQueriesSchema>;

export const QuerySchema = z.object({
  id: z.string(),
  text: z.string(),
  categoryId: z.string(),
  categoryName: z.string(),
  valueIds: z.array(z.string()),
  values: z.array(z.string()),
  /** Value names that matched no KG value (the critic fails these). */
  unknownValues: z.array(z.string()),
  horizon: Horizon,
  evidence: z.array(EvidenceRef),
  reason: z.string(),
  /** Generation round (0 = first generation). */
  round: z.number().int().nonnegative(),
});
export type Query = z.infer<typeof QuerySchema>;

export function evidenceKind(id: string): z.infer<typeof EvidenceRef>["kind"] {
  if (id.startsWith("t:")) return "tuple";
  if (id.startsWith("cfv:")) return "cfv";
  if (id.startsWith("pair:")) return "pair";
  return "trend";
}

export function queryId(text: string, categoryId: string): string {
  return `q:${createHash("sha1").update(`${categoryId}|${text}`).digest("hex").slice(0, 10)}`;
}

/** Resolves a generated draft against the vocabulary. */
export function resolveDraft(d: GeneratedQueries["queries"][number], vocab: Vocabulary, round: number): Query {
  const cat = vocab.categories.find((c) => c.name === d.category || c.id === d.category || c.noun === d.category);
  const allowed = new Set(cat?.allows ?? []);
  const valueIds: string[] = [];
  const values: string[] = [];
  const unknownValues: string[] = [];
  for (const name of d.values) {
    const matches = vocab.values.filter((v) => v.name === name || v.id === name);
    const v = matches.find((m) => allowed.has(m.factor)) ?? matches[0];
    if (v) {
      valueIds.push(v.id);
      values.push(v.name);
    } else unknownValues.push(name);
  }
  const categoryId = cat?.id ?? d.category;
  return {
    id: queryId(d.text, categoryId),
    text: d.text,
    categoryId,
    categoryName: cat?.name ?? d.category,
    valueIds,
    values,
    unknownValues,
    horizon: d.horizon,
    evidence: d.evidence.map((id) => ({ kind: evidenceKind(id), id })),
    reason: d.reason,
    round,
  };
}

export async function generateQueries(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const vocab = await vocabularyOf(deps);
  const inputs: GeneratorInputs = {
    portrait: state.portrait!,
    cfv: state.cfv!,
    trends: state.trends!,
    tuples: state.compression!.tuples,
    pairs: state.pairs,
    vocab,
  };
  const round = state.criticRounds;
  const failed = state.candidates.filter((q) => state.verdicts[q.id]?.verdict === "fail");
  const kept = state.candidates.filter((q) => state.verdicts[q.id]?.verdict !== "fail");
  const want = round === 0 ? cfg.queryCount : failed.length;
  const exclude = new Set([...state.candidates.map((q) => q.text), ...state.rejectedTexts]);
  const role = "queryGenerator" as const;
  const feedback = failed.map((q) => ({ query: q, feedback: state.verdicts[q.id]!.feedback }));
  const out = await deps.runStep({
    role,
    schema: GeneratedQueriesSchema,
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () => prompts.queryGenerator({ inputs, count: want, failed: feedback, accepted: kept }),
    accept: (v) => (want > 0 && v.queries.length === 0 ? `queries is empty: write ${want} queries` : null),
    analytic: () => analyticQueries(inputs, want, exclude),
  });
  const keptIds = new Set(kept.map((q) => q.id));
  const fresh = out.value.queries
    .slice(0, want)
    .map((d) => resolveDraft(d, vocab, round))
    .filter((q) => !keptIds.has(q.id));
  const unique = [...new Map([...kept, ...fresh].map((q) => [q.id, q])).values()];
  return {
    candidates: unique,
    rejectedTexts: failed.map((q) => q.text),
    dropped: failed.map((q) => ({ queryId: q.id, text: q.text, reason: `replaced after critic: ${state.verdicts[q.id]!.issues.join("; ")}` })),
    steps: [out.report],
  };
}

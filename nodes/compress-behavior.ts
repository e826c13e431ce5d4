/**
 * compress_behavior — reads `userId`, `asOf`, the user's events in the history window (KG);
 * writes `compression`: weekly five-tuples per (week, leaf category) with their compact text (see
 * llm/analytic/compressor.ts for the exact fields), raw vs compressed token counts and the share
 * of factor mass the compact form keeps. Reasoning role `compressor`: factor extraction from
 * search terms (LLM on the buyer's `COMPRESSOR_MAX_TERMS` most frequent terms, vocabulary matching
 * for the rest and as the analytic reasoner).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { chatModelFor, getDeps, reasonerFor, vocabularyOf } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { countTokens } from "../llm/tokens.js";
import { buildTuples, compactTuple, extractTermFactors, renderRawLog } from "../llm/analytic/compressor.js";
import { historyEvents } from "./load-context.js";
import { prompts } from "./prompt-bridge.js";
import { COMPRESSOR_MAX_TERMS } from "../llm/role-limits.js";

export const TermFactorsSchema = z.object({
  terms: z
    .array(
      z.object({
        term: z.string().describe("the search term, verbatim"),
        values: z.array(z.string()).describe("decision-factor values the term names, from the vocabulary"),
        category: z.string().nullable().describe("the leaf category the term names, or null"),
      }),
    )
    .describe("one entry per search term"),
});

export const TupleSchema = z.object({
  id: z.string(),
  week: z.string(),
  weekStart: z.string(),
  categoryId: z.string(),
  noun: z.string(),
  amount: z.number(),
  quantity: z.number(),
  events: z.number().int(),
  counts: z.record(z.string(), z.number()),
  factors: z.array(z.object({ valueId: z.string(), name: z.string(), factor: z.string(), weight: z.number() })),
  mass: z.number(),
});
export type Tuple = z.infer<typeof TupleSchema>;

export const CompressionSchema = z.object({
  tuples: z.array(TupleSchema),
  text: z.string(),
  rawTokens: z.number().int().nonnegative(),
  compressedTokens: z.number().int().nonnegative(),
  factorMassTotal: z.number().nonnegative(),
  factorMassKept: z.number().nonnegative(),
  /** factorMassKept / factorMassTotal (1 when there is no mass). */
  factorMassShare: z.number().min(0).max(1),
});
export type Compression = z.infer<typeof CompressionSchema>;

export async function compressBehavior(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const asOf = state.asOf!;
  const [events, vocab] = await Promise.all([
    historyEvents(deps, state.userId, asOf, cfg.historyWeeks),
    vocabularyOf(deps),
  ]);
  const termCounts = new Map<string, number>();
  for (const e of events) if (e.type === "search" && e.searchTerm) termCounts.set(e.searchTerm, (termCounts.get(e.searchTerm) ?? 0) + 1);
  const terms = [...termCounts.keys()];
  const asked = new Set([...termCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, COMPRESSOR_MAX_TERMS).map(([t]) => t));
  const steps = [];
  let termFactors = extractTermFactors(terms, vocab);
  if (terms.length > 0) {
    const role = "compressor" as const;
    const out = await deps.runStep({
      role,
      schema: TermFactorsSchema,
      reasoner: reasonerFor(role, cfg, deps),
      model: chatModelFor(role, cfg, deps),
      maxRetries: cfg.maxRetries,
      prompt: () =>
        prompts.compressor({
          terms: [...asked],
          vocab,
          categoryIds: [...new Set(events.map((e) => e.categoryId).filter((c): c is string => c !== null))],
        }),
      analytic: () => ({ terms: termFactors.filter((t) => asked.has(t.term)) }),
    });
    const answered = new Map(out.value.terms.filter((t) => asked.has(t.term)).map((t) => [t.term, t]));
    termFactors = termFactors.map((t) => answered.get(t.term) ?? t);
    steps.push(out.report);
  }
  const { tuples, massTotal, massKept } = buildTuples(events, vocab, termFactors, cfg.factorsPerTuple, cfg.factorMassTarget);
  const text = tuples.map(compactTuple).join("\n");
  return {
    compression: {
      tuples,
      text,
      rawTokens: countTokens(renderRawLog(events)),
      compressedTokens: countTokens(text),
      factorMassTotal: massTotal,
      factorMassKept: massKept,
      factorMassShare: massTotal > 0 ? massKept / massTotal : 1,
    },
    steps,
  };
}

/**
 * Role `compressor`: reads the buyer's events of the history window (KG) and the vocabulary;
 * returns the compression — weekly five-tuples per (week, leaf category) with their compact
 * text, raw vs compressed token counts and the share of factor mass kept. The reasoning step is
 * factor extraction from search terms: the LLM with `prompts/compressor.ts` on the buyer's
 * `COMPRESSOR_MAX_TERMS` most frequent terms (vocabulary matching for the rest), or vocabulary
 * matching (`./analytic.ts`).
 */
import type { Compression } from "../../contracts/behaviour.js";
import { TermFactorsSchema } from "../../contracts/behaviour.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { historyEvents } from "../../lib/history.js";
import { compactTuple } from "../../lib/tuples.js";
import { countTokens } from "../../llm/tokens.js";
import { COMPRESSOR_MAX_TERMS } from "../../llm/role-limits.js";
import { compressorMessages } from "../../prompts/compressor.js";
import { buildTuples, extractTermFactors, renderRawLog } from "./analytic.js";

export async function runCompressor(
  { deps, cfg }: RoleContext,
  input: { userId: string; asOf: string },
): Promise<{ compression: Compression; steps: StepReport[] }> {
  const { asOf } = input;
  const [events, vocab] = await Promise.all([historyEvents(deps, input.userId, asOf, cfg.historyWeeks), vocabularyOf(deps)]);
  const termCounts = new Map<string, number>();
  for (const e of events) if (e.type === "search" && e.searchTerm) termCounts.set(e.searchTerm, (termCounts.get(e.searchTerm) ?? 0) + 1);
  const terms = [...termCounts.keys()];
  const asked = new Set([...termCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, COMPRESSOR_MAX_TERMS).map(([t]) => t));
  const steps: StepReport[] = [];
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
        compressorMessages({
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

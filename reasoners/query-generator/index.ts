/**
 * Role `queryGenerator`: reads the portrait, CFV, trends, tuples and pairs, and on a critic loop
 * the current candidates with their verdicts and the texts rejected before; returns
 * `queryCount` demand queries (a model is asked for at most `GENERATOR_MAX_LLM_QUERIES`) and the
 * fresh drafts of this round (`generated`), `{text, category, values[], horizon, evidence[]}` across horizons.
 * On feedback only the failed queries are regenerated (the passing ones are kept as they are).
 * LLM (strict JSON with `prompts/query-generator.ts`, evidence cited by the prompt's short aliases,
 * mapped back to evidence ids here) or `./analytic.ts`. Names the model gives are resolved to KG ids here; names that resolve to nothing stay visible so the critic can
 * catch them.
 */
import { createHash } from "node:crypto";
import type { Vocabulary } from "../../contracts/kg.js";
import {
  GeneratedQueriesSchema,
  generatedQueriesWireSchema,
  type Dropped,
  type EvidenceRef,
  type GeneratedQueries,
  type GeneratorInputs,
  type Query,
  type Verdict,
} from "../../contracts/queries.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { generatorEvidence, queryGeneratorMessages, resolveEvidenceRefs } from "../../prompts/query-generator.js";
import { analyticQueries } from "./analytic.js";
import { GENERATOR_MAX_LLM_QUERIES } from "../../llm/role-limits.js";

/** What the generator reads from the run: its inputs (without the vocabulary) and the critic loop's state. */
export interface GeneratorState {
  inputs: Omit<GeneratorInputs, "vocab">;
  candidates: Query[];
  verdicts: Record<string, Verdict>;
  rejectedTexts: string[];
  criticRounds: number;
}

export function evidenceKind(id: string): EvidenceRef["kind"] {
  if (id.startsWith("t:")) return "tuple";
  if (id.startsWith("cfv:")) return "cfv";
  if (id.startsWith("pair:") || id.startsWith("peer:")) return "pair";
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

export async function runQueryGenerator(
  { deps, cfg }: RoleContext,
  state: GeneratorState,
): Promise<{ candidates: Query[]; generated: Query[]; rejectedTexts: string[]; dropped: Dropped[]; report: StepReport }> {
  const vocab = await vocabularyOf(deps);
  const inputs: GeneratorInputs = { ...state.inputs, vocab };
  const round = state.criticRounds;
  const failed = state.candidates.filter((q) => state.verdicts[q.id]?.verdict === "fail");
  const kept = state.candidates.filter((q) => state.verdicts[q.id]?.verdict !== "fail");
  const role = "queryGenerator" as const;
  const reasoner = reasonerFor(role, cfg, deps);
  const want = round > 0 ? failed.length : reasoner === "llm" ? Math.min(cfg.queryCount, GENERATOR_MAX_LLM_QUERIES) : cfg.queryCount;
  const exclude = new Set([...state.candidates.map((q) => q.text), ...state.rejectedTexts]);
  const feedback = failed.map((q) => ({ query: q, feedback: state.verdicts[q.id]!.issues.join("；") || state.verdicts[q.id]!.feedback }));
  const out = await deps.runStep({
    role,
    schema: GeneratedQueriesSchema,
    ...(want > 0 ? { wireSchema: generatedQueriesWireSchema(want) } : {}),
    reasoner,
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () => queryGeneratorMessages({ inputs, count: want, failed: feedback, accepted: kept }),
    accept: (v) => (want > 0 && v.queries.length === 0 ? `queries is empty: write ${want} queries` : null),
    analytic: () => analyticQueries(inputs, want, exclude),
  });
  const keptIds = new Set(kept.map((q) => q.id));
  const evidence = out.report.reasoner === "llm" ? generatorEvidence(inputs) : [];
  const fresh = out.value.queries
    .slice(0, want)
    .map((d) => resolveDraft(out.report.reasoner === "llm" ? { ...d, evidence: resolveEvidenceRefs(d.evidence, evidence) } : d, vocab, round))
    .filter((q) => !keptIds.has(q.id));
  const unique = [...new Map([...kept, ...fresh].map((q) => [q.id, q])).values()];
  return {
    candidates: unique,
    generated: fresh,
    rejectedTexts: failed.map((q) => q.text),
    dropped: failed.map((q) => ({ queryId: q.id, text: q.text, reason: `replaced after critic: ${state.verdicts[q.id]!.issues.join("; ")}` })),
    report: out.report,
  };
}

/**
 * critique_queries — reads `candidates`, `verdicts`, `compression`, `cfv`, `trends`, `pairs`;
 * writes `verdicts` (per query: issues first, feedback, verdict, round), `criticRounds` (+1),
 * `hallucination` (share of critiqued queries failing: `before` = first round, `after` = this
 * round). Deterministic checks on every query not yet passed: schema; category exists and is a
 * leaf; every value exists in the KG and its factor is allowed for the category; every cited
 * evidence exists and each value is supported by cited evidence; the query retrieves at least
 * `minItemsPerQuery` items (full-text, category subtree, before `asOf`) and each of its values is
 * carried by some offer there (a value the category's offers never carry is not a real demand,
 * while a new combination of carried values may be); no instruction-like text
 * or URLs. Then the `critic` LLM judge, when configured, on the queries that passed.
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { chatModelFor, getDeps, reasonerFor, vocabularyOf, type GraphDeps } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import type { StepReport } from "../llm/step.js";
import type { Vocabulary } from "../kg/types.js";
import { looksInjected } from "../llm/analytic/trend-extractor.js";
import { compactTuple } from "../llm/analytic/compressor.js";
import { QuerySchema, type Query } from "./generate-queries.js";
import { prompts } from "./prompt-bridge.js";

export const VerdictSchema = z.object({
  queryId: z.string(),
  issues: z.array(z.string()),
  feedback: z.string(),
  verdict: z.enum(["pass", "fail"]),
  /** Critic round (1-based) that gave this verdict. */
  round: z.number().int().positive(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const JudgeSchema = z.object({
  verdicts: z.array(
    z.object({
      queryId: z.string(),
      reasons: z.string().describe("what was checked and found, first"),
      verdict: z.enum(["pass", "fail"]),
      issues: z.array(z.string()).describe("problems found; empty when none"),
      feedback: z.string().describe("concrete advice to the generator; empty on pass"),
    }),
  ),
});

/** The text behind each evidence id the queries cite, for the judge. */
export function evidenceTexts(state: Pick<GraphState, "compression" | "cfv" | "trends" | "pairs">, ids: Set<string>): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  for (const t of state.compression?.tuples ?? []) if (ids.has(t.id)) out.push({ id: t.id, text: compactTuple(t) });
  for (const c of state.cfv?.categories ?? [])
    for (const e of [...c.long, ...c.recent, ...c.potential]) if (ids.has(e.id)) out.push({ id: e.id, text: `${c.name} ${e.name}:${e.weight}` });
  for (const d of state.trends?.docs ?? []) if (ids.has(d.id)) out.push({ id: d.id, text: `${d.source} ${d.title} ${d.snippet}` });
  for (const p of state.pairs ?? []) {
    const id = `pair:${p.from}:${p.to}`;
    if (ids.has(id)) out.push({ id, text: `${p.from}→${p.to} lift ${p.lift}` });
  }
  return out;
}

/** What a query's evidence may point at, and which value ids each piece supports. */
export interface EvidenceIndex {
  /** evidence id → value ids it supports (empty set: exists, supports a category only). */
  supports: Map<string, Set<string>>;
}

export function buildEvidenceIndex(state: Pick<GraphState, "compression" | "cfv" | "trends" | "pairs">): EvidenceIndex {
  const supports = new Map<string, Set<string>>();
  for (const t of state.compression?.tuples ?? []) supports.set(t.id, new Set(t.factors.map((f) => f.valueId)));
  for (const c of state.cfv?.categories ?? [])
    for (const e of [...c.long, ...c.recent, ...c.potential]) supports.set(e.id, new Set([e.valueId]));
  const docValues = new Map<string, Set<string>>();
  for (const d of state.trends?.docs ?? []) docValues.set(d.id, new Set(d.valueIds));
  for (const sp of state.trends?.sellingPoints ?? [])
    if (sp.valueId) for (const id of sp.docIds) docValues.get(id)?.add(sp.valueId);
  for (const [id, s] of docValues) supports.set(id, s);
  for (const p of state.pairs ?? []) supports.set(`pair:${p.from}:${p.to}`, new Set());
  return { supports };
}

const UNSAFE = /[<>{}]|\bignore\b|指令|提示词/i;

export function deterministicIssues(q: Query, vocab: Vocabulary, evidence: EvidenceIndex): string[] {
  const issues: string[] = [];
  const parsed = QuerySchema.safeParse(q);
  if (!parsed.success) issues.push(`schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const cat = vocab.categories.find((c) => c.id === q.categoryId);
  if (!cat) issues.push(`category "${q.categoryName}" does not exist in the KG`);
  else if (cat.allows.length === 0) issues.push(`category "${cat.name}" is not a leaf category`);
  for (const name of q.unknownValues) issues.push(`value "${name}" is not a KG value`);
  if (q.valueIds.length + q.unknownValues.length === 0) issues.push("the query names no factor value");
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  for (const id of q.valueIds) {
    const v = valueById.get(id);
    if (!v) issues.push(`value id "${id}" is not a KG value`);
    else if (cat && !cat.allows.includes(v.factor)) issues.push(`value "${v.name}" (${v.factor}) is not allowed for ${cat.name}`);
  }
  if (q.evidence.length === 0) issues.push("no evidence cited");
  for (const e of q.evidence) if (!evidence.supports.has(e.id)) issues.push(`evidence "${e.id}" does not exist`);
  for (const id of q.valueIds) {
    const ok = q.evidence.some((e) => evidence.supports.get(e.id)?.has(id));
    if (!ok) issues.push(`value "${valueById.get(id)?.name ?? id}" is not supported by the cited evidence`);
  }
  if (looksInjected(q.text) || UNSAFE.test(q.text)) issues.push("instruction-like text or a link in the query");
  return issues;
}

export async function retrievalIssue(deps: GraphDeps, q: Query, asOf: string, min: number): Promise<string | null> {
  if (min <= 0) return null;
  const hits = await deps.kg.searchItemsFullText(q.text, { asOf, categoryId: q.categoryId, limit: min });
  if (hits.length < min) return `retrieves ${hits.length} items, fewer than ${min}`;
  const counts = await Promise.all(q.valueIds.map((v) => deps.kg.countItemsWithValues(q.categoryId, [v], { asOf, limit: 1 })));
  const never = q.valueIds.filter((_, k) => counts[k] === 0);
  return never.length === 0 ? null : `no offer in the category carries ${never.map((v) => `"${v}"`).join(", ")}`;
}

export function feedbackFor(issues: string[]): string {
  return issues.length === 0 ? "" : `请修正：${issues.join("；")}。只使用词表中的类目和属性值，并引用真实存在且支持这些属性值的证据 id。`;
}

export async function critiqueQueries(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const vocab = await vocabularyOf(deps);
  const round = state.criticRounds + 1;
  const evidence = buildEvidenceIndex(state);
  const pending = state.candidates.filter((q) => state.verdicts[q.id]?.verdict !== "pass");
  const issuesById = new Map<string, string[]>();
  await Promise.all(
    pending.map(async (q) => {
      const issues = deterministicIssues(q, vocab, evidence);
      if (issues.length === 0) {
        const r = await retrievalIssue(deps, q, state.asOf!, cfg.minItemsPerQuery);
        if (r) issues.push(r);
      }
      issuesById.set(q.id, issues);
    }),
  );
  const steps: StepReport[] = [];
  const clean = pending.filter((q) => issuesById.get(q.id)!.length === 0);
  const role = "critic" as const;
  const reasoner = reasonerFor(role, cfg, deps);
  if (clean.length > 0 && reasoner === "llm") {
    const out = await deps.runStep({
      role,
      schema: JudgeSchema,
      reasoner,
      model: chatModelFor(role, cfg, deps),
      maxRetries: cfg.maxRetries,
      prompt: () =>
        prompts.critic({
          queries: clean,
          portrait: state.portrait!,
          evidence: evidenceTexts(state, new Set(clean.flatMap((q) => q.evidence.map((e) => e.id)))),
          vocab,
        }),
      accept: (v) => {
        const judged = new Set(v.verdicts.map((x) => x.queryId));
        const missing = clean.filter((q) => !judged.has(q.id)).map((q) => q.id);
        return missing.length > 0 ? `no verdict for ${missing.join(", ")}: give one verdict per query` : null;
      },
      analytic: () => ({
        verdicts: clean.map((q) => ({ queryId: q.id, reasons: "deterministic checks passed", verdict: "pass" as const, issues: [], feedback: "" })),
      }),
    });
    for (const v of out.value.verdicts) {
      if (v.verdict === "fail" && issuesById.has(v.queryId)) {
        const found = v.issues.length > 0 ? v.issues : [v.feedback || v.reasons || "rejected"];
        issuesById.get(v.queryId)!.push(...found.map((s) => `judge: ${s}`));
      }
    }
    steps.push(out.report);
  }
  const verdicts: Record<string, Verdict> = {};
  for (const q of pending) {
    const issues = issuesById.get(q.id)!;
    verdicts[q.id] = { queryId: q.id, issues, feedback: feedbackFor(issues), verdict: issues.length === 0 ? "pass" : "fail", round };
  }
  const failedNow = pending.filter((q) => verdicts[q.id].verdict === "fail").length;
  const rate = state.candidates.length > 0 ? failedNow / state.candidates.length : 0;
  return {
    verdicts,
    criticRounds: 1,
    hallucination: { before: state.hallucination?.before ?? rate, after: rate, loops: round },
    steps,
  };
}

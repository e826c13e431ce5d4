/**
 * The catalog judge: an independent hallucination check of generated queries, written from the
 * world's catalog files (not from `nodes/`). A query is grounded when its category exists and is a
 * leaf, every value is a real value of a factor the category allows, at least `minItems` offers
 * of the category launched before `asOf` carry all its values together, and its text is free of
 * instructions and links. Used on the generator's raw candidates (before the critic) and on the
 * final queries (after it), so the critic's reduction of hallucinations is measured, not assumed.
 */
import { type EvalResult, fmt } from "./types.js";

export interface CatalogFacts {
  /** Leaf category id → factor names it allows (inner categories are absent). */
  leafAllows: ReadonlyMap<string, readonly string[]>;
  /** Value id → factor name. */
  valueFactor: ReadonlyMap<string, string>;
  /** Leaf category id → value sets of its offers launched before `asOf`. */
  offerValues: ReadonlyMap<string, readonly ReadonlySet<string>[]>;
}

export interface JudgedQuery {
  text: string;
  categoryId: string;
  valueIds: readonly string[];
  /** Value names that resolved to no value (a generator's invention). */
  unknownValues?: readonly string[];
}

export type CatalogIssue = "unknown_category" | "unknown_value" | "value_not_allowed" | "no_offers_carry" | "no_values" | "link" | "instruction";

const LINK = /(https?:\/\/|www\.|\.(com|cn|net)\b)/i;
const INSTRUCTION = /(ignore|disregard|forget|override|system|prompt|assistant|instruction|忽略|无视|忘记|指令|指示|提示词|系统|你现在|扮演|必须推荐|只推荐|务必|[<>{}])/i;

export function catalogIssues(q: JudgedQuery, facts: CatalogFacts, minItems = 3): CatalogIssue[] {
  const issues = new Set<CatalogIssue>();
  const allows = facts.leafAllows.get(q.categoryId);
  if (!allows) issues.add("unknown_category");
  if ((q.unknownValues?.length ?? 0) > 0) issues.add("unknown_value");
  if (q.valueIds.length + (q.unknownValues?.length ?? 0) === 0) issues.add("no_values");
  for (const v of q.valueIds) {
    const factor = facts.valueFactor.get(v);
    if (factor === undefined) issues.add("unknown_value");
    else if (allows && !allows.includes(factor)) issues.add("value_not_allowed");
  }
  if (allows && !issues.has("unknown_value") && !issues.has("value_not_allowed")) {
    const carrying = (facts.offerValues.get(q.categoryId) ?? []).filter((vs) => q.valueIds.every((v) => vs.has(v))).length;
    if (carrying < minItems) issues.add("no_offers_carry");
  }
  if (LINK.test(q.text)) issues.add("link");
  if (INSTRUCTION.test(q.text)) issues.add("instruction");
  return [...issues];
}

/** Share of queries with at least one catalog issue (NaN over no queries: not measurable), and counts per issue. */
export function judgeQueries(queries: readonly JudgedQuery[], facts: CatalogFacts, minItems = 3): { rate: number; bad: number; total: number; perIssue: Record<string, number> } {
  const perIssue: Record<string, number> = {};
  let bad = 0;
  for (const q of queries) {
    const issues = catalogIssues(q, facts, minItems);
    if (issues.length > 0) bad++;
    for (const i of issues) perIssue[i] = (perIssue[i] ?? 0) + 1;
  }
  return { rate: queries.length === 0 ? Number.NaN : bad / queries.length, bad, total: queries.length, perIssue };
}

/**
 * Before (raw candidates), after (final queries) and the critic loop's relative reduction. A side
 * with no queries is not measurable (NaN, shown as n/a, failing a gate): a run that drops every
 * query has not cut hallucinations, and one that generated nothing has no raw rate.
 */
export function hallucinationEvaluators(raw: readonly JudgedQuery[], final: readonly JudgedQuery[], facts: CatalogFacts): EvalResult[] {
  const before = judgeQueries(raw, facts);
  const after = judgeQueries(final, facts);
  const reduction = before.total === 0 || after.total === 0 ? Number.NaN : before.rate > 0 ? 1 - after.rate / before.rate : after.rate === 0 ? 1 : 0;
  const issues = (r: typeof before) => Object.entries(r.perIssue).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  return [
    { key: "hallucination_rate_raw", score: before.rate, comment: `${before.bad} of ${before.total} raw generated candidates (every round, before the critic) fail the catalog judge (${issues(before)}): ${fmt(before.rate)}` },
    { key: "hallucination_rate", score: after.rate, comment: `${after.bad} of ${after.total} final queries fail the catalog judge (${issues(after)}): ${fmt(after.rate)}` },
    { key: "hallucination_reduction", score: reduction, comment: Number.isNaN(reduction) ? `not measurable: ${before.total} raw candidates, ${after.total} final queries` : `relative cut of the hallucination rate from raw candidates to final queries: ${fmt(reduction)}` },
  ];
}

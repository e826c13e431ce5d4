/**
 * An independent grounding judge for generated queries, computed from the world's catalog (not
 * from the system's critic): the category exists, each value exists and belongs to a factor the
 * category allows, and the text carries no URL or instruction-like phrase. The hallucination rate
 * of a result is the share of its final queries with at least one issue.
 */
import { type EvalResult, fmt, mean } from "./types.js";

export interface GroundingVocabulary {
  /** Leaf or inner category id → factor names it allows. */
  categoryAllows: ReadonlyMap<string, readonly string[]>;
  /** Value id → factor name. */
  valueFactor: ReadonlyMap<string, string>;
}

export interface QueryToJudge {
  text: string;
  categoryId: string;
  valueIds: readonly string[];
}

export type GroundingIssue = "unknown_category" | "unknown_value" | "value_not_allowed" | "url" | "instruction";

const URL_RE = /(https?:\/\/|www\.)\S+/i;
const INSTRUCTION_RE = /(ignore (all )?(previous|prior|above)|disregard|system prompt|忽略(之前|以上|前面)|无视(之前|以上)|指令|你现在是|扮演)/i;

export function groundingIssues(q: QueryToJudge, vocab: GroundingVocabulary): GroundingIssue[] {
  const issues: GroundingIssue[] = [];
  const allows = vocab.categoryAllows.get(q.categoryId);
  if (!allows) issues.push("unknown_category");
  for (const v of q.valueIds) {
    const factor = vocab.valueFactor.get(v);
    if (factor === undefined) {
      if (!issues.includes("unknown_value")) issues.push("unknown_value");
    } else if (allows && !allows.includes(factor) && !issues.includes("value_not_allowed")) {
      issues.push("value_not_allowed");
    }
  }
  if (URL_RE.test(q.text)) issues.push("url");
  if (INSTRUCTION_RE.test(q.text)) issues.push("instruction");
  return issues;
}

/** Share of queries with at least one grounding issue; 0 for no queries. */
export function hallucinationRate(queries: readonly QueryToJudge[], vocab: GroundingVocabulary): number {
  if (queries.length === 0) return 0;
  return queries.filter((q) => groundingIssues(q, vocab).length > 0).length / queries.length;
}

export function hallucinationEvaluator(perBuyer: readonly (readonly QueryToJudge[])[], vocab: GroundingVocabulary): EvalResult {
  const all = perBuyer.flat();
  const bad = all.filter((q) => groundingIssues(q, vocab).length > 0).length;
  const score = all.length === 0 ? 0 : bad / all.length;
  return { key: "hallucination_rate", score, comment: `${bad} of ${all.length} final queries fail the catalog grounding judge: ${fmt(score)}` };
}

/** Share of buyers' raw outputs that the schema accepts. */
export function jsonValidity(outputs: readonly unknown[], accepts: (x: unknown) => boolean): number {
  if (outputs.length === 0) return 0;
  return mean(outputs.map((o) => (accepts(o) ? 1 : 0)));
}

export function jsonValidityEvaluator(outputs: readonly unknown[], accepts: (x: unknown) => boolean): EvalResult {
  const score = jsonValidity(outputs, accepts);
  return { key: "json_validity", score, comment: `share of ${outputs.length} results that parse as RecommendationResult: ${fmt(score)}` };
}

/**
 * Role `critic` (hallucination critic): reads the candidate queries not yet passed, the verdicts
 * so far, the evidence outputs (tuples, CFV, trends, pairs), the portrait and the critic round;
 * returns per query a verdict (issues first, feedback, pass/fail, round) and the hallucination
 * rate (`before` = first round, `after` = this round). Deterministic checks (`./checks.ts`) on
 * every pending query, then the LLM judge (`prompts/critic.ts`), when configured, on those that
 * passed them (numbered 1…n in its prompt; answers by number or by query id are both mapped back).
 */
import type { Hallucination } from "../../contracts/queries.js";
import { JudgeSchema, JudgeWireSchema, type Query, type Verdict } from "../../contracts/queries.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { criticEvidence, criticMessages, criticQueryNumber } from "../../prompts/critic.js";
import { buildEvidenceIndex, deterministicIssues, feedbackFor, retrievalIssue, type EvidenceSources } from "./checks.js";

/** What the critic reads from the run. */
export interface CriticState extends EvidenceSources {
  asOf: string;
  portrait: Portrait;
  candidates: Query[];
  verdicts: Record<string, Verdict>;
  criticRounds: number;
  hallucination: Hallucination | null;
}

export async function runCritic(
  { deps, cfg }: RoleContext,
  state: CriticState,
): Promise<{ verdicts: Record<string, Verdict>; hallucination: Hallucination; steps: StepReport[] }> {
  const vocab = await vocabularyOf(deps);
  const round = state.criticRounds + 1;
  const evidence = buildEvidenceIndex(state);
  const pending = state.candidates.filter((q) => state.verdicts[q.id]?.verdict !== "pass");
  const issuesById = new Map<string, string[]>();
  await Promise.all(
    pending.map(async (q) => {
      const issues = deterministicIssues(q, vocab, evidence);
      if (issues.length === 0) {
        const r = await retrievalIssue(deps, q, state.asOf, cfg.minItemsPerQuery);
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
    const numberOf = new Map(clean.map((q, i) => [q.id, criticQueryNumber(i)]));
    const idOfNumber = new Map(clean.map((q, i) => [criticQueryNumber(i), q.id]));
    const byNumber = (answered: string) => idOfNumber.get(answered.trim()) ?? answered;
    const out = await deps.runStep({
      role,
      schema: JudgeSchema,
      wireSchema: JudgeWireSchema,
      reasoner,
      model: chatModelFor(role, cfg, deps),
      maxRetries: cfg.maxRetries,
      prompt: () =>
        criticMessages({
          queries: clean,
          portrait: state.portrait,
          evidence: criticEvidence(state, clean, vocab),
        }),
      accept: (v) => {
        const judged = new Set(v.verdicts.map((x) => byNumber(x.queryId)));
        const missing = clean.filter((q) => !judged.has(q.id)).map((q) => q.id);
        return missing.length > 0 ? `no verdict for queries ${missing.map((id) => numberOf.get(id)).join(", ")}: give one verdict per query` : null;
      },
      analytic: () => ({
        verdicts: clean.map((q) => ({ queryId: q.id, reasons: "deterministic checks passed", verdict: "pass" as const, issues: [], feedback: "" })),
      }),
    });
    for (const v of out.value.verdicts) {
      const id = byNumber(v.queryId);
      if (v.verdict === "fail" && issuesById.has(id)) {
        const found = v.issues.length > 0 ? v.issues : [v.feedback || v.reasons || "rejected"];
        issuesById.get(id)!.push(...found.map((s) => `judge: ${s}`));
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
    hallucination: { before: state.hallucination?.before ?? rate, after: rate, loops: round },
    steps,
  };
}

/**
 * Component evaluations on the golden sets:
 * - `critic`: the system's deterministic critic (nodes/critique-queries.ts) on labelled drafts —
 *   draft schema (the generator's structured-output schema), resolution against the vocabulary,
 *   `deterministicIssues` with the context's evidence, then the retrieval check on the KG when one
 *   is given. Flagged = at least one issue; precision / recall / F1 of flagging hallucinations.
 * - `uq`: U-Q features from the KG scorer for every pair, weights fitted on the train split
 *   (`fitUqWeights`), AUC on the test split (fitted and default weights).
 * - `trends`: the analytic trend extractor (injection guard + selling points) on labelled
 *   documents: value-level and term-level precision / recall, and injection handling.
 */
import { combineUq, fitUqWeights } from "../../kg/uq.js";
import { analyticSellingPoints } from "../../reasoners/trend-extractor/analytic.js";
import { createVocabularyTools } from "../../kg/vocab.js";
import type { KgReader, Vocabulary } from "../../contracts/kg.js";
import { aucEvaluator, prfEvaluators, confusion, prf, termPrecisionRecall, lenientTermPrecisionRecall, type EvalResult, fmt } from "../metrics/index.js";
import type { CriticGolden, TrendsGolden, UqGolden, CriticKind } from "../golden/schema.js";
import { PASSING_CRITIC_KINDS } from "../golden/schema.js";
import type { WorldData } from "../world-data.js";
import type { TrendDoc } from "../../contracts/trends.js";
import { GeneratedQueriesSchema } from "../../contracts/queries.js";
import { resolveDraft } from "../../reasoners/query-generator/index.js";
import { deterministicIssues, retrievalIssue, type EvidenceIndex } from "../../reasoners/critic/checks.js";
import { DEFAULT_UQ_WEIGHTS, type UqFeatures, type UqScorer, type UqWeights } from "../../contracts/uq.js";
import { looksInjected } from "../../lib/injection-guard.js";

/** The KG vocabulary, computed from the world files (identical to what the loader writes). */
export function vocabularyFromWorld(world: WorldData): Vocabulary {
  const factors = [...new Set(world.values.map((v) => v.factor))].sort();
  return {
    categories: world.categories.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId, level: c.level, noun: c.noun ?? c.name, allows: c.allows })),
    factors,
    values: world.values.map((v) => ({ id: v.id, factor: v.factor, name: v.name })),
  };
}

const DraftSchema = GeneratedQueriesSchema.shape.queries.element;

export interface CriticRow {
  id: string;
  kind: CriticKind;
  expected: "pass" | "fail";
  predicted: "pass" | "fail";
  issues: string[];
}

export interface CriticOutcome {
  metrics: EvalResult[];
  rows: CriticRow[];
  perKind: Record<string, { n: number; flagged: number }>;
}

export async function evaluateCritic(
  golden: CriticGolden,
  vocab: Vocabulary,
  opts: { kg?: KgReader; minItems?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<CriticOutcome> {
  const min = opts.minItems ?? 3;
  const contexts = new Map(golden.contexts.map((c) => [c.contextId, c]));
  const rows: CriticRow[] = [];
  let done = 0;
  for (const c of golden.cases) {
    const ctx = contexts.get(c.contextId);
    if (!ctx) throw new Error(`critic case ${c.id} names a missing context ${c.contextId}`);
    const issues: string[] = [];
    const draft = DraftSchema.safeParse(c.query);
    if (!draft.success) issues.push(`schema: ${draft.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    else {
      const q = resolveDraft(draft.data, vocab, 0);
      const evidence: EvidenceIndex = { supports: new Map(ctx.evidence.map((e) => [e.id, new Set(e.valueIds)])) };
      issues.push(...deterministicIssues(q, vocab, evidence));
      if (issues.length === 0 && opts.kg) {
        const r = await retrievalIssue({ kg: opts.kg }, q, ctx.asOf, min);
        if (r) issues.push(r);
      }
    }
    rows.push({ id: c.id, kind: c.kind, expected: c.expected, predicted: issues.length > 0 ? "fail" : "pass", issues });
    opts.onProgress?.(++done, golden.cases.length);
  }
  const pairs = rows.map((r) => ({ predicted: r.predicted === "fail", actual: r.expected === "fail" }));
  const perKind: CriticOutcome["perKind"] = {};
  for (const r of rows) {
    const k = (perKind[r.kind] ??= { n: 0, flagged: 0 });
    k.n++;
    if (r.predicted === "fail") k.flagged++;
  }
  const metrics: EvalResult[] = [...prfEvaluators("critic", pairs)];
  const c = confusion(pairs);
  metrics.push({ key: "critic_accuracy", score: (c.tp + c.tn) / rows.length, comment: `${c.tp + c.tn} of ${rows.length} verdicts as labelled` });
  for (const [kind, v] of Object.entries(perKind)) {
    metrics.push({
      key: kind === "valid" ? "critic_false_alarm_rate" : PASSING_CRITIC_KINDS.includes(kind as CriticKind) ? `critic_false_alarm_${kind}` : `critic_catch_${kind}`,
      score: v.flagged / v.n,
      comment: PASSING_CRITIC_KINDS.includes(kind as CriticKind) ? `${v.flagged} of ${v.n} ${kind} queries (expected to pass) failed` : `${v.flagged} of ${v.n} ${kind} queries failed`,
    });
  }
  return { metrics, rows, perKind };
}

export interface UqOutcome {
  metrics: EvalResult[];
  fitted: UqWeights;
  scored: { id: string; split: "train" | "test"; relevant: boolean; source: string; features: UqFeatures }[];
}

export async function evaluateUq(
  golden: UqGolden,
  scorer: UqScorer,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<UqOutcome> {
  const byUser = new Map<string, UqGolden["pairs"]>();
  for (const p of golden.pairs) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
  const scored: UqOutcome["scored"] = [];
  let done = 0;
  for (const [userId, pairs] of byUser) {
    const out = await scorer.score({ userId, asOf: golden.header.asOf, queries: pairs.map((p) => ({ id: p.id, categoryId: p.query.categoryId, valueIds: p.query.valueIds })) });
    const byId = new Map(out.map((s) => [s.queryId, s]));
    for (const p of pairs) scored.push({ id: p.id, split: p.split, relevant: p.relevant, source: p.source, features: byId.get(p.id)!.features });
    done += pairs.length;
    opts.onProgress?.(done, golden.pairs.length);
  }
  const train = scored.filter((s) => s.split === "train");
  const test = scored.filter((s) => s.split === "test");
  const fitted = fitUqWeights(train.map((s) => ({ features: s.features, relevant: s.relevant })));
  const sample = (w: UqWeights, xs: typeof scored) => xs.map((s) => ({ score: combineUq(s.features, w), label: s.relevant }));
  const metrics = [
    aucEvaluator("uq_auc_test_fitted", sample(fitted, test)),
    aucEvaluator("uq_auc_test_default", sample(DEFAULT_UQ_WEIGHTS, test)),
    aucEvaluator("uq_auc_train_fitted", sample(fitted, train)),
  ];
  const thr = 0.5;
  const cls = prf(confusion(sample(fitted, test).map((s) => ({ predicted: s.score >= thr, actual: s.label }))));
  metrics.push({ key: "uq_f1_test_at_0.5", score: cls.f1, comment: `fitted weights, threshold 0.5: precision ${fmt(cls.precision)}, recall ${fmt(cls.recall)}` });
  return { metrics, fitted, scored };
}

export interface TrendsOutcome {
  metrics: EvalResult[];
  perDoc: { docId: string; setAside: boolean; predictedTerms: string[]; predictedValues: string[]; gold: string[]; goldValues: string[] }[];
}

export function evaluateTrends(golden: TrendsGolden, world: WorldData, vocab: Vocabulary): TrendsOutcome {
  const tools = createVocabularyTools(world.values, world.categories);
  const docs: TrendDoc[] = golden.docs.map((d) => {
    const m = tools.docMentions(d.title, d.text);
    return {
      id: d.docId,
      source: d.source,
      title: d.title,
      text: d.text,
      publishedAt: d.publishedAt,
      valueIds: m.valueMentions.map((x) => x.id),
      categoryIds: m.categoryMentions.map((x) => x.id),
      score: 0,
    };
  });
  const setAside = new Set(docs.filter((d) => looksInjected(`${d.title}\n${d.text}`)).map((d) => d.id));
  const kept = docs.filter((d) => !setAside.has(d.id));
  const points = analyticSellingPoints(kept, vocab).points;
  const valueByName = new Map(vocab.values.map((v) => [v.name, v.id]));
  const perDoc = golden.docs.map((g) => {
    const mine = points.filter((p) => p.docIds.includes(g.docId));
    return {
      docId: g.docId,
      setAside: setAside.has(g.docId),
      predictedTerms: mine.map((p) => p.term),
      predictedValues: [...new Set(mine.map((p) => valueByName.get(p.term)).filter((v): v is string => v !== undefined))],
      gold: g.terms,
      goldValues: g.valueIds,
    };
  });
  const regular = perDoc.filter((d) => !golden.docs.find((g) => g.docId === d.docId)!.isInjection);
  const values = termPrecisionRecall(regular.map((d) => ({ docId: d.docId, gold: d.goldValues, predicted: d.predictedValues })));
  const terms = lenientTermPrecisionRecall(regular.map((d) => ({ docId: d.docId, gold: d.gold, predicted: d.predictedTerms })));
  const injections = golden.docs.filter((g) => g.isInjection);
  const caught = injections.filter((g) => setAside.has(g.docId)).length;
  const falseAside = regular.filter((d) => d.setAside).length;
  const n = regular.length;
  return {
    perDoc,
    metrics: [
      { key: "trend_value_precision", score: values.precision, comment: `KG values extracted vs labelled, ${values.tp}/${values.predicted} over ${n} non-injection docs` },
      { key: "trend_value_recall", score: values.recall, comment: `${values.tp}/${values.gold} labelled values found` },
      { key: "trend_term_precision", score: terms.precision, comment: `extracted terms inside a labelled phrase (e.g. 奶油风 in 奶油风抱枕): ${terms.correct}/${terms.predicted}` },
      { key: "trend_term_recall", score: terms.recall, comment: `labelled phrases containing an extracted term: ${terms.found}/${terms.gold}` },
      { key: "injection_set_aside_rate", score: injections.length ? caught / injections.length : 0, comment: `${caught} of ${injections.length} injection documents set aside` },
      { key: "false_set_aside_rate", score: n ? falseAside / n : 0, comment: `${falseAside} of ${n} other documents set aside` },
    ],
  };
}

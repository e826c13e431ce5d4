/**
 * Role `cfv` (potential-preference reasoning): reads the compressed tuples, the main categories
 * of the analytic portrait of those tuples (so it runs beside the portrait role), the buyer's
 * history values (events and search terms), recent trend documents of those categories (none when `trendSources` is empty), the values each main category's offers
 * carry and their `PAIRS_WITH` neighbours (KG); returns per main category the long-term, recent
 * and potential values with weights, the pairs it saw (citable as `pair:<from>:<to>`) and up to
 * `peerCategoryCount` potential categories from peers (`CO_ENGAGED` neighbours of the buyer's
 * categories that the buyer never touched, lib/peers.ts; citable as `peer:<categoryId>`). Names a
 * reasoner gives are resolved to KG values; potential values are never in the buyer's history and
 * always carried by some offer of the category (enforced here whatever the reasoner says); a model
 * answer with no category for a buyer the analytic CFV finds categories for is rejected (retried
 * with the reason, then degraded). LLM with `prompts/cfv.ts`, or `./analytic.ts`.
 */
import { createHash } from "node:crypto";
import type { Tuple } from "../../contracts/behaviour.js";
import { CfvStepSchema, cfvStepWireSchema, type Cfv, type CfvEntry, type CfvStep, type PeerCategory } from "../../contracts/cfv.js";
import type { CategoryPair, TrendDocHit, Vocabulary } from "../../contracts/kg.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { ancestorIds, categoryTrendDocs, historyEvents } from "../../lib/history.js";
import { cfvMessages } from "../../prompts/cfv.js";
import { extractTermFactors } from "../compressor/analytic.js";
import { analyticPortrait } from "../portrait/analytic.js";
import { analyticCfv, cfvId } from "./analytic.js";
import { categoryShares, engagedItems } from "../../lib/engagement.js";
import { peerCategories } from "../../lib/peers.js";

/** What the cfv role and the source planner share: the role's KG inputs and the analytic CFV resolved. */
export interface CfvBaseline {
  vocab: Vocabulary;
  /** The analytic portrait of the tuples: its main categories are the ones the CFV covers. */
  portrait: Portrait;
  categories: string[];
  pairs: CategoryPair[];
  trendDocs: TrendDocHit[];
  historyValueIds: Set<string>;
  carriedValueIds: Map<string, Set<string>>;
  /** Potential categories from peers, strongest first (none when `peerCategoryCount` is 0). */
  peers: PeerCategory[];
  /** The analytic step answer (the LLM's baseline and fallback). */
  analytic: Cfv;
  /** The analytic answer resolved to KG values: what the cfv role returns in analytic mode. */
  cfv: Cfv;
}

/**
 * The cfv role's inputs from the compressed tuples alone (main categories of the analytic
 * portrait, history values, pairings, trend documents, values the offers carry) and the analytic
 * CFV resolved. Memoised for a few seconds by buyer, `asOf`, tuples and the configuration it
 * reads, so analyze_cfv and plan_trend_sources, running side by side, read the KG once.
 */
export function cfvBaseline({ deps, cfg }: RoleContext, input: { userId: string; asOf: string; tuples: Tuple[] }): Promise<CfvBaseline> {
  const key = createHash("sha1")
    .update(JSON.stringify([input.userId, input.asOf, input.tuples, cfg.historyWeeks, cfg.trendSources, cfg.trendWeeks, cfg.peerCategoryCount]))
    .digest("hex");
  return deps.memo.get(`cfv-baseline:${key}`, () => computeBaseline({ deps, cfg }, input));
}

async function computeBaseline({ deps, cfg }: RoleContext, input: { userId: string; asOf: string; tuples: Tuple[] }): Promise<CfvBaseline> {
  const { asOf, tuples } = input;
  const vocab = await vocabularyOf(deps);
  const portrait = analyticPortrait(tuples, vocab, asOf);
  const categories = portrait.mainCategories.map((c) => c.categoryId);
  const [events, pairs] = await Promise.all([
    historyEvents(deps, input.userId, asOf, cfg.historyWeeks),
    categories.length > 0 ? deps.kg.pairsWith(categories) : Promise.resolve([]),
  ]);
  const scope = categories.flatMap((c) => ancestorIds(vocab, c));
  const trendDocs = categories.length > 0 && cfg.trendSources.length > 0 ? await categoryTrendDocs(deps, cfg, asOf, scope) : [];
  const valueByName = new Map(vocab.values.map((v) => [v.name, v.id]));
  const historyValueIds = new Set<string>(events.flatMap((e) => e.values.map((v) => v.id)));
  const terms = events.filter((e) => e.searchTerm).map((e) => e.searchTerm!);
  for (const t of extractTermFactors(terms, vocab)) for (const n of t.values) historyValueIds.add(valueByName.get(n)!);
  const carriedValueIds = new Map(
    await Promise.all(categories.map(async (c) => [c, new Set(await deps.memo.get(`carried:${c}:${asOf}`, () => deps.kg.valuesCarried(c, { asOf })))] as const)),
  );
  const shares = categoryShares(engagedItems(events, asOf));
  const peers = peerCategories(shares, cfg.peerCategoryCount > 0 && shares.size > 0 ? await deps.kg.coEngagedCategories([...shares.keys()]) : [], vocab, cfg.peerCategoryCount);
  const analytic = analyticCfv({ tuples, categories, vocab, asOf, historyValueIds, trendDocs, pairs, carriedValueIds });
  const base = { vocab, portrait, categories, pairs, trendDocs, historyValueIds, carriedValueIds, peers, analytic };
  return { ...base, cfv: resolveCfv(analytic, base) };
}

/**
 * A step answer resolved to KG values: categories outside the main ones dropped, names resolved
 * (the category's allowed factors first), potential values in the history or carried by no offer
 * of the category dropped, duplicates dropped.
 */
function resolveCfv(step: CfvStep, b: Pick<CfvBaseline, "vocab" | "categories" | "historyValueIds" | "carriedValueIds" | "peers">): Cfv {
  const valueById = new Map(b.vocab.values.map((v) => [v.id, v]));
  const clean = (categoryId: string, horizon: "long" | "recent" | "potential", list: CfvStep["categories"][number]["long"]): CfvEntry[] => {
    const allowed = new Set(b.vocab.categories.find((c) => c.id === categoryId)?.allows ?? []);
    const out: CfvEntry[] = [];
    for (const e of list) {
      const v =
        (e.valueId ? valueById.get(e.valueId) : undefined) ??
        b.vocab.values.find((x) => x.name === e.name && allowed.has(x.factor)) ??
        b.vocab.values.find((x) => x.name === e.name);
      if (!v || (horizon === "potential" && (b.historyValueIds.has(v.id) || !b.carriedValueIds.get(categoryId)?.has(v.id)))) continue;
      if (out.some((o) => o.valueId === v.id)) continue;
      out.push({ id: cfvId(horizon, categoryId, v.id), valueId: v.id, name: v.name, factor: v.factor, weight: e.weight, support: e.support });
    }
    return out;
  };
  return {
    peers: b.peers,
    categories: step.categories
      .filter((c) => b.categories.includes(c.categoryId))
      .map((c) => ({
        ...c,
        long: clean(c.categoryId, "long", c.long),
        recent: clean(c.categoryId, "recent", c.recent),
        potential: clean(c.categoryId, "potential", c.potential),
      })),
  };
}

/** An answer with no category for a buyer whose history gives the analytic CFV some is rejected (retried with the reason, then degraded). */
export function emptyCfvIssue(answer: CfvStep, analytic: Cfv): string | null {
  return answer.categories.length === 0 && analytic.categories.length > 0
    ? `categories is empty: give the CFV of the buyer's ${analytic.categories.length} categories (${analytic.categories.map((c) => c.name).join("、")})`
    : null;
}

export async function runCfv(
  ctx: RoleContext,
  input: { userId: string; asOf: string; tuples: Tuple[] },
): Promise<{ cfv: Cfv; pairs: CategoryPair[]; report: StepReport }> {
  const { deps, cfg } = ctx;
  const b = await cfvBaseline(ctx, input);
  const valueById = new Map(b.vocab.values.map((v) => [v.id, v]));
  const role = "cfv" as const;
  const out = await deps.runStep({
    role,
    schema: CfvStepSchema,
    wireSchema: cfvStepWireSchema(b.analytic.categories.length),
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () =>
      cfvMessages({
        tuples: input.tuples,
        asOf: input.asOf,
        portrait: b.portrait,
        baseline: b.analytic,
        trendDocs: b.trendDocs,
        vocab: b.vocab,
        historyValues: [...b.historyValueIds].map((id) => valueById.get(id)?.name ?? id),
        carriedValueIds: b.carriedValueIds,
        pairs: b.pairs,
      }),
    analytic: () => b.analytic,
    accept: (v) => emptyCfvIssue(v, b.analytic),
  });
  return { cfv: resolveCfv(out.value, b), pairs: b.pairs, report: out.report };
}

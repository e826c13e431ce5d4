/**
 * Role `cfv` (potential-preference reasoning): reads the compressed tuples, the portrait's main
 * categories, the buyer's history values (events and search terms), recent trend documents of
 * those categories (none when `trendSources` is empty), the values each main category's offers
 * carry and their `PAIRS_WITH` neighbours (KG); returns per main category the long-term, recent
 * and potential values with weights, and the pairs it saw (citable as `pair:<from>:<to>`). Names a
 * reasoner gives are resolved to KG values; potential values are never in the buyer's history and
 * always carried by some offer of the category (enforced here whatever the reasoner says). LLM with
 * `prompts/cfv.ts`, or `./analytic.ts`.
 */
import type { Tuple } from "../../contracts/behaviour.js";
import { CfvStepSchema, type Cfv, type CfvEntry, type CfvStep } from "../../contracts/cfv.js";
import type { CategoryPair } from "../../contracts/kg.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { ancestorIds, categoryTrendDocs, historyEvents } from "../../lib/history.js";
import { cfvMessages } from "../../prompts/cfv.js";
import { extractTermFactors } from "../compressor/analytic.js";
import { analyticCfv, cfvId } from "./analytic.js";

export async function runCfv(
  { deps, cfg }: RoleContext,
  input: { userId: string; asOf: string; tuples: Tuple[]; portrait: Portrait },
): Promise<{ cfv: Cfv; pairs: CategoryPair[]; report: StepReport }> {
  const { asOf, tuples, portrait } = input;
  const categories = portrait.mainCategories.map((c) => c.categoryId);
  const [vocab, events, pairs] = await Promise.all([
    vocabularyOf(deps),
    historyEvents(deps, input.userId, asOf, cfg.historyWeeks),
    categories.length > 0 ? deps.kg.pairsWith(categories) : Promise.resolve([]),
  ]);
  const scope = categories.flatMap((c) => ancestorIds(vocab, c));
  const trendDocs = categories.length > 0 && cfg.trendSources.length > 0 ? await categoryTrendDocs(deps, cfg, asOf, scope) : [];
  const valueByName = new Map(vocab.values.map((v) => [v.name, v.id]));
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  const historyValueIds = new Set<string>(events.flatMap((e) => e.values.map((v) => v.id)));
  const terms = events.filter((e) => e.searchTerm).map((e) => e.searchTerm!);
  for (const t of extractTermFactors(terms, vocab)) for (const n of t.values) historyValueIds.add(valueByName.get(n)!);
  const carriedValueIds = new Map(
    await Promise.all(categories.map(async (c) => [c, new Set(await deps.memo.get(`carried:${c}:${asOf}`, () => deps.kg.valuesCarried(c, { asOf })))] as const)),
  );
  const analytic = analyticCfv({ tuples, categories, vocab, asOf, historyValueIds, trendDocs, pairs, carriedValueIds });
  const role = "cfv" as const;
  const out = await deps.runStep({
    role,
    schema: CfvStepSchema,
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () =>
      cfvMessages({
        tuples,
        asOf,
        portrait,
        baseline: analytic,
        trendDocs,
        vocab,
        historyValues: [...historyValueIds].map((id) => valueById.get(id)?.name ?? id),
        pairs,
      }),
    analytic: () => analytic,
  });
  const clean = (categoryId: string, horizon: "long" | "recent" | "potential", list: CfvStep["categories"][number]["long"]): CfvEntry[] => {
    const allowed = new Set(vocab.categories.find((c) => c.id === categoryId)?.allows ?? []);
    const out: CfvEntry[] = [];
    for (const e of list) {
      const v =
        (e.valueId ? valueById.get(e.valueId) : undefined) ??
        vocab.values.find((x) => x.name === e.name && allowed.has(x.factor)) ??
        vocab.values.find((x) => x.name === e.name);
      if (!v || (horizon === "potential" && (historyValueIds.has(v.id) || !carriedValueIds.get(categoryId)?.has(v.id)))) continue;
      if (out.some((o) => o.valueId === v.id)) continue;
      out.push({ id: cfvId(horizon, categoryId, v.id), valueId: v.id, name: v.name, factor: v.factor, weight: e.weight, support: e.support });
    }
    return out;
  };
  const cfv: Cfv = {
    categories: out.value.categories
      .filter((c) => categories.includes(c.categoryId))
      .map((c) => ({
        ...c,
        long: clean(c.categoryId, "long", c.long),
        recent: clean(c.categoryId, "recent", c.recent),
        potential: clean(c.categoryId, "potential", c.potential),
      })),
  };
  return { cfv, pairs, report: out.report };
}

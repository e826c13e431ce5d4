/**
 * analyze_cfv — reads `compression.tuples`, `portrait.mainCategories`, the buyer's history
 * values, trend documents and `PAIRS_WITH` neighbours (KG); writes `cfv`: per main category the
 * long-term, recent and potential values with weights (compact `法式:9|碎花:8`). Potential values
 * are never in the buyer's history (enforced here whatever the reasoner says). Reasoning role
 * `cfv` (potential-preference reasoning, or llm/analytic/cfv.ts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { chatModelFor, getDeps, reasonerFor, vocabularyOf, type GraphDeps } from "../graph/deps.js";
import { readConfiguration, type Configuration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import type { TrendDocHit, Vocabulary } from "../kg/types.js";
import { analyticCfv, cfvId } from "../llm/analytic/cfv.js";
import { extractTermFactors } from "../llm/analytic/compressor.js";
import { historyEvents } from "./load-context.js";
import { addDays } from "./time.js";
import { prompts } from "./prompt-bridge.js";

export const CfvEntrySchema = z.object({
  id: z.string().describe("cfv:<horizon>:<categoryId>:<valueId>"),
  valueId: z.string(),
  name: z.string(),
  factor: z.string(),
  weight: z.number().min(0).max(10),
  /** Evidence refs behind a potential value: `trend:<docId>`, `pair:<from>:<to>`. */
  support: z.array(z.string()),
});
export type CfvEntry = z.infer<typeof CfvEntrySchema>;

/** What a reasoner returns per entry; the node resolves names to KG values and assigns ids. */
export const CfvStepEntrySchema = z.object({
  valueId: z.string().nullable().describe("KG value id when known, else null"),
  name: z.string().describe("value name from the vocabulary"),
  factor: z.string().nullable().describe("the value's factor, or null"),
  weight: z.number().min(0).max(10),
  support: z.array(z.string()).describe("for potential values: trend:<docId> or pair:<from>:<to>"),
});

export const CfvStepSchema = z.object({
  categories: z.array(
    z.object({
      categoryId: z.string(),
      name: z.string(),
      long: z.array(CfvStepEntrySchema),
      recent: z.array(CfvStepEntrySchema),
      potential: z.array(CfvStepEntrySchema),
    }),
  ),
});

export const CfvSchema = z.object({
  categories: z.array(
    z.object({
      categoryId: z.string(),
      name: z.string(),
      long: z.array(CfvEntrySchema),
      recent: z.array(CfvEntrySchema),
      potential: z.array(CfvEntrySchema),
    }),
  ),
});
export type Cfv = z.infer<typeof CfvSchema>;

/** Trend documents of the last `trendWeeks` mentioning these categories (memoised). */
export function categoryTrendDocs(deps: GraphDeps, cfg: Configuration, asOf: string, categoryIds: string[]): Promise<TrendDocHit[]> {
  const ids = [...new Set(categoryIds)].sort();
  return deps.memo.get(`trends:${asOf}:${cfg.trendWeeks}:${ids.join(",")}`, () =>
    deps.kg.trendDocsByMentions({ categoryIds: ids }, { asOf, since: addDays(asOf, -7 * cfg.trendWeeks), limit: 200 }),
  );
}

export function ancestorIds(vocab: Vocabulary, categoryId: string): string[] {
  const cat = new Map(vocab.categories.map((c) => [c.id, c]));
  const out: string[] = [];
  let c = cat.get(categoryId);
  while (c) {
    out.push(c.id);
    c = c.parentId ? cat.get(c.parentId) : undefined;
  }
  return out;
}

export async function analyzeCfv(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const asOf = state.asOf!;
  const tuples = state.compression!.tuples;
  const categories = state.portrait!.mainCategories.map((c) => c.categoryId);
  const [vocab, events, pairs] = await Promise.all([
    vocabularyOf(deps),
    historyEvents(deps, state.userId, asOf, cfg.historyWeeks),
    categories.length > 0 ? deps.kg.pairsWith(categories) : Promise.resolve([]),
  ]);
  const scope = categories.flatMap((c) => ancestorIds(vocab, c));
  const trendDocs = categories.length > 0 ? await categoryTrendDocs(deps, cfg, asOf, scope) : [];
  const valueByName = new Map(vocab.values.map((v) => [v.name, v.id]));
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  const historyValueIds = new Set<string>(events.flatMap((e) => e.values.map((v) => v.id)));
  const terms = events.filter((e) => e.searchTerm).map((e) => e.searchTerm!);
  for (const t of extractTermFactors(terms, vocab)) for (const n of t.values) historyValueIds.add(valueByName.get(n)!);
  const analytic = analyticCfv({ tuples, categories, vocab, asOf, historyValueIds, trendDocs, pairs });
  const role = "cfv" as const;
  const out = await deps.runStep({
    role,
    schema: CfvStepSchema,
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () =>
      prompts.cfv({
        tuples,
        asOf,
        portrait: state.portrait!,
        baseline: analytic,
        trendDocs,
        vocab,
        historyValues: [...historyValueIds].map((id) => valueById.get(id)?.name ?? id),
        pairs,
      }),
    analytic: () => analytic,
  });
  const clean = (categoryId: string, horizon: "long" | "recent" | "potential", list: z.infer<typeof CfvStepEntrySchema>[]): CfvEntry[] => {
    const allowed = new Set(vocab.categories.find((c) => c.id === categoryId)?.allows ?? []);
    const out: CfvEntry[] = [];
    for (const e of list) {
      const v =
        (e.valueId ? valueById.get(e.valueId) : undefined) ??
        vocab.values.find((x) => x.name === e.name && allowed.has(x.factor)) ??
        vocab.values.find((x) => x.name === e.name);
      if (!v || (horizon === "potential" && historyValueIds.has(v.id))) continue;
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
  return { cfv, pairs, steps: [out.report] };
}

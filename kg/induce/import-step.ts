/**
 * The induction step of `kg:import`: for imported items without `valueIds` whose category allows
 * no factor yet (a real catalog with no vocabulary), induces values from their titles
 * (`induce.ts`), with the import's and the graph's values as the curated vocabulary that wins,
 * and returns the values and factors to write, the categories with their new `allows` (and noun,
 * when the category has none of its own), and each item's short title (its strongest values and
 * its own product noun, 法式碎花连衣裙).
 */
import type { CategoryRecord, ItemRecord, ValueRecord } from "../../contracts/records.js";
import { buildVocabulary, extractValues, shortTitle } from "../../lib/value-match.js";
import { induceVocabulary, type InductionResult } from "./induce.js";
import type { ValueWithProvenance } from "./records.js";

export interface ImportInduction {
  values: ValueWithProvenance[];
  factors: string[];
  /** Categories whose `allows` (and possibly noun) induction filled in. */
  categories: CategoryRecord[];
  /** Item id → short title built from its induced values and product noun. */
  shortTitles: Map<string, string>;
  result: InductionResult;
}

/** True when a category needs induction: it allows no factor. */
export const needsInduction = (category: CategoryRecord): boolean => category.allows.length === 0;

export async function induceForImport(input: {
  items: readonly ItemRecord[];
  categoryOf: (id: string) => CategoryRecord;
  curated: readonly ValueRecord[];
  embed?: (texts: string[]) => Promise<number[][]>;
}): Promise<ImportInduction | null> {
  const targets = input.items.filter((i) => i.valueIds === undefined && needsInduction(input.categoryOf(i.categoryId)));
  if (targets.length === 0) return null;
  const result = await induceVocabulary(
    targets.map((i) => ({ id: i.id, title: i.title, categoryId: i.categoryId })),
    { curated: input.curated, embed: input.embed },
  );
  const categories = [...result.allows].map(([id, allows]) => {
    const c = input.categoryOf(id);
    const noun = c.noun ?? result.categoryNouns.get(id);
    return { ...c, allows, ...(noun ? { noun } : {}) };
  });
  const vocab = buildVocabulary([...input.curated, ...result.values]);
  const allowsOf = new Map(categories.map((c) => [c.id, c.allows]));
  const shortTitles = new Map<string, string>();
  for (const item of targets) {
    if (item.shortTitle) continue;
    const noun = result.itemNouns.get(item.id) ?? input.categoryOf(item.categoryId).noun ?? input.categoryOf(item.categoryId).name;
    const values = extractValues(item.title, vocab, allowsOf.get(item.categoryId)).flatMap((id) => {
      const v = vocab.byId.get(id);
      return v && v.name !== noun ? [v] : [];
    });
    shortTitles.set(item.id, shortTitle(noun, values));
  }
  return { values: result.values, factors: result.factors, categories, shortTitles, result };
}

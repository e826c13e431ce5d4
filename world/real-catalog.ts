/**
 * A real catalog as the world generator's catalog. Reads an import directory (the JSONL format of
 * `kg/IMPORT.md`: categories, factors, values, sellers, items, an optional manifest for `asOf`),
 * validated with the importer's rules (`kg/import-rules.ts`); runs vocabulary induction on it with
 * the same step `kg:import` runs (`kg/induce/import-step.ts`: categories without a vocabulary get
 * induced values, `allows` and nouns; items without `valueIds` get them from their titles by the
 * same longest match, and short titles); and builds the `WorldCatalog` the buyer, behaviour and
 * corpus simulations take. Nothing of the generated catalog is assumed: factor keys are the
 * catalog's own factor names, leaves are its categories with offers (slug = category id), a leaf's
 * values are those ≥ 3 of its offers carry (the critic's bar for a grounded query), groups are
 * top-level categories (buyer types weigh them evenly), cross pairs join each leaf to the two
 * leaves whose value sets are most alike (Jaccard), and trends are drawn from well-supported values
 * (`realTrends`). Induction runs without embeddings unless `embed` is given, so the world is a pure
 * function of the catalog and the seed. Reads only the directory it is given.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { CategoryRecord, FactorRecord, ItemRecord, SellerRecord, WORLD_FILES, WorldManifest, type ValueRecord } from "../contracts/records.js";
import { readJsonl } from "../lib/jsonl.js";
import { importSchema, parentCycles } from "../kg/import-rules.js";
import { induceForImport } from "../kg/induce/import-step.js";
import { PRODUCT_TYPE_FACTOR, ValueWithProvenance } from "../kg/induce/records.js";
import { createVocabularyTools } from "../kg/vocab.js";
import type { WorldCatalog, WorldLeaf, WorldValue } from "./catalog.js";
import type { Calendar, GenItem } from "./items.js";
import type { LatentTrend } from "./latent.js";
import type { Rng } from "./random.js";
import { DAY_MS, iso } from "./time.js";

/** The records of a catalog import directory. */
export interface CatalogRecords {
  categories: CategoryRecord[];
  factors: FactorRecord[];
  values: ValueWithProvenance[];
  sellers: SellerRecord[];
  items: ItemRecord[];
  /** The directory's manifest `asOf`, when it has one. */
  asOf?: string;
}

/** A catalog after induction: every leaf allows the factors its items use, every item has values and a short title. */
export interface InducedCatalog extends CatalogRecords {
  /** Values induction added (`source: induced`). */
  induced: ValueWithProvenance[];
}

/** Fewest offers of a leaf that must carry a value for buyers to want it there. */
export const MIN_CARRIERS = 3;
/** Factors no buyer preference, drift or potential need is drawn over. */
const NOT_A_TASTE = new Set([PRODUCT_TYPE_FACTOR, "季节", "人群", "规格"]);
const SEASON_FACTOR = "季节";

/**
 * Reads and validates a catalog import directory. Every bad record (schema, blank title, duplicate
 * id, unknown category / parent / seller / value / factor, parent cycle) is collected as
 * `file:line: reason`; any makes it throw with the list, since a world needs a consistent catalog.
 */
export async function readCatalogDir(dir: string): Promise<CatalogRecords> {
  if (!existsSync(join(dir, WORLD_FILES.items))) throw new Error(`${dir}: no ${WORLD_FILES.items} (a catalog needs items, categories and sellers; format in kg/IMPORT.md)`);
  const issues: string[] = [];
  async function read<S extends z.ZodType>(kind: keyof typeof WORLD_FILES, schema: S, idOf: (r: z.output<S>) => string): Promise<Array<{ line: number; record: z.output<S> }>> {
    const file = join(dir, WORLD_FILES[kind]);
    if (!existsSync(file)) return [];
    const out: Array<{ line: number; record: z.output<S> }> = [];
    const seen = new Map<string, number>();
    for await (const entry of readJsonl(file, importSchema(schema))) {
      if (!entry.ok) {
        issues.push(`${WORLD_FILES[kind]}:${entry.line}: ${entry.error}`);
        continue;
      }
      const id = idOf(entry.record);
      const first = seen.get(id);
      if (first !== undefined) issues.push(`${WORLD_FILES[kind]}:${entry.line}: duplicate id ${id} (first on line ${first})`);
      else {
        seen.set(id, entry.line);
        out.push({ line: entry.line, record: entry.record });
      }
    }
    return out;
  }
  const factors = await read("factors", FactorRecord, (r) => r.name);
  const values = await read("values", ValueWithProvenance, (r) => r.id);
  const categories = await read("categories", CategoryRecord, (r) => r.id);
  const sellers = await read("sellers", SellerRecord, (r) => r.id);
  const items = await read("items", ItemRecord, (r) => r.id);
  const factorNames = new Set(factors.map((f) => f.record.name));
  for (const { line, record } of values) if (!factorNames.has(record.factor)) issues.push(`values.jsonl:${line}: unknown factor ${record.factor} (not in factors.jsonl)`);
  const categoryIds = new Set(categories.map((c) => c.record.id));
  const cycles = parentCycles(new Map(categories.map((c) => [c.record.id, c.record.parentId])));
  for (const { line, record } of categories) {
    const cycle = cycles.get(record.id);
    if (cycle) issues.push(`categories.jsonl:${line}: ${cycle}`);
    else if (record.parentId !== null && !categoryIds.has(record.parentId)) issues.push(`categories.jsonl:${line}: unknown parent category ${record.parentId}`);
    const unknown = record.allows.filter((f) => !factorNames.has(f));
    if (unknown.length > 0) issues.push(`categories.jsonl:${line}: allows unknown factor ${unknown.join(", ")} (not in factors.jsonl)`);
  }
  const sellerIds = new Set(sellers.map((s) => s.record.id));
  const valueIds = new Set(values.map((v) => v.record.id));
  for (const { line, record } of items) {
    if (!categoryIds.has(record.categoryId)) issues.push(`items.jsonl:${line}: unknown category ${record.categoryId}`);
    if (!sellerIds.has(record.sellerId)) issues.push(`items.jsonl:${line}: unknown seller ${record.sellerId}`);
    const unknown = (record.valueIds ?? []).filter((id) => !valueIds.has(id));
    if (unknown.length > 0) issues.push(`items.jsonl:${line}: unknown value ${unknown.join(", ")}`);
  }
  if (items.length === 0) issues.push(`${WORLD_FILES.items}: no item`);
  if (issues.length > 0) {
    const fileLine = (issue: string) => /^(.*?):(\d+):/.exec(issue) ?? ["", issue, "0"];
    issues.sort((a, b) => fileLine(a)[1].localeCompare(fileLine(b)[1]) || Number(fileLine(a)[2]) - Number(fileLine(b)[2]));
    throw new Error(`${dir}: ${issues.length} bad record(s) in the catalog:\n  ${issues.slice(0, 20).join("\n  ")}${issues.length > 20 ? `\n  … ${issues.length - 20} more` : ""}`);
  }
  const manifestFile = join(dir, WORLD_FILES.manifest);
  const asOf = existsSync(manifestFile) ? WorldManifest.parse(JSON.parse(readFileSync(manifestFile, "utf8"))).asOf : undefined;
  return {
    categories: categories.map((c) => c.record),
    factors: factors.map((f) => f.record),
    values: values.map((v) => v.record),
    sellers: sellers.map((s) => s.record),
    items: items.map((i) => i.record),
    ...(asOf ? { asOf } : {}),
  };
}

/**
 * Runs `kg:import`'s induction step over the catalog (categories that allow no factor, items
 * without `valueIds`), then fills in every item's values and short title as the importer does.
 */
export async function induceCatalog(records: CatalogRecords, options: { embed?: (texts: string[]) => Promise<number[][]> } = {}): Promise<InducedCatalog> {
  const byId = new Map(records.categories.map((c) => [c.id, c]));
  const induction = await induceForImport({
    items: records.items,
    categoryOf: (id) => byId.get(id) as CategoryRecord,
    curated: records.values,
    embed: options.embed,
  });
  const updated = new Map((induction?.categories ?? []).map((c) => [c.id, c]));
  const categories = records.categories.map((c) => updated.get(c.id) ?? c);
  const induced = induction?.values ?? [];
  const values = [...records.values, ...induced];
  const factorNames = [...records.factors.map((f) => f.name)];
  for (const f of induction?.factors ?? []) if (!factorNames.includes(f)) factorNames.push(f);
  const tools = createVocabularyTools(values, categories);
  const categoryOf = (id: string) => updated.get(id) ?? (byId.get(id) as CategoryRecord);
  const items = records.items.map((item) => {
    const category = categoryOf(item.categoryId);
    const valueIds = item.valueIds ?? tools.valuesFromTitle(item.title, category.allows);
    const shortTitle = item.shortTitle ?? induction?.shortTitles.get(item.id) ?? tools.shortTitle(category.noun ?? category.name, valueIds);
    return { ...item, valueIds, shortTitle };
  });
  return { ...records, categories, factors: factorNames.map((name) => ({ name })), values, items, induced };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The top-level ancestor of each category. */
function topLevel(categories: readonly CategoryRecord[]): Map<string, string> {
  const parent = new Map(categories.map((c) => [c.id, c.parentId]));
  const out = new Map<string, string>();
  for (const c of categories) {
    let at = c.id;
    for (let hops = 0; hops < 8 && parent.get(at); hops++) at = parent.get(at) as string;
    out.set(c.id, at);
  }
  return out;
}

/**
 * The world catalog of an induced catalog and its offers as the simulations keep them (sorted by
 * launch time, ids kept; a missing price ladder becomes one tier at the MOQ).
 */
export function realWorldCatalog(catalog: {
  categories: readonly CategoryRecord[];
  factors: readonly FactorRecord[];
  values: readonly ValueRecord[];
  items: readonly ItemRecord[];
}): { catalog: WorldCatalog; items: GenItem[] } {
  const valueById = new Map<string, WorldValue>(catalog.values.map((v) => [v.id, { id: v.id, factor: v.factor, name: v.name, aliases: v.aliases, scope: [], factorKey: v.factor, slug: v.id }]));
  const groupOf = topLevel(catalog.categories);
  const categoryById = new Map(catalog.categories.map((c) => [c.id, c]));
  const itemsByLeaf = new Map<string, ItemRecord[]>();
  for (const i of catalog.items) itemsByLeaf.set(i.categoryId, [...(itemsByLeaf.get(i.categoryId) ?? []), i]);
  const leafIds = catalog.categories.map((c) => c.id).filter((id) => itemsByLeaf.has(id));
  const meanSize = catalog.items.length / Math.max(1, leafIds.length);

  const leafValues = new Map<string, Map<string, WorldValue[]>>();
  const leaves: WorldLeaf[] = [];
  for (const id of leafIds) {
    const c = categoryById.get(id) as CategoryRecord;
    const offers = itemsByLeaf.get(id) as ItemRecord[];
    const carriers = new Map<string, number>();
    for (const i of offers) for (const v of new Set(i.valueIds ?? [])) carriers.set(v, (carriers.get(v) ?? 0) + 1);
    const perFactor = new Map<string, WorldValue[]>();
    const kept = [...carriers]
      .filter(([v, n]) => n >= MIN_CARRIERS && valueById.has(v) && c.allows.includes(valueById.get(v)!.factor))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [v] of kept) {
      const value = valueById.get(v) as WorldValue;
      perFactor.set(value.factorKey, [...(perFactor.get(value.factorKey) ?? []), value]);
    }
    leafValues.set(id, perFactor);
    const noun = c.noun ?? c.name;
    const synonyms = (perFactor.get(PRODUCT_TYPE_FACTOR) ?? []).map((v) => v.name).filter((n) => n !== noun).slice(0, 2);
    const prices = offers.map((i) => i.price);
    leaves.push({
      slug: id, name: c.name, noun, group: groupOf.get(id) as string, synonyms,
      price: [Math.min(...prices), Math.max(...prices)], curve: "flat", popularity: round(offers.length / meanSize, 3),
    });
  }

  const presentFactors = new Set<string>();
  for (const perFactor of leafValues.values()) for (const f of perFactor.keys()) presentFactors.add(f);
  const factorKeys = catalog.factors.map((f) => f.name).filter((f) => presentFactors.has(f) && f !== PRODUCT_TYPE_FACTOR);
  const tasteKeys = factorKeys.filter((f) => !NOT_A_TASTE.has(f));

  const tastes = new Map(leafIds.map((id) => [id, new Set([...(leafValues.get(id) as Map<string, WorldValue[]>)].filter(([f]) => !NOT_A_TASTE.has(f)).flatMap(([, vs]) => vs.map((v) => v.id)))]));
  const pairs: WorldCatalog["pairs"] = [];
  for (const from of leafIds) {
    const a = tastes.get(from) as Set<string>;
    const similar = leafIds
      .filter((to) => to !== from)
      .map((to) => {
        const b = tastes.get(to) as Set<string>;
        const shared = [...a].filter((v) => b.has(v)).length;
        const union = a.size + b.size - shared;
        return { to, jaccard: union === 0 ? 0 : shared / union };
      })
      .filter((x) => x.jaccard > 0)
      .sort((x, y) => y.jaccard - x.jaccard || (x.to < y.to ? -1 : 1))
      .slice(0, 2);
    for (const s of similar) pairs.push({ from, to: s.to, strength: round(s.jaccard, 3) });
  }

  const groups = [...new Set(leaves.map((l) => l.group))];
  const identity = (id: string) => id;
  const worldCatalog: WorldCatalog = {
    categories: [...catalog.categories],
    factors: [...catalog.factors],
    values: [...valueById.values()],
    leaves,
    valueById,
    leafBySlug: new Map(leaves.map((l) => [l.slug, l])),
    leafValues,
    categoryId: identity,
    slugOf: identity,
    pairs,
    categoryAliases: new Map(leaves.map((l) => [l.slug, l.synonyms])),
    factorKeys,
    factorName: identity,
    priceKey: null,
    seasonKey: factorKeys.includes(SEASON_FACTOR) ? SEASON_FACTOR : null,
    driftKeys: tasteKeys,
    potentialKeys: tasteKeys,
    groupAffinity: () => Object.fromEntries(groups.map((g) => [g, 1])),
  };

  const leafById = worldCatalog.leafBySlug;
  const items: GenItem[] = catalog.items
    .map((i, order) => ({ i, order, launchedMs: Date.parse(i.launchedAt) }))
    .filter(({ i }) => leafById.has(i.categoryId))
    .sort((a, b) => a.launchedMs - b.launchedMs || a.order - b.order)
    .map(({ i, launchedMs }, index) => ({
      index,
      id: i.id,
      leaf: leafById.get(i.categoryId) as WorldLeaf,
      categoryId: i.categoryId,
      valueIds: i.valueIds ?? [],
      title: i.title,
      shortTitle: i.shortTitle ?? i.title,
      price: i.price,
      moq: i.moq,
      tiers: i.priceTiers && i.priceTiers.length > 0 ? i.priceTiers : [{ minQty: i.moq, price: i.price }],
      launchedMs,
      sellerId: i.sellerId,
      season: null,
    }));
  return { catalog: worldCatalog, items };
}

/**
 * Trends over a real catalog: `count` taste values carried in the most leaves (ties by offers
 * carrying them), each emerging on its own date spread over the year (jittered by `rng`) in up to
 * four of those leaves, growing logistically; known by "<value><leaf noun>" terms. Not novel: the
 * offers exist already.
 */
export function realTrends(catalog: WorldCatalog, items: readonly GenItem[], cal: Calendar, rng: Rng, count = 8): Array<LatentTrend & { novel: boolean }> {
  const carriers = new Map<string, Map<string, number>>();
  for (const it of items) {
    for (const v of it.valueIds) {
      const perLeaf = carriers.get(v) ?? new Map<string, number>();
      perLeaf.set(it.leaf.slug, (perLeaf.get(it.leaf.slug) ?? 0) + 1);
      carriers.set(v, perLeaf);
    }
  }
  const candidates = catalog.values
    .filter((v) => catalog.driftKeys.includes(v.factorKey))
    .map((v) => {
      const leaves = catalog.leaves
        .filter((l) => (catalog.leafValues.get(l.slug)?.get(v.factorKey) ?? []).some((x) => x.id === v.id))
        .map((l) => ({ leaf: l, n: carriers.get(v.id)?.get(l.slug) ?? 0 }))
        .sort((a, b) => b.n - a.n || (a.leaf.slug < b.leaf.slug ? -1 : 1));
      return { v, leaves, total: leaves.reduce((s, x) => s + x.n, 0) };
    })
    .filter((c) => c.leaves.length > 0)
    .sort((a, b) => b.leaves.length - a.leaves.length || b.total - a.total || (a.v.id < b.v.id ? -1 : 1));
  const chosen = rng.sample(candidates.slice(0, count * 3), count).sort((a, b) => (a.v.id < b.v.id ? -1 : 1));
  const span = cal.asOfMs - cal.historyStartMs;
  return chosen.map((c, i) => {
    const leaves = c.leaves.slice(0, 4).map((x) => x.leaf);
    const emergesAt = iso(cal.historyStartMs + Math.floor(((i + 1) * span) / (chosen.length + 1) / DAY_MS) * DAY_MS + rng.int(-4, 4) * DAY_MS);
    return {
      id: `tr-${String(i + 1).padStart(2, "0")}`,
      name: `${c.v.name}${leaves[0].noun}`,
      valueIds: [c.v.id],
      categoryIds: leaves.map((l) => catalog.categoryId(l.slug)),
      emergesAt,
      midpointDays: rng.int(18, 45),
      scaleDays: rng.int(5, 12),
      terms: [...new Set(leaves.slice(0, 3).map((l) => `${c.v.name}${l.noun}`))],
      novel: false,
    };
  });
}

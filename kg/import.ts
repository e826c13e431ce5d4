/**
 * Imports real data from a directory of JSONL files in the world format (`contracts/records.ts`,
 * documented in `kg/IMPORT.md`): `categories`, `factors`, `values`, `sellers`, `items`, `buyers`,
 * `events`, `trends` — each file optional. References may point at records of the same import or
 * at nodes already in the graph. Everything is validated first (bad JSON, schema errors,
 * duplicate ids, unknown category / parent / seller / value / user / item references, with file,
 * line and reason); then only the good records are written, in dependency order, in bounded
 * transactions. Items without `valueIds` get them from their titles with the factor vocabulary
 * (`extractValues`), and a `shortTitle` with `shortTitle`. `PAIRS_WITH` and `CO_ENGAGED` are recomputed only when
 * an `asOf` is given (option or `manifest.json`), so an import never leaks future behaviour.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  BuyerRecord,
  CategoryRecord,
  EventRecord,
  FactorRecord,
  ItemRecord,
  SellerRecord,
  TrendDocRecord,
  ValueRecord,
  WORLD_FILES,
} from "../contracts/records.js";
import { readQuery, writeTransaction, type Driver } from "./driver.js";
import type { DocumentEmbedder, EmbeddingCache, EmbedStats } from "./embedding-cache.js";
import { readJsonl } from "../lib/jsonl.js";
import { readManifest } from "../lib/jsonl.js";
import { computeCoEngagement } from "./co-engagement.js";
import { computePairsWith, embedItemRows, itemRow, trendDocRow } from "./load.js";
import { ensureSchema } from "./schema.js";
import { createVocabularyTools } from "./vocab.js";
import { importSchema, parentCycles } from "./import-rules.js";
import { cachedEmbed } from "./induce/embed.js";
import { induceForImport, type ImportInduction } from "./induce/import-step.js";
import { ValueWithProvenance } from "./induce/records.js";
import { writeValueProvenance } from "./induce/write.js";
import { induceTrendsInGraph } from "./induce/trend-step.js";
import type { TrendTermResult } from "./induce/trend-terms.js";
import {
  writeBatch,
  writeCategories,
  writeEventRows,
  writeFactors,
  writeItems,
  writeSellers,
  writeTrendDocs,
  writeUsers,
  writeValues,
} from "./writes.js";

export interface ImportIssue {
  file: string;
  line: number;
  reason: string;
}

export interface ImportOptions {
  driver: Driver;
  embedder: DocumentEmbedder;
  cache: EmbeddingCache;
  /** Recompute PAIRS_WITH from behaviour before this instant (default: the manifest's, if any). */
  asOf?: string;
  batchSize?: number;
}

export interface ImportResult {
  issues: ImportIssue[];
  /** Good records written per file kind. */
  written: Record<string, number>;
  embeddings: EmbedStats;
  /** PAIRS_WITH relationships after recomputation, or null when no `asOf` was known. */
  pairs: number | null;
  /** What vocabulary induction added for categories that had none, or null when none needed it. */
  induced: ImportInduction | null;
  /** Values induced from the trend documents (`source: 'trend'`), or null when no trend document was imported. */
  trendValues: TrendTermResult | null;
  timings: Record<string, number>;
}

type Kind = Exclude<keyof typeof WORLD_FILES, "manifest">;
interface Lined<T> {
  line: number;
  record: T;
}

/** Labels whose ids an import may reference in the graph. */
const ID_LABELS = { Category: "Category", Value: "Value", Seller: "Seller", Item: "Item", User: "User" } as const;

async function graphIds(driver: Driver, label: keyof typeof ID_LABELS, ids: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Set();
  const rows = await readQuery(driver, `UNWIND $ids AS id MATCH (n:${ID_LABELS[label]} {id: id}) RETURN n.id AS id`, {
    ids: list,
  });
  return new Set(rows.map((r) => r.id as string));
}

const GraphCategory = z.object({
  id: z.string(),
  name: z.string(),
  noun: z.string().nullable(),
  level: z.number().int(),
  parentId: z.string().nullable(),
  allows: z.array(z.string()),
});

export async function importDir(dir: string, options: ImportOptions): Promise<ImportResult> {
  const { driver, embedder, cache } = options;
  const batchSize = options.batchSize ?? 2000;
  const started = performance.now();
  const timings: Record<string, number> = {};
  const issues: ImportIssue[] = [];
  const path = (kind: Kind) => join(dir, WORLD_FILES[kind]);
  const report = (kind: Kind, line: number, reason: string) => issues.push({ file: WORLD_FILES[kind], line, reason });

  async function readKind<S extends z.ZodType>(kind: Kind, schema: S, idOf: (r: z.infer<S>) => string): Promise<Lined<z.infer<S>>[]> {
    if (!existsSync(path(kind))) return [];
    const out: Lined<z.infer<S>>[] = [];
    const seen = new Map<string, number>();
    for await (const entry of readJsonl(path(kind), importSchema(schema))) {
      if (!entry.ok) {
        report(kind, entry.line, entry.error);
        continue;
      }
      const id = idOf(entry.record);
      const first = seen.get(id);
      if (first !== undefined) {
        report(kind, entry.line, `duplicate id ${id} (first on line ${first})`);
        continue;
      }
      seen.set(id, entry.line);
      out.push({ line: entry.line, record: entry.record });
    }
    return out;
  }

  const factors = await readKind("factors", FactorRecord, (r) => r.name);
  const values = await readKind("values", ValueWithProvenance, (r) => r.id);
  let categories = await readKind("categories", CategoryRecord, (r) => r.id);
  const sellers = await readKind("sellers", SellerRecord, (r) => r.id);
  let items = await readKind("items", ItemRecord, (r) => r.id);
  const buyers = await readKind("buyers", BuyerRecord, (r) => r.id);
  const trends = await readKind("trends", TrendDocRecord, (r) => r.id);

  const parentsInGraph = await graphIds(
    driver,
    "Category",
    categories.flatMap(({ record }) => (record.parentId ? [record.parentId] : [])),
  );
  const cycles = parentCycles(new Map(categories.map(({ record }) => [record.id, record.parentId])));
  categories = categories.filter(({ record, line }) => {
    const reason = cycles.get(record.id);
    if (reason) report("categories", line, reason);
    return !reason;
  });
  const knownFactors = new Set([
    ...factors.map(({ record }) => record.name),
    ...(await readQuery(driver, "MATCH (f:Factor) RETURN f.name AS name")).map((r) => r.name as string),
  ]);
  const unknownFactors = (names: string[]) => names.filter((n) => !knownFactors.has(n));
  const goodValues = values.filter(({ record, line }) => {
    const unknown = unknownFactors([record.factor]);
    if (unknown.length > 0) report("values", line, `unknown factor ${unknown[0]} (not in factors.jsonl or the graph)`);
    return unknown.length === 0;
  });
  values.splice(0, values.length, ...goodValues);
  categories = categories.filter(({ record, line }) => {
    const unknown = unknownFactors(record.allows);
    if (unknown.length > 0) report("categories", line, `allows unknown factor ${unknown.join(", ")} (not in factors.jsonl or the graph)`);
    return unknown.length === 0;
  });
  for (let changed = true; changed; ) {
    const ids = new Set(categories.map(({ record }) => record.id));
    const kept = categories.filter(({ record, line }) => {
      if (record.parentId === null || ids.has(record.parentId) || parentsInGraph.has(record.parentId)) return true;
      report("categories", line, `unknown parent category ${record.parentId}`);
      return false;
    });
    changed = kept.length !== categories.length;
    categories = kept;
  }

  const fileCategories = new Map(categories.map(({ record }) => [record.id, record]));
  const graphCategoryIds = await graphIds(
    driver,
    "Category",
    items.map(({ record }) => record.categoryId).filter((id) => !fileCategories.has(id)),
  );
  const graphCategories = new Map(
    (
      await readQuery(
        driver,
        `MATCH (c:Category) WHERE c.id IN $ids
         OPTIONAL MATCH (c)-[:PARENT]->(p:Category)
         OPTIONAL MATCH (c)-[:ALLOWS]->(f:Factor)
         RETURN c.id AS id, c.name AS name, c.noun AS noun, c.level AS level, p.id AS parentId, collect(f.name) AS allows`,
        { ids: [...graphCategoryIds] },
      )
    ).map((row) => {
      const c = GraphCategory.parse(row);
      const record: CategoryRecord = { ...c, noun: c.noun ?? undefined };
      return [c.id, record] as const;
    }),
  );
  const sellerIds = new Set(sellers.map(({ record }) => record.id));
  const graphSellers = await graphIds(driver, "Seller", items.map(({ record }) => record.sellerId).filter((id) => !sellerIds.has(id)));
  const valueIds = new Set(values.map(({ record }) => record.id));
  const graphValues = await graphIds(driver, "Value", items.flatMap(({ record }) => record.valueIds ?? []).filter((id) => !valueIds.has(id)));
  items = items.filter(({ record, line }) => {
    if (!fileCategories.has(record.categoryId) && !graphCategories.has(record.categoryId)) {
      report("items", line, `unknown category ${record.categoryId}`);
      return false;
    }
    if (!sellerIds.has(record.sellerId) && !graphSellers.has(record.sellerId)) {
      report("items", line, `unknown seller ${record.sellerId}`);
      return false;
    }
    const unknown = (record.valueIds ?? []).filter((id) => !valueIds.has(id) && !graphValues.has(id));
    if (unknown.length > 0) {
      report("items", line, `unknown value ${unknown.join(", ")}`);
      return false;
    }
    return true;
  });

  const itemIds = new Set(items.map(({ record }) => record.id));
  const buyerIds = new Set(buyers.map(({ record }) => record.id));
  const badEventLines = new Set<number>();
  const eventRefs: { line: number; userId: string; itemId: string | null }[] = [];
  if (existsSync(path("events"))) {
    const seen = new Map<string, number>();
    for await (const entry of readJsonl(path("events"), importSchema(EventRecord))) {
      if (!entry.ok) {
        report("events", entry.line, entry.error);
        badEventLines.add(entry.line);
        continue;
      }
      const first = seen.get(entry.record.id);
      if (first !== undefined) {
        report("events", entry.line, `duplicate id ${entry.record.id} (first on line ${first})`);
        badEventLines.add(entry.line);
        continue;
      }
      seen.set(entry.record.id, entry.line);
      eventRefs.push({ line: entry.line, userId: entry.record.userId, itemId: entry.record.type === "search" ? null : (entry.record.itemId ?? null) });
    }
  }
  const graphUsers = await graphIds(driver, "User", eventRefs.map((e) => e.userId).filter((id) => !buyerIds.has(id)));
  const graphItems = await graphIds(
    driver,
    "Item",
    eventRefs.flatMap((e) => (e.itemId && !itemIds.has(e.itemId) ? [e.itemId] : [])),
  );
  for (const ref of eventRefs) {
    if (!buyerIds.has(ref.userId) && !graphUsers.has(ref.userId)) {
      report("events", ref.line, `unknown user ${ref.userId}`);
      badEventLines.add(ref.line);
    } else if (ref.itemId && !itemIds.has(ref.itemId) && !graphItems.has(ref.itemId)) {
      report("events", ref.line, `unknown item ${ref.itemId}`);
      badEventLines.add(ref.line);
    }
  }
  timings.validate = Math.round(performance.now() - started);

  await ensureSchema(driver, { dimensions: embedder.dimensions });
  const vocabularyValues =
    values.length > 0
      ? values.map(({ record }) => record)
      : (
          await readQuery(
            driver,
            "MATCH (v:Value) RETURN v.id AS id, v.factor AS factor, v.name AS name, coalesce(v.aliases, []) AS aliases",
          )
        ).map((r) => ValueRecord.parse(r));
  const inducedStart = performance.now();
  const induced = await induceForImport({
    items: items.map(({ record }) => record),
    categoryOf: (id) => (fileCategories.get(id) ?? graphCategories.get(id)) as CategoryRecord,
    curated: vocabularyValues,
    embed: cachedEmbed(embedder, cache),
  });
  timings.induce = Math.round(performance.now() - inducedStart);
  const updatedCategories = new Map((induced?.categories ?? []).map((c) => [c.id, c]));
  const allCategories = [...fileCategories.values(), ...graphCategories.values()].map((c) => updatedCategories.get(c.id) ?? c);
  const tools = createVocabularyTools([...vocabularyValues, ...(induced?.values ?? [])], allCategories);
  const categoryOf = (id: string) => (updatedCategories.get(id) ?? fileCategories.get(id) ?? graphCategories.get(id)) as CategoryRecord;
  if (induced) {
    items = items.map(({ line, record }) => ({ line, record: { ...record, shortTitle: record.shortTitle ?? induced.shortTitles.get(record.id) } }));
  }

  const written: Record<string, number> = {};
  const writeStart = performance.now();
  await writeTransaction(driver, async (tx) => {
    await writeFactors(tx, factors.map(({ record }) => record.name));
    await writeValues(tx, values.map(({ record }) => record));
    await writeCategories(tx, categories.map(({ record }) => record));
    await writeValueProvenance(tx, values.map(({ record }) => record));
    if (induced) {
      await writeFactors(tx, induced.factors);
      await writeValues(tx, induced.values);
      await writeValueProvenance(tx, induced.values);
      await writeCategories(tx, induced.categories);
    }
  });
  written.factors = factors.length;
  written.values = values.length;
  written.categories = categories.length;
  for (let i = 0; i < sellers.length; i += batchSize) {
    await writeBatch(driver, writeSellers, sellers.slice(i, i + batchSize).map(({ record }) => record));
  }
  written.sellers = sellers.length;
  const embeddings: EmbedStats = { hits: 0, misses: 0 };
  for (let i = 0; i < items.length; i += 1000) {
    const rows = items.slice(i, i + 1000).map(({ record }) => itemRow(record, categoryOf(record.categoryId), tools, null));
    const stats = await embedItemRows(rows, embedder, cache);
    embeddings.hits += stats.hits;
    embeddings.misses += stats.misses;
    await writeBatch(driver, writeItems, rows);
  }
  written.items = items.length;
  for (let i = 0; i < buyers.length; i += batchSize) {
    await writeBatch(driver, writeUsers, buyers.slice(i, i + batchSize).map(({ record }) => record));
  }
  written.buyers = buyers.length;
  written.events = 0;
  if (existsSync(path("events"))) {
    let batch: EventRecord[] = [];
    for await (const entry of readJsonl(path("events"), importSchema(EventRecord))) {
      if (!entry.ok || badEventLines.has(entry.line)) continue;
      batch.push(entry.record);
      if (batch.length >= batchSize) {
        await writeBatch(driver, writeEventRows, batch);
        written.events += batch.length;
        batch = [];
      }
    }
    await writeBatch(driver, writeEventRows, batch);
    written.events += batch.length;
  }
  for (let i = 0; i < trends.length; i += 1000) {
    await writeBatch(driver, writeTrendDocs, trends.slice(i, i + 1000).map(({ record }) => trendDocRow(record, tools)));
  }
  written.trends = trends.length;
  timings.write = Math.round(performance.now() - writeStart);

  const asOf = options.asOf ?? (existsSync(join(dir, WORLD_FILES.manifest)) ? (await readManifest(dir)).asOf : undefined);
  const trendStart = performance.now();
  const trendValues = trends.length > 0 ? await induceTrendsInGraph(driver, { embed: cachedEmbed(embedder, cache), asOf, docIds: trends.map(({ record }) => record.id) }) : null;
  timings.trendInduction = Math.round(performance.now() - trendStart);
  const pairs = asOf ? await computePairsWith(driver, { asOf }) : null;
  if (asOf) await computeCoEngagement(driver, { asOf });
  timings.total = Math.round(performance.now() - started);
  issues.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file.localeCompare(b.file)));
  return { issues, written, embeddings, pairs, timings, induced, trendValues };
}

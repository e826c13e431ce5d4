/**
 * Trend induction in the graph (run by `kg:import` after trend documents are written, over the
 * documents of that import): reads the trend documents published before `asOf` (all of them
 * without one; only `docIds` when given), the offers with their
 * categories and the terms the graph already names (values other than earlier trend values,
 * category names and nouns), runs `induceTrendValues`, and writes each new value as a `Value`
 * (`source: 'trend'`, `support`, `confidence`) of its factor, `HAS` edges from the offers carrying
 * it, `ALLOWS` edges from their categories to its factor, and `MENTIONS {weight}` edges from the
 * documents naming it. Writes are `MERGE`s on deterministic ids: a second run changes nothing.
 */
import type { Driver } from "neo4j-driver";
import { readQuery, writeTransaction } from "../driver.js";
import { bumpCatalogVersion, writeValues } from "../writes.js";
import { writeValueProvenance } from "./write.js";
import { induceTrendValues, type TrendTermOptions, type TrendTermResult } from "./trend-terms.js";

export type TrendStepOptions = Pick<TrendTermOptions, "embed" | "minDocs" | "minSources" | "maxDocShare" | "minItems"> & {
  asOf?: string;
  /** Only these documents (an import's); all the graph's when absent. */
  docIds?: readonly string[];
};

export async function induceTrendsInGraph(driver: Driver, options: TrendStepOptions = {}): Promise<TrendTermResult> {
  const docs = (
    await readQuery(
      driver,
      `MATCH (d:TrendDoc) WHERE ($asOf IS NULL OR d.publishedAt < datetime($asOf)) AND ($docIds IS NULL OR d.id IN $docIds)
       RETURN d.id AS id, d.source AS source, d.title AS title, coalesce(d.text, '') AS text ORDER BY id`,
      { asOf: options.asOf ?? null, docIds: options.docIds ? [...options.docIds] : null },
    )
  ).map((r) => ({ id: String(r.id), source: String(r.source), title: String(r.title), text: String(r.text) }));
  if (docs.length === 0) return { values: [], carriedBy: new Map(), categoryFactors: new Map(), mentions: [], rejected: [] };
  const items = (await readQuery(driver, "MATCH (i:Item)-[:IN]->(c:Category) RETURN i.id AS id, i.title AS title, c.id AS categoryId ORDER BY id")).map((r) => ({
    id: String(r.id),
    title: String(r.title),
    categoryId: String(r.categoryId),
  }));
  const known = (
    await readQuery(
      driver,
      `MATCH (v:Value) WHERE coalesce(v.source, 'curated') <> 'trend' UNWIND [v.name] + coalesce(v.aliases, []) AS term RETURN DISTINCT term
       UNION MATCH (c:Category) UNWIND [c.name, c.noun] AS term WITH term WHERE term IS NOT NULL RETURN DISTINCT term`,
    )
  ).map((r) => String(r.term));
  const result = await induceTrendValues(docs, { ...options, known, items });
  if (result.values.length === 0) return result;
  await writeTransaction(driver, async (tx) => {
    await writeValues(tx, result.values);
    await writeValueProvenance(tx, result.values);
    await tx.run(
      `UNWIND $rows AS row
       MATCH (v:Value {id: row.valueId})
       UNWIND row.itemIds AS itemId
       MATCH (i:Item {id: itemId})
       MERGE (i)-[:HAS]->(v)`,
      { rows: [...result.carriedBy].map(([valueId, itemIds]) => ({ valueId, itemIds })) },
    );
    await tx.run(
      `UNWIND $rows AS row
       MATCH (c:Category {id: row.categoryId})
       UNWIND row.factors AS factor
       MATCH (f:Factor {name: factor})
       MERGE (c)-[:ALLOWS]->(f)`,
      { rows: [...result.categoryFactors].map(([categoryId, factors]) => ({ categoryId, factors })) },
    );
    await tx.run(
      `UNWIND $rows AS row
       MATCH (d:TrendDoc {id: row.docId})
       MATCH (v:Value {id: row.valueId})
       MERGE (d)-[r:MENTIONS]->(v)
       SET r.weight = row.weight`,
      { rows: result.mentions },
    );
    await bumpCatalogVersion(tx);
  });
  return result;
}

/**
 * Creates the knowledge-graph schema idempotently (`IF NOT EXISTS`): uniqueness constraints on
 * ids, range indexes for point-in-time filters, full-text indexes with the `cjk` analyzer on item
 * titles and trend documents, and a cosine vector index on `Item.embedding`; then waits until
 * every index is ONLINE. Fails with a clear message if an existing vector index has another size.
 */
import neo4j from "neo4j-driver";
import { z } from "zod";
import { readQuery, writeQuery, type Driver } from "./driver.js";

export const ITEM_FULLTEXT_INDEX = "item_title_fulltext";
export const TREND_FULLTEXT_INDEX = "trenddoc_text_fulltext";
export const ITEM_VECTOR_INDEX = "item_embedding_vector";

const CONSTRAINTS: readonly string[] = [
  "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT item_id IF NOT EXISTS FOR (n:Item) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT category_id IF NOT EXISTS FOR (n:Category) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT value_id IF NOT EXISTS FOR (n:Value) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT factor_name IF NOT EXISTS FOR (n:Factor) REQUIRE n.name IS UNIQUE",
  "CREATE CONSTRAINT seller_id IF NOT EXISTS FOR (n:Seller) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT trenddoc_id IF NOT EXISTS FOR (n:TrendDoc) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT searchterm_text IF NOT EXISTS FOR (n:SearchTerm) REQUIRE n.text IS UNIQUE",
  "CREATE CONSTRAINT query_id IF NOT EXISTS FOR (n:Query) REQUIRE n.id IS UNIQUE",
  "CREATE CONSTRAINT behaved_id IF NOT EXISTS FOR ()-[r:BEHAVED]-() REQUIRE r.id IS UNIQUE",
  "CREATE CONSTRAINT searched_id IF NOT EXISTS FOR ()-[r:SEARCHED]-() REQUIRE r.id IS UNIQUE",
];

const INDEXES: readonly string[] = [
  "CREATE INDEX item_launched_at IF NOT EXISTS FOR (n:Item) ON (n.launchedAt)",
  "CREATE INDEX trenddoc_published_at IF NOT EXISTS FOR (n:TrendDoc) ON (n.publishedAt)",
  "CREATE INDEX seller_joined_at IF NOT EXISTS FOR (n:Seller) ON (n.joinedAt)",
  "CREATE INDEX category_name IF NOT EXISTS FOR (n:Category) ON (n.name)",
  "CREATE INDEX value_factor_name IF NOT EXISTS FOR (n:Value) ON (n.factor, n.name)",
  `CREATE FULLTEXT INDEX ${ITEM_FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Item) ON EACH [n.title, n.shortTitle]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'cjk'}}`,
  `CREATE FULLTEXT INDEX ${TREND_FULLTEXT_INDEX} IF NOT EXISTS FOR (n:TrendDoc) ON EACH [n.title, n.text]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'cjk'}}`,
];

export const SchemaOptions = z.object({
  dimensions: z.number().int().min(1).max(4096),
  awaitSeconds: z.number().int().positive().default(300),
});
export type SchemaOptions = z.input<typeof SchemaOptions>;

/** Creates constraints and indexes if missing and waits until all indexes are ONLINE. */
export async function ensureSchema(driver: Driver, options: SchemaOptions): Promise<void> {
  const { dimensions, awaitSeconds } = SchemaOptions.parse(options);
  for (const statement of [...CONSTRAINTS, ...INDEXES]) await writeQuery(driver, statement);
  const existing = await readQuery(
    driver,
    "SHOW VECTOR INDEXES YIELD name, options WHERE name = $name RETURN options",
    { name: ITEM_VECTOR_INDEX },
  );
  if (existing.length > 0) {
    const config = (existing[0].options as { indexConfig?: Record<string, unknown> }).indexConfig ?? {};
    const size = Number(config["vector.dimensions"]);
    if (size !== dimensions) {
      throw new Error(
        `vector index ${ITEM_VECTOR_INDEX} has ${size} dimensions but the embedder gives ${dimensions}: ` +
          `drop it (DROP INDEX ${ITEM_VECTOR_INDEX}) and reload, or configure the matching embedding model`,
      );
    }
  } else {
    await writeQuery(
      driver,
      `CREATE VECTOR INDEX ${ITEM_VECTOR_INDEX} IF NOT EXISTS FOR (n:Item) ON n.embedding
       OPTIONS {indexConfig: {\`vector.dimensions\`: $dimensions, \`vector.similarity_function\`: 'cosine'}}`,
      { dimensions: neo4j.int(dimensions) },
    );
  }
  await writeQuery(driver, "CALL db.awaitIndexes($seconds)", { seconds: awaitSeconds });
}

import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver } from "../test/services.js";
import { readQuery } from "./driver.js";
import { ensureSchema, ITEM_FULLTEXT_INDEX, ITEM_VECTOR_INDEX, TREND_FULLTEXT_INDEX } from "./schema.js";
import { ensureTinyWorldLoaded } from "../test/support/test-world.js";

describe("ensureSchema", () => {
  let driver: Driver;

  beforeAll(async () => {
    await ensureTinyWorldLoaded();
    driver = testDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });

  const snapshot = async () => ({
    constraints: (await readQuery(driver, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")).map((r) => r.name),
    indexes: await readQuery(
      driver,
      "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options RETURN name, type, state, labelsOrTypes, properties, options ORDER BY name",
    ),
  });

  it("is idempotent and leaves every index ONLINE", async () => {
    await ensureSchema(driver, { dimensions: 384 });
    const first = await snapshot();
    await ensureSchema(driver, { dimensions: 384 });
    expect(await snapshot()).toEqual(first);
    for (const index of first.indexes) expect(index.state).toBe("ONLINE");
    expect(first.constraints).toEqual(
      expect.arrayContaining(["user_id", "item_id", "category_id", "value_id", "factor_name", "seller_id", "trenddoc_id", "searchterm_text", "query_id", "behaved_id", "searched_id"]),
    );
  });

  it("creates cjk full-text indexes on item titles and trend documents and a cosine vector index", async () => {
    const { indexes } = await snapshot();
    const byName = new Map(indexes.map((i) => [i.name, i]));
    const item = byName.get(ITEM_FULLTEXT_INDEX) as { type: string; properties: string[]; options: { indexConfig: Record<string, unknown> } };
    expect(item.type).toBe("FULLTEXT");
    expect(item.properties).toEqual(["title", "shortTitle"]);
    expect(item.options.indexConfig["fulltext.analyzer"]).toBe("cjk");
    const trend = byName.get(TREND_FULLTEXT_INDEX) as typeof item;
    expect(trend.properties).toEqual(["title", "text"]);
    expect(trend.options.indexConfig["fulltext.analyzer"]).toBe("cjk");
    const vector = byName.get(ITEM_VECTOR_INDEX) as typeof item;
    expect(vector.type).toBe("VECTOR");
    expect(vector.options.indexConfig["vector.dimensions"]).toBe(384);
    expect(vector.options.indexConfig["vector.similarity_function"]).toBe("COSINE");
  });

  it("refuses an embedder whose size differs from the vector index, naming the fix", async () => {
    await expect(ensureSchema(driver, { dimensions: 128 })).rejects.toThrow(/384 dimensions but the embedder gives 128.*DROP INDEX/);
  });
});

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { readQuery, writeTransaction } from "./driver.js";
import { openEmbeddingCache } from "./embedding-cache.js";
import { importDir, type ImportResult } from "./import.js";
import { graphCounts, type GraphCounts } from "./load.js";
import { createKgReader } from "./repositories.js";
import { ensureTinyWorldLoaded } from "../test/support/test-world.js";

const SAMPLE = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "import-sample");

/** Removes everything the sample import wrote (all its ids start with `imp-`). */
async function removeSample(driver: Driver): Promise<void> {
  await writeTransaction(driver, async (tx) => {
    await tx.run(
      `MATCH (n) WHERE (n:User OR n:Item OR n:Category OR n:Value OR n:Seller OR n:TrendDoc) AND n.id STARTS WITH 'imp-'
       DETACH DELETE n`,
    );
    await tx.run("MATCH (t:SearchTerm) WHERE NOT (t)--() DELETE t");
  });
}

describe("importDir on a hand-written sample with bad lines", () => {
  let driver: Driver;
  let before: GraphCounts;
  let result: ImportResult;

  beforeAll(async () => {
    await ensureTinyWorldLoaded();
    driver = testDriver();
    await removeSample(driver);
    before = await graphCounts(driver);
    const info = testServices();
    const cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
    try {
      result = await importDir(SAMPLE, { driver, embedder: await testEmbedder(info), cache });
    } finally {
      cache.close();
    }
  });
  afterAll(async () => {
    if (driver) {
      await removeSample(driver);
      expect(await graphCounts(driver)).toEqual(before);
      await driver.close();
    }
  });

  it("reports exactly the bad lines, with file, line and reason", () => {
    expect(result.issues.map(({ file, line }) => `${file}:${line}`)).toEqual([
      "categories.jsonl:5",
      "categories.jsonl:6",
      "events.jsonl:4",
      "events.jsonl:5",
      "events.jsonl:6",
      "events.jsonl:7",
      "items.jsonl:3",
      "items.jsonl:4",
      "items.jsonl:5",
      "items.jsonl:6",
      "sellers.jsonl:3",
      "trends.jsonl:3",
      "values.jsonl:5",
    ]);
    const reason = (key: string) => result.issues.find((i) => `${i.file}:${i.line}` === key)?.reason;
    expect(reason("categories.jsonl:5")).toMatch(/unknown parent category imp-c-nowhere/);
    expect(reason("categories.jsonl:6")).toMatch(/JSON/);
    expect(reason("events.jsonl:4")).toMatch(/unknown user imp-u-9/);
    expect(reason("events.jsonl:5")).toMatch(/unknown item imp-i-3/);
    expect(reason("events.jsonl:6")).toMatch(/searchTerm/);
    expect(reason("events.jsonl:7")).toMatch(/JSON/);
    expect(reason("items.jsonl:3")).toMatch(/unknown category imp-c-missing/);
    expect(reason("items.jsonl:4")).toMatch(/unknown seller imp-s-9/);
    expect(reason("items.jsonl:5")).toMatch(/price/);
    expect(reason("items.jsonl:6")).toMatch(/unknown value imp-v-unknown/);
    expect(reason("sellers.jsonl:3")).toMatch(/type/);
    expect(reason("trends.jsonl:3")).toMatch(/source/);
    expect(reason("values.jsonl:5")).toMatch(/factor/);
  });

  it("writes the good records and only them", async () => {
    expect(result.written).toEqual({
      factors: 3,
      values: 4,
      categories: 4,
      sellers: 2,
      items: 3,
      buyers: 2,
      events: 4,
      trends: 2,
    });
    expect(result.pairs).toBeNull();
    const after = await graphCounts(driver);
    expect(after.nodes.Item - before.nodes.Item).toBe(3);
    expect(after.nodes.User - before.nodes.User).toBe(2);
    expect(after.nodes.Category - before.nodes.Category).toBe(4);
    expect(after.nodes.TrendDoc - before.nodes.TrendDoc).toBe(2);
    expect(after.relationships.BEHAVED - before.relationships.BEHAVED).toBe(3);
    expect(after.relationships.SEARCHED - before.relationships.SEARCHED).toBe(1);
    expect(after.relationships.PAIRS_WITH).toBe(before.relationships.PAIRS_WITH);
    const rejected = await readQuery(driver, "MATCH (n) WHERE n.id IN ['imp-i-3','imp-i-4','imp-i-5','imp-i-6','imp-s-3','imp-c-orphan','imp-t-3'] RETURN n.id AS id");
    expect(rejected).toEqual([]);
  });

  it("gives items without values their values and short title from the title", async () => {
    const kg = createKgReader(driver);
    const events = await kg.userEvents("imp-u-1", { asOf: "2025-06-01T00:00:00Z" });
    expect(events.map((e) => e.id)).toEqual(["imp-e-1", "imp-e-2", "imp-e-3"]);
    const order = events[2];
    expect(order).toMatchObject({ type: "order", itemId: "imp-i-1", shortTitle: "法式碎花连衣裙", quantity: 20, amount: 910 });
    expect(order.values.map((v) => v.id)).toEqual(["imp-v-fashi", "imp-v-suihua"]);
    const hits = await kg.searchItemsFullText("白色手机壳", { asOf: "2025-06-01T00:00:00Z", categoryId: "imp-c-phone", limit: 5 });
    expect(hits.map((h) => [h.itemId, h.shortTitle, h.valueIds])).toEqual([["imp-i-7", "白色手机壳", ["imp-v-white"]]]);
    const [tiers] = await readQuery(driver, "MATCH (i:Item {id: 'imp-i-1'}) RETURN i.priceTierQty AS qty, i.priceTierPrice AS price");
    expect(tiers).toEqual({ qty: [2, 100], price: [45.5, 39] });
  });

  it("is idempotent: importing again changes no counts", async () => {
    const once = await graphCounts(driver);
    const info = testServices();
    const cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
    try {
      const again = await importDir(SAMPLE, { driver, embedder: await testEmbedder(info), cache });
      expect(again.issues).toEqual(result.issues);
      expect(again.embeddings.misses).toBe(0);
    } finally {
      cache.close();
    }
    expect(await graphCounts(driver)).toEqual(once);
  });
});

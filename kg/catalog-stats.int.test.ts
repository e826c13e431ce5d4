import { randomUUID } from "node:crypto";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver } from "../test/services.js";
import { ensureTinyWorldLoaded, type TinyWorld } from "../test/support/test-world.js";
import { readQuery, writeQuery, writeTransaction } from "./driver.js";
import { createCatalogStats, VERSION_CHECK_MS } from "./catalog-stats.js";
import { writeItems } from "./writes.js";
import { createKgReader } from "./repositories.js";

describe("catalog statistics on the real Neo4j (tiny world)", () => {
  let world: TinyWorld;
  let driver: Driver;

  beforeAll(async () => {
    world = await ensureTinyWorldLoaded();
    driver = testDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });

  const cypherCount = async (categoryId: string, valueIds: string[], asOf: string) => {
    const [row] = await readQuery(
      driver,
      `MATCH (:Category {id: $categoryId})<-[:PARENT*0..]-(:Category)<-[:IN]-(i:Item)
       WHERE i.launchedAt < datetime($asOf) AND all(v IN $valueIds WHERE EXISTS { (i)-[:HAS]->(:Value {id: v}) })
       RETURN count(i) AS n`,
      { categoryId, valueIds, asOf },
    );
    return Number(row.n);
  };

  it("answers what a catalog scan in Cypher answers", async () => {
    const combos = await readQuery(
      driver,
      `MATCH (c:Category)<-[:IN]-(i:Item)-[:HAS]->(v:Value)
       WITH c, collect(DISTINCT v.id)[..3] AS vs ORDER BY c.id LIMIT 6
       OPTIONAL MATCH (c)-[:PARENT]->(p:Category)
       RETURN c.id AS cat, p.id AS parent, vs`,
    );
    expect(combos.length).toBeGreaterThan(2);
    const snap = await createCatalogStats(driver).snapshot();
    for (const asOf of [world.manifest.asOf, "2025-03-01T00:00:00.000Z"]) {
      for (const c of combos) {
        const vs = c.vs as string[];
        for (const cat of [c.cat as string, ...(c.parent ? [c.parent as string] : [])]) {
          for (const want of [[], vs.slice(0, 1), vs.slice(0, 2)]) {
            expect(snap.countWithValues(cat, want, asOf, 100_000), `${cat} ${want.join("+")} ${asOf}`).toBe(await cypherCount(cat, want, asOf));
          }
        }
      }
    }
  });

  it("sees an item this process writes at once, and a removal by another writer within the version-check interval", async () => {
    const stats = createCatalogStats(driver);
    const [sample] = await readQuery(
      driver,
      `MATCH (s:Seller)<-[:SOLD_BY]-(i:Item)-[:IN]->(c:Category), (i)-[:HAS]->(v:Value)
       RETURN i.id AS itemId, s.id AS sellerId, c.id AS categoryId, collect(v.id) AS valueIds LIMIT 1`,
    );
    const categoryId = String(sample.categoryId);
    const valueIds = sample.valueIds as string[];
    const asOf = world.manifest.asOf;
    const before = (await stats.snapshot()).countWithValues(categoryId, valueIds, asOf, 100_000);
    const id = `cs-${randomUUID()}`;
    try {
      await writeTransaction(driver, (tx) =>
        writeItems(tx, [
          {
            id,
            title: "目录统计测试商品",
            shortTitle: "测试商品",
            categoryId,
            valueIds,
            price: 10,
            moq: 1,
            priceTiers: [{ minQty: 1, price: 10 }],
            launchedAt: "2025-01-02T00:00:00.000Z",
            sellerId: String(sample.sellerId),
            embedding: null,
          },
        ]),
      );
      expect((await stats.snapshot()).countWithValues(categoryId, valueIds, asOf, 100_000)).toBe(before + 1);
    } finally {
      await writeQuery(driver, "MATCH (i:Item {id: $id}) DETACH DELETE i", { id });
    }
    await new Promise((resolve) => setTimeout(resolve, VERSION_CHECK_MS + 100));
    expect((await stats.snapshot()).countWithValues(categoryId, valueIds, asOf, 100_000)).toBe(before);
  });

  it("item search and itemsByIds show an item's rewritten details at once (the details cache follows the catalog version)", async () => {
    const kg = createKgReader(driver);
    const [sample] = await readQuery(
      driver,
      `MATCH (s:Seller)<-[:SOLD_BY]-(i:Item)-[:IN]->(c:Category) WHERE s.joinedAt < datetime('2025-01-01T00:00:00Z')
       RETURN s.id AS sellerId, c.id AS categoryId LIMIT 1`,
    );
    const asOf = world.manifest.asOf;
    const id = `cd-${randomUUID()}`;
    const item = (title: string, price: number) => ({
      id,
      title,
      shortTitle: title,
      categoryId: String(sample.categoryId),
      valueIds: [],
      price,
      moq: 1,
      priceTiers: [{ minQty: 1, price }],
      launchedAt: "2025-01-02T00:00:00.000Z",
      sellerId: String(sample.sellerId),
      embedding: null,
    });
    try {
      await writeTransaction(driver, (tx) => writeItems(tx, [item("缓存测试甲款收纳盒", 11)]));
      const first = await kg.searchItemsFullText("缓存测试甲款收纳盒", { asOf, categoryId: String(sample.categoryId), limit: 5 });
      expect(first[0]).toMatchObject({ itemId: id, title: "缓存测试甲款收纳盒", price: 11 });
      expect((await kg.itemsByIds([id], { asOf }))[0]).toMatchObject({ title: "缓存测试甲款收纳盒", price: 11, score: 0 });
      await writeTransaction(driver, (tx) => writeItems(tx, [item("缓存测试乙款收纳盒", 12)]));
      expect((await kg.itemsByIds([id], { asOf }))[0]).toMatchObject({ title: "缓存测试乙款收纳盒", price: 12 });
      const second = await kg.searchItemIdsFullText("缓存测试乙款收纳盒", { asOf, categoryId: String(sample.categoryId), limit: 5 });
      expect(second[0]?.itemId).toBe(id);
      expect(await kg.itemsByIds([id], { asOf: "2025-01-01T00:00:00.000Z" })).toEqual([]);
      expect(await kg.itemsByIds(["no-such-item", id, id], { asOf })).toHaveLength(1);
    } finally {
      await writeQuery(driver, "MATCH (i:Item {id: $id}) DETACH DELETE i", { id });
    }
  });

  it("a repeated full-text search is answered without a round trip until the catalog version moves, and then sees the new item", async () => {
    const { observeQueries } = await import("./driver.js");
    const kg = createKgReader(driver);
    const [sample] = await readQuery(
      driver,
      `MATCH (s:Seller)<-[:SOLD_BY]-(i:Item)-[:IN]->(c:Category) WHERE s.joinedAt < datetime('2025-01-01T00:00:00Z')
       RETURN s.id AS sellerId, c.id AS categoryId LIMIT 1`,
    );
    const asOf = world.manifest.asOf;
    const categoryId = String(sample.categoryId);
    const id = `sc-${randomUUID()}`;
    const title = "检索缓存测试丙款收纳盒";
    const search = () => kg.searchItemIdsFullText(title, { asOf, categoryId, limit: 5 });
    const before = await search();
    expect(before.map((h) => h.itemId)).not.toContain(id);
    let reads = 0;
    observeQueries(() => (reads += 1));
    try {
      expect(await search()).toEqual(before);
      expect(reads).toBe(0);
    } finally {
      observeQueries(null);
    }
    try {
      await writeTransaction(driver, (tx) =>
        writeItems(tx, [
          { id, title, shortTitle: title, categoryId, valueIds: [], price: 9, moq: 1, priceTiers: [{ minQty: 1, price: 9 }], launchedAt: "2025-01-02T00:00:00.000Z", sellerId: String(sample.sellerId), embedding: null },
        ]),
      );
      expect((await search())[0]?.itemId).toBe(id);
    } finally {
      await writeQuery(driver, "MATCH (i:Item {id: $id}) DETACH DELETE i", { id });
    }
  });

  it("a warmed reader answers a category vector search and a buyer's item context without reading the catalog again", async () => {
    const { observeQueries } = await import("./driver.js");
    const kg = createKgReader(driver, { catalog: createCatalogStats(driver, { versionCheckMs: 600_000 }) });
    await kg.warm();
    const [leaf] = await readQuery(driver, "MATCH (c:Category)<-[:IN]-(i:Item) WHERE i.embedding IS NOT NULL RETURN c.id AS id, size(i.embedding) AS dims LIMIT 1");
    let reads = 0;
    observeQueries(() => (reads += 1));
    try {
      const hits = await kg.searchItemIdsVector(new Array(Number(leaf.dims)).fill(0.1), { asOf: world.manifest.asOf, categoryId: String(leaf.id), limit: 3 });
      expect(hits.length).toBeGreaterThan(0);
      expect(reads).toBe(0);
    } finally {
      observeQueries(null);
    }
    const cold = createKgReader(driver, { catalog: createCatalogStats(driver, { versionCheckMs: 600_000 }) });
    reads = 0;
    observeQueries(() => (reads += 1));
    try {
      await cold.searchItemIdsVector(new Array(Number(leaf.dims)).fill(0.1), { asOf: world.manifest.asOf, categoryId: String(leaf.id), limit: 3 });
      expect(reads).toBeGreaterThan(0);
    } finally {
      observeQueries(null);
    }
  });
  it("concurrent cold reads of the same category vectors or item details wait for the read in progress instead of reading again", async () => {
    const { observeQueries } = await import("./driver.js");
    const cold = createKgReader(driver, { catalog: createCatalogStats(driver, { versionCheckMs: 600_000 }) });
    const [leaf] = await readQuery(driver, "MATCH (c:Category)<-[:IN]-(i:Item) WHERE i.embedding IS NOT NULL RETURN c.id AS id, size(i.embedding) AS dims LIMIT 1");
    const ids = (await readQuery(driver, "MATCH (i:Item) RETURN i.id AS id ORDER BY i.id LIMIT 5")).map((r) => String(r.id));
    const asOf = world.manifest.asOf;
    const twoTicks = async () => {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    };
    const vector = new Array(Number(leaf.dims)).fill(0.1);
    let reads = 0;
    await cold.valuesCarried(String(leaf.id), { asOf });
    observeQueries(() => (reads += 1));
    try {
      const first = cold.searchItemIdsVector(vector, { asOf, categoryId: String(leaf.id), limit: 3 });
      await twoTicks();
      const second = cold.searchItemIdsVector(vector, { asOf, categoryId: String(leaf.id), limit: 3 });
      const [a, b] = await Promise.all([first, second]);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect(reads).toBe(1);
      reads = 0;
      const firstItems = cold.itemsByIds(ids, { asOf: "2100-01-01T00:00:00.000Z" });
      await twoTicks();
      const secondItems = cold.itemsByIds(ids, { asOf: "2100-01-01T00:00:00.000Z" });
      const [x, y] = await Promise.all([firstItems, secondItems]);
      expect(x.map((h) => h.itemId)).toEqual(ids);
      expect(y).toEqual(x);
      expect(reads).toBe(1);
    } finally {
      observeQueries(null);
    }
  });
});

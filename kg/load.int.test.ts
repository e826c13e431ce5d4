import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import type { CategoryRecord, EventRecord, ItemRecord, ValueRecord } from "../contracts/records.js";
import { WORLD_FILES } from "../contracts/records.js";
import { readQuery } from "./driver.js";
import { openEmbeddingCache } from "./embedding-cache.js";
import { graphCounts, liftPairs, loadWorld } from "./load.js";
import { ensureTinyWorldLoaded, type TinyWorld } from "../test/support/test-world.js";

function lines<T>(dir: string, kind: keyof typeof WORLD_FILES): T[] {
  return readFileSync(join(dir, WORLD_FILES[kind]), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

describe("loadWorld on the tiny world", () => {
  let world: TinyWorld;
  let driver: Driver;

  beforeAll(async () => {
    world = await ensureTinyWorldLoaded();
    driver = testDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("holds exactly the records of the files", async () => {
    const categories = lines<CategoryRecord>(world.dir, "categories");
    const values = lines<ValueRecord>(world.dir, "values");
    const items = lines<ItemRecord>(world.dir, "items");
    const events = lines<EventRecord>(world.dir, "events");
    const searches = events.filter((e) => e.type === "search");
    const counts = await graphCounts(driver);
    expect(counts.nodes).toMatchObject({
      Category: categories.length,
      Factor: lines(world.dir, "factors").length,
      Value: values.length,
      Seller: lines(world.dir, "sellers").length,
      Item: items.length,
      User: lines(world.dir, "buyers").length,
      TrendDoc: lines(world.dir, "trends").length,
      SearchTerm: new Set(searches.map((e) => e.searchTerm)).size,
    });
    expect(counts.relationships).toMatchObject({
      BEHAVED: events.length - searches.length,
      SEARCHED: searches.length,
      IN: items.length,
      SOLD_BY: items.length,
      HAS: items.reduce((n, i) => n + (i.valueIds?.length ?? 0), 0),
      OF: values.length,
      PARENT: categories.filter((c) => c.parentId !== null).length,
      ALLOWS: categories.reduce((n, c) => n + c.allows.length, 0),
    });
    expect(counts.relationships.MENTIONS).toBeGreaterThan(0);
    const [withEmbedding] = await readQuery(driver, "MATCH (i:Item) WHERE size(i.embedding) = 384 RETURN count(i) AS n");
    expect(withEmbedding.n).toBe(items.length);
  });

  it("stores event properties and times exactly", async () => {
    const order = lines<EventRecord>(world.dir, "events").find((e) => e.type === "order");
    expect(order).toBeTruthy();
    const [row] = await readQuery(
      driver,
      "MATCH (u:User)-[b:BEHAVED {id: $id}]->(i:Item) RETURN u.id AS userId, i.id AS itemId, b.type AS type, b.at AS at, b.quantity AS quantity, b.amount AS amount",
      { id: order!.id },
    );
    expect(row).toEqual({
      userId: order!.userId,
      itemId: order!.itemId,
      type: "order",
      at: new Date(order!.at).toISOString(),
      quantity: order!.quantity,
      amount: order!.amount,
    });
  });

  it("computes PAIRS_WITH from orders and carts before asOf only", async () => {
    const items = new Map(lines<ItemRecord>(world.dir, "items").map((i) => [i.id, i.categoryId]));
    const asOf = Date.parse(world.manifest.asOf);
    const windowS = 28 * 86_400;
    const baskets = new Map<string, Set<string>>();
    for (const e of lines<EventRecord>(world.dir, "events")) {
      if ((e.type !== "order" && e.type !== "cart") || Date.parse(e.at) >= asOf) continue;
      const key = `${e.userId}|${Math.floor(Date.parse(e.at) / 1000 / windowS)}`;
      const basket = baskets.get(key) ?? new Set<string>();
      basket.add(items.get(e.itemId!)!);
      baskets.set(key, basket);
    }
    const expected = liftPairs([...baskets.values()], { minSupport: 3, minLift: 1.2 })
      .map((p) => `${p.from}>${p.to}:${p.lift}`)
      .sort();
    const actual = (
      await readQuery(driver, "MATCH (a:Category)-[p:PAIRS_WITH]->(b:Category) RETURN a.id AS a, b.id AS b, p.lift AS lift")
    )
      .map((r) => `${r.a}>${r.b}:${r.lift}`)
      .sort();
    expect(actual.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it("changes nothing on a second load and re-embeds nothing", async () => {
    const before = await graphCounts(driver);
    const [sumsBefore] = await readQuery(
      driver,
      "MATCH ()-[b:BEHAVED]->() RETURN sum(b.amount) AS amount, sum(b.quantity) AS quantity, count(b.dwellS) AS dwells",
    );
    const info = testServices();
    const cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
    try {
      const result = await loadWorld(world.dir, { driver, embedder: await testEmbedder(info), cache });
      expect(result.embeddings).toEqual({ hits: world.manifest.counts.items, misses: 0 });
      expect(result.graph).toEqual(before);
    } finally {
      cache.close();
    }
    expect(await graphCounts(driver)).toEqual(before);
    const [sumsAfter] = await readQuery(
      driver,
      "MATCH ()-[b:BEHAVED]->() RETURN sum(b.amount) AS amount, sum(b.quantity) AS quantity, count(b.dwellS) AS dwells",
    );
    expect(sumsAfter).toEqual(sumsBefore);
  });
});

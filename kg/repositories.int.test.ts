import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../llm/embeddings.js";
import { testDriver, testEmbedder } from "../test/services.js";
import type { CategoryRecord, EventRecord, ItemRecord, ValueRecord } from "../contracts/records.js";
import { WORLD_FILES } from "../contracts/records.js";
import { createKgReader } from "./repositories.js";
import { readQuery } from "./driver.js";
import { coEngagementPairs, computeCoEngagement } from "./co-engagement.js";
import { DEFAULT_TYPE_WEIGHTS } from "../contracts/uq.js";
import { ensureTinyWorldLoaded, type TinyWorld } from "../test/support/test-world.js";
import type { ItemHit, KgReader, TrendDocHit } from "../contracts/kg.js";

function lines<T>(dir: string, kind: keyof typeof WORLD_FILES): T[] {
  return readFileSync(join(dir, WORLD_FILES[kind]), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

const EARLY = "2025-03-01T00:00:00.000Z";
const before = (at: string, asOf: string) => Date.parse(at) < Date.parse(asOf);

describe("KgReader on Neo4j (tiny world)", () => {
  let world: TinyWorld;
  let driver: Driver;
  let kg: KgReader;
  let embedder: Embedder;
  let categories: CategoryRecord[];
  let late: string;

  const subtree = (rootId: string): Set<string> => {
    const ids = new Set([rootId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of categories) {
        if (c.parentId && ids.has(c.parentId) && !ids.has(c.id)) {
          ids.add(c.id);
          grew = true;
        }
      }
    }
    return ids;
  };
  const expectItemsBefore = (hits: ItemHit[], asOf: string) => {
    for (const h of hits) {
      expect(before(h.launchedAt, asOf), `${h.itemId} launched ${h.launchedAt}`).toBe(true);
      expect(before(h.sellerJoinedAt, asOf), `${h.sellerId} joined ${h.sellerJoinedAt}`).toBe(true);
    }
  };
  const expectDocsBefore = (docs: TrendDocHit[], asOf: string) => {
    for (const d of docs) expect(before(d.publishedAt, asOf), `${d.id} published ${d.publishedAt}`).toBe(true);
  };

  beforeAll(async () => {
    world = await ensureTinyWorldLoaded();
    driver = testDriver();
    kg = createKgReader(driver);
    embedder = await testEmbedder();
    categories = lines<CategoryRecord>(world.dir, "categories");
    late = world.manifest.heldOutEnd;
  });
  afterAll(async () => {
    await driver?.close();
  });

  describe("countItemsWithValues", () => {
    it("counts the items of a category subtree launched before asOf that carry every value, as the files do", async () => {
      const items = lines<ItemRecord>(world.dir, "items");
      const asOf = world.manifest.asOf;
      const expected = (root: string, valueIds: string[]) =>
        items.filter((i) => subtree(root).has(i.categoryId) && before(i.launchedAt, asOf) && valueIds.every((v) => i.valueIds?.includes(v))).length;
      const dressValues = [...new Set(items.filter((i) => i.categoryId === "c-dress").flatMap((i) => i.valueIds ?? []))].sort();
      expect(dressValues.length).toBeGreaterThan(2);
      for (const pair of [[dressValues[0]], [dressValues[0], dressValues[1]], dressValues.slice(0, 3)]) {
        expect(await kg.countItemsWithValues("c-dress", pair, { asOf, limit: 1000 }), pair.join(",")).toBe(expected("c-dress", pair));
      }
      const top = categories.find((c) => c.id === "c-dress")!.parentId!;
      expect(await kg.countItemsWithValues(top, [dressValues[0]], { asOf, limit: 1000 })).toBe(expected(top, [dressValues[0]]));
      expect(await kg.countItemsWithValues("c-dress", [dressValues[0]], { asOf, limit: 1 })).toBe(Math.min(1, expected("c-dress", [dressValues[0]])));
      expect(await kg.countItemsWithValues("c-dress", ["v-no-such-value"], { asOf, limit: 10 })).toBe(0);
    });
  });

  describe("valuesCarried and itemsByIds", () => {
    it("return the values a category's offers carry and the items asked for, as the files do, before asOf", async () => {
      const items = lines<ItemRecord>(world.dir, "items");
      const asOf = world.manifest.asOf;
      const visible = items.filter((i) => i.categoryId === "c-dress" && before(i.launchedAt, asOf));
      expect(await kg.valuesCarried("c-dress", { asOf })).toEqual([...new Set(visible.flatMap((i) => i.valueIds ?? []))].sort());
      const later = items.find((i) => !before(i.launchedAt, asOf));
      const ids = [visible[0].id, visible[1].id, ...(later ? [later.id] : []), "no-such-item"];
      const hits = await kg.itemsByIds(ids, { asOf });
      expect(hits.map((h) => h.itemId).sort()).toEqual([visible[0].id, visible[1].id].sort());
      expect(hits.find((h) => h.itemId === visible[0].id)!.valueIds).toEqual([...(visible[0].valueIds ?? [])].sort());
    });
  });

  describe("vocabulary", () => {
    it("returns the catalog of the files", async () => {
      const vocab = await kg.vocabulary();
      const values = lines<ValueRecord>(world.dir, "values");
      expect(vocab.categories.map((c) => c.id).sort()).toEqual(categories.map((c) => c.id).sort());
      expect(vocab.values.map((v) => v.id).sort()).toEqual(values.map((v) => v.id).sort());
      expect(vocab.factors.sort()).toEqual(lines<{ name: string }>(world.dir, "factors").map((f) => f.name).sort());
      const dress = vocab.categories.find((c) => c.id === "c-dress");
      const file = categories.find((c) => c.id === "c-dress")!;
      expect(dress).toEqual({
        id: "c-dress",
        name: file.name,
        parentId: file.parentId,
        level: file.level,
        noun: file.noun ?? file.name,
        allows: [...file.allows].sort(),
      });
    });

    it("looks up categories by name, values by factor and name or alias, allowed factors", async () => {
      expect((await kg.categoryByName("连衣裙"))?.id).toBe("c-dress");
      expect(await kg.categoryByName("不存在的类目")).toBeNull();
      const values = lines<ValueRecord>(world.dir, "values");
      const withAlias = values.find((v) => v.aliases.length > 0)!;
      expect(await kg.valueByFactorAndName(withAlias.factor, withAlias.name)).toEqual({
        id: withAlias.id,
        factor: withAlias.factor,
        name: withAlias.name,
      });
      expect((await kg.valueByFactorAndName(withAlias.factor, withAlias.aliases[0]))?.id).toBe(withAlias.id);
      expect(await kg.valueByFactorAndName("不存在", withAlias.name)).toBeNull();
      const leaf = categories.find((c) => c.allows.length > 0)!;
      expect(await kg.allowedFactors(leaf.id)).toEqual([...leaf.allows].sort());
      const parent = categories.find((c) => c.id === leaf.parentId)!;
      const union = new Set(categories.filter((c) => subtree(parent.id).has(c.id)).flatMap((c) => c.allows));
      expect(await kg.allowedFactors(parent.id)).toEqual([...union].sort());
    });
  });

  describe("item search", () => {
    it("full-text (cjk) search for 碎花连衣裙 returns dresses", async () => {
      const hits = await kg.searchItemsFullText("碎花连衣裙", { asOf: world.manifest.asOf, limit: 10 });
      expect(hits.length).toBe(10);
      expect(hits[0].categoryId).toBe("c-dress");
      expect(hits[0].title).toContain("碎花");
      expect(hits.filter((h) => h.categoryId === "c-dress").length).toBeGreaterThanOrEqual(8);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    });

    it("vector search for the paraphrase 法式印花裙子 returns the dresses category in its top results", async () => {
      const vector = await embedder.embedQuery("法式印花裙子");
      const hits = await kg.searchItemsVector(vector, { asOf: world.manifest.asOf, limit: 5 });
      expect(hits.length).toBe(5);
      expect(hits.slice(0, 3).map((h) => h.categoryId)).toContain("c-dress");
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    });

    it("filters both searches by category subtree", async () => {
      const women = subtree("c-women");
      const text = await kg.searchItemsFullText("碎花连衣裙", { asOf: late, categoryId: "c-women", limit: 20 });
      expect(text.length).toBeGreaterThan(0);
      for (const h of text) expect(women.has(h.categoryId)).toBe(true);
      const vector = await embedder.embedQuery("法式印花裙子");
      const phone = subtree("c-phone");
      const hits = await kg.searchItemsVector(vector, { asOf: late, categoryId: "c-phone", limit: 5 });
      expect(hits.length).toBe(5);
      for (const h of hits) expect(phone.has(h.categoryId)).toBe(true);
    });

    it("answers searches made in parallel (batched into one round trip per limit) as it answers them one at a time", async () => {
      const texts: [string, string | undefined, number, string][] = [
        ["碎花连衣裙", "c-women", 20, late],
        ["连衣裙", undefined, 7, EARLY],
        ["手机壳", "c-phone", 20, late],
        ["碎花", "c-dress", 3, late],
      ];
      const vectors = await Promise.all(["法式印花裙子", "手机壳 透明", "碎花"].map((t) => embedder.embedQuery(t)));
      const vectorArgs: [number[], string | undefined, number, string][] = [
        [vectors[0], "c-phone", 5, late],
        [vectors[1], undefined, 12, EARLY],
        [vectors[2], "c-dress", 5, late],
      ];
      const oneByOne = { text: [] as ItemHit[][], vector: [] as ItemHit[][] };
      for (const [t, categoryId, limit, asOf] of texts) oneByOne.text.push(await kg.searchItemsFullText(t, { asOf, categoryId, limit }));
      for (const [v, categoryId, limit, asOf] of vectorArgs) oneByOne.vector.push(await kg.searchItemsVector(v, { asOf, categoryId, limit }));
      const [text, vector] = await Promise.all([
        Promise.all(texts.map(([t, categoryId, limit, asOf]) => kg.searchItemsFullText(t, { asOf, categoryId, limit }))),
        Promise.all(vectorArgs.map(([v, categoryId, limit, asOf]) => kg.searchItemsVector(v, { asOf, categoryId, limit }))),
      ]);
      expect(oneByOne.text.every((hits) => hits.length > 0)).toBe(true);
      expect(oneByOne.vector.every((hits) => hits.length > 0)).toBe(true);
      expect(text).toEqual(oneByOne.text);
      expect(vector).toEqual(oneByOne.vector);
      const dresses = lines<ItemRecord>(world.dir, "items").filter((i) => i.categoryId === "c-dress" && before(i.launchedAt, late));
      const all = await kg.searchItemsVector(vectors[0], { asOf: late, categoryId: "c-dress", limit: 1000 });
      expect(all.map((h) => h.itemId).sort()).toEqual(dresses.map((i) => i.id).sort());
      expect(await kg.searchItemsVector(vectors[0], { asOf: late, categoryId: "c-no-such-category", limit: 5 })).toEqual([]);
    });

    it("searches a category subtree by vector exactly: the top items of a brute-force cosine over the subtree, in order", async () => {
      const vector = await embedder.embedQuery("法式印花裙子");
      const women = [...subtree("c-women")];
      const brute = await readQuery(
        driver,
        `MATCH (i:Item)-[:IN]->(c:Category) WHERE c.id IN $women AND i.launchedAt < datetime($asOf) AND i.embedding IS NOT NULL
         MATCH (i)-[:SOLD_BY]->(s:Seller) WHERE s.joinedAt < datetime($asOf)
         RETURN i.id AS id, vector.similarity.cosine(i.embedding, $vector) AS score ORDER BY score DESC, id LIMIT 15`,
        { women, asOf: late, vector },
      );
      expect(brute.length).toBe(15);
      const hits = await kg.searchItemIdsVector(vector, { asOf: late, categoryId: "c-women", limit: 15 });
      expect(hits.map((h) => h.itemId)).toEqual(brute.map((r) => r.id));
      hits.forEach((h, k) => expect(h.score).toBeCloseTo(Number(brute[k].score), 5));
    });

    it("hides items launched and sellers joined at or after asOf", async () => {
      const items = lines<ItemRecord>(world.dir, "items");
      const launchedLate = items.filter((i) => !before(i.launchedAt, EARLY));
      expect(launchedLate.length).toBeGreaterThan(0);
      const vector = await embedder.embedQuery("法式印花裙子");
      const all = await kg.searchItemsVector(vector, { asOf: late, limit: 200 });
      expect(all.some((h) => !before(h.launchedAt, EARLY))).toBe(true);
      const early = await kg.searchItemsVector(vector, { asOf: EARLY, limit: 200 });
      expect(early.length).toBe(200);
      expectItemsBefore(early, EARLY);
      const text = await kg.searchItemsFullText("连衣裙", { asOf: EARLY, limit: 200 });
      expect(text.length).toBeGreaterThan(0);
      expectItemsBefore(text, EARLY);
      const lateText = await kg.searchItemsFullText("连衣裙", { asOf: late, limit: 200 });
      expect(lateText.length).toBeGreaterThan(text.length);
    });
  });

  describe("user events", () => {
    it("returns exactly the user's events in [since, asOf), oldest first, with item context", async () => {
      const events = lines<EventRecord>(world.dir, "events");
      const userId = events[0].userId;
      const mine = events.filter((e) => e.userId === userId);
      const since = "2024-12-01T00:00:00.000Z";
      const expected = mine.filter((e) => before(e.at, EARLY) && !before(e.at, since));
      const got = await kg.userEvents(userId, { asOf: EARLY, since });
      expect(got.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
      const times = got.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const all = await kg.userEvents(userId, { asOf: late });
      expect(all.length).toBe(mine.length);
      const items = new Map(lines<ItemRecord>(world.dir, "items").map((i) => [i.id, i]));
      const view = got.find((e) => e.type !== "search")!;
      const item = items.get(view.itemId!)!;
      expect(view.shortTitle).toBe(item.shortTitle);
      expect(view.categoryId).toBe(item.categoryId);
      expect(view.values.map((v) => v.id).sort()).toEqual([...(item.valueIds ?? [])].sort());
      const search = got.find((e) => e.type === "search");
      if (search) expect(search.searchTerm).toBe(mine.find((e) => e.id === search.id)!.searchTerm);
    });

    it("gives every event the item context, category name and values a direct Cypher read gives (several buyers, item cache warm and cold)", async () => {
      const buyers = lines<{ id: string }>(world.dir, "buyers").slice(0, 6).map((b) => b.id);
      for (const [n, userId] of buyers.entries()) {
        const reader = n % 2 === 0 ? kg : createKgReader(driver);
        const got = await reader.userEvents(userId, { asOf: late });
        const direct = await readQuery(
          driver,
          `MATCH (:User {id: $userId})-[b:BEHAVED]->(i:Item)
           OPTIONAL MATCH (i)-[:IN]->(c:Category)
           RETURN b.id AS id, i.title AS title, i.shortTitle AS shortTitle, c.id AS categoryId, c.name AS categoryName,
                  COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v {.id, .factor, .name} ORDER BY v.id } AS values`,
          { userId },
        );
        expect(direct.length).toBeGreaterThan(0);
        const byId = new Map(got.map((e) => [e.id, e]));
        for (const d of direct) {
          const e = byId.get(String(d.id))!;
          expect({ title: e.title, shortTitle: e.shortTitle, categoryId: e.categoryId, categoryName: e.categoryName, values: e.values }).toEqual({
            title: d.title,
            shortTitle: d.shortTitle,
            categoryId: d.categoryId,
            categoryName: d.categoryName,
            values: d.values,
          });
        }
        for (const e of got.filter((x) => x.type === "search")) expect({ itemId: e.itemId, title: e.title, values: e.values }).toEqual({ itemId: null, title: null, values: [] });
      }
    });

    it("knows which users exist", async () => {
      expect(await kg.userExists(lines<{ id: string }>(world.dir, "buyers")[0].id)).toBe(true);
      expect(await kg.userExists("no-such-user")).toBe(false);
    });
  });

  describe("trend documents", () => {
    it("finds documents by full-text within [since, asOf) and sources", async () => {
      const all = await kg.searchTrendDocs("连衣裙", { asOf: late, limit: 100 });
      expect(all.some((d) => !before(d.publishedAt, EARLY))).toBe(true);
      const early = await kg.searchTrendDocs("连衣裙", { asOf: EARLY, limit: 100 });
      expect(early.length).toBeGreaterThan(0);
      expectDocsBefore(early, EARLY);
      const times = early.map((d) => d.publishedAt).sort();
      const since = times[Math.floor(times.length / 2)];
      const newest = early.find((d) => d.publishedAt === times[times.length - 1])!;
      const windowed = await kg.searchTrendDocs("连衣裙", { asOf: EARLY, since, sources: [newest.source], limit: 100 });
      for (const d of windowed) {
        expect(before(d.publishedAt, since)).toBe(false);
        expect(d.source).toBe(newest.source);
      }
      expect(windowed.map((d) => d.id)).toContain(newest.id);
      expect(windowed.length).toBeGreaterThan(0);
      expect(windowed.length).toBeLessThan(early.length);
    });

    it("finds documents by mentions, strongest first, hiding later ones", async () => {
      const all = await kg.trendDocsByMentions({ categoryIds: ["c-dress"] }, { asOf: late, limit: 100 });
      expect(all.length).toBeGreaterThan(0);
      for (const d of all) expect(d.categoryIds).toContain("c-dress");
      expect(all.some((d) => !before(d.publishedAt, EARLY))).toBe(true);
      const early = await kg.trendDocsByMentions({ categoryIds: ["c-dress"] }, { asOf: EARLY, limit: 100 });
      expect(early.length).toBeGreaterThan(0);
      expectDocsBefore(early, EARLY);
      expect(early.map((d) => d.score)).toEqual([...early.map((d) => d.score)].sort((a, b) => b - a));
      const valueId = all.flatMap((d) => d.valueIds)[0];
      const byValue = await kg.trendDocsByMentions({ valueIds: [valueId] }, { asOf: late, sources: ["xiaohongshu"], limit: 50 });
      for (const d of byValue) {
        expect(d.valueIds).toContain(valueId);
        expect(d.source).toBe("xiaohongshu");
      }
    });
  });

  it("returns PAIRS_WITH neighbours strongest first", async () => {
    const pairs = await kg.pairsWith(categories.map((c) => c.id));
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.map((p) => p.lift)).toEqual([...pairs.map((p) => p.lift)].sort((a, b) => b - a));
    const one = pairs[0].from;
    const mine = await kg.pairsWith([one]);
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) expect(p.from).toBe(one);
  });

  it("returns the CO_ENGAGED neighbours computed from the behaviour files before asOf, strongest first", async () => {
    const asOf = world.manifest.asOf;
    await computeCoEngagement(driver, { asOf });
    const items = new Map(lines<ItemRecord>(world.dir, "items").map((i) => [i.id, i]));
    const end = Date.parse(asOf);
    const users = new Map<string, Map<string, number>>();
    for (const e of lines<EventRecord>(world.dir, "events")) {
      const t = Date.parse(e.at);
      if (!e.itemId || t >= end || t < end - 364 * 86_400_000) continue;
      const m = users.get(e.userId) ?? new Map<string, number>();
      const c = items.get(e.itemId)!.categoryId;
      m.set(c, (m.get(c) ?? 0) + (DEFAULT_TYPE_WEIGHTS[e.type] ?? 1) * 2 ** ((t - end) / 86_400_000 / 60));
      users.set(e.userId, m);
    }
    const expected = coEngagementPairs(users, { maxNeighbours: 12, minBuyers: 2 });
    expect(expected.length).toBeGreaterThan(0);
    const from = expected[0].from;
    const got = await kg.coEngagedCategories([from]);
    const want = expected.filter((p) => p.from === from).sort((a, b) => b.weight - a.weight || a.to.localeCompare(b.to));
    expect(got.map((p) => p.to)).toEqual(want.map((p) => p.to));
    got.forEach((p, i) => {
      expect(p.weight).toBeCloseTo(want[i].weight, 3);
      expect(p.buyers).toBe(want[i].buyers);
    });
    expect(await kg.coEngagedCategories([])).toEqual([]);
  });
});

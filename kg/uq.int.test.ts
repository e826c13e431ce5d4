import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver } from "../test/services.js";
import { ensureTinyWorldLoaded, type TinyWorld } from "../test/support/test-world.js";
import { readQuery } from "./driver.js";
import { createKgReader } from "./repositories.js";
import { createUqScorer } from "./uq.js";

describe("U-Q scorer on the real Neo4j (tiny world)", () => {
  let world: TinyWorld;
  let driver: Driver;

  beforeAll(async () => {
    world = await ensureTinyWorldLoaded();
    driver = testDriver();
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("scores the same from the behaviour it is given as from the behaviour it reads, and its category path is the Cypher sum", async () => {
    const asOf = world.manifest.asOf;
    const [buyer] = await readQuery(
      driver,
      `MATCH (u:User)-[b:BEHAVED]->(:Item) WHERE b.at < datetime($asOf)
       WITH u, count(b) AS n ORDER BY n DESC, u.id LIMIT 1 RETURN u.id AS id`,
      { asOf },
    );
    const userId = String(buyer.id);
    const combos = await readQuery(
      driver,
      `MATCH (:User {id: $userId})-[:BEHAVED]->(i:Item)-[:IN]->(c:Category), (i)-[:HAS]->(v:Value)
       WITH c, collect(DISTINCT v.id)[..2] AS vs ORDER BY c.id LIMIT 3
       OPTIONAL MATCH (c)-[:PARENT]->(p:Category)
       RETURN c.id AS cat, coalesce(p.id, c.id) AS parent, vs`,
      { userId },
    );
    expect(combos.length).toBeGreaterThan(0);
    const queries = combos.flatMap((c, k) => [
      { id: `q${k}a`, categoryId: String(c.cat), valueIds: c.vs as string[] },
      { id: `q${k}b`, categoryId: String(c.parent), valueIds: (c.vs as string[]).slice(0, 1) },
    ]);
    const scorer = createUqScorer(driver);
    const since = new Date(Date.parse(asOf) - 364 * 86_400_000).toISOString();
    const events = await createKgReader(driver).userEvents(userId, { asOf, since });
    const behaviour = events.flatMap((e) =>
      e.type !== "search" && e.itemId && e.categoryId ? [{ itemId: e.itemId, categoryId: e.categoryId, valueIds: e.values.map((v) => v.id), type: e.type, at: e.at }] : [],
    );
    expect(behaviour.length).toBeGreaterThan(0);
    const read = await scorer.score({ userId, asOf, queries });
    const given = await scorer.score({ userId, asOf, queries, behaviour });
    expect(given).toEqual(read);
    expect(read.some((s) => s.features.cat > 0 && s.features.val > 0)).toBe(true);
    for (const q of queries) {
      const [row] = await readQuery(
        driver,
        `MATCH (:User {id: $userId})-[b:BEHAVED]->(i:Item)-[:IN]->(c:Category)-[:PARENT*0..]->(:Category {id: $categoryId})
         WHERE b.at >= datetime($since) AND b.at < datetime($asOf)
         RETURN sum(CASE b.type WHEN 'order' THEN 5.0 WHEN 'inquiry' THEN 3.0 WHEN 'cart' THEN 3.0 WHEN 'collect' THEN 2.0 ELSE 1.0 END
                    * 2.0 ^ (toFloat(b.at.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / 91.0)) AS cat`,
        { userId, categoryId: q.categoryId, since, asOf },
      );
      expect(read.find((s) => s.queryId === q.id)!.features.cat).toBeCloseTo(Math.log1p(Number(row.cat)), 9);
    }
  });

  it("weighs the trend documents of the window that mention any of a query's values, each once, newest three as refs", async () => {
    const asOf = world.manifest.asOf;
    const trendSince = new Date(Date.parse(asOf) - 84 * 86_400_000).toISOString();
    const mentioned = await readQuery(
      driver,
      `MATCH (d:TrendDoc)-[:MENTIONS]->(v:Value)<-[:HAS]-(:Item)-[:IN]->(c:Category)
       WHERE d.publishedAt < datetime($asOf) AND d.publishedAt >= datetime($trendSince)
       WITH c, v, count(DISTINCT d) AS docs ORDER BY docs DESC, c.id, v.id
       WITH c, collect(v.id)[..3] AS vs ORDER BY c.id LIMIT 4
       RETURN c.id AS cat, vs`,
      { asOf, trendSince },
    );
    expect(mentioned.length).toBeGreaterThan(0);
    const queries = [
      ...mentioned.map((m, k) => ({ id: `t${k}`, categoryId: String(m.cat), valueIds: m.vs as string[] })),
      { id: "none", categoryId: String(mentioned[0].cat), valueIds: [] as string[] },
    ];
    const scores = await createUqScorer(driver).score({ userId: "no-such-buyer", asOf, queries });
    for (const q of queries) {
      const [row] = await readQuery(
        driver,
        `OPTIONAL MATCH (d:TrendDoc)-[:MENTIONS]->(v:Value)
         WHERE v.id IN $valueIds AND d.publishedAt < datetime($asOf) AND d.publishedAt >= datetime($trendSince)
         WITH DISTINCT d ORDER BY d.publishedAt DESC, d.id
         RETURN sum(2.0 ^ (toFloat(d.publishedAt.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / 28.0)) AS trend, collect(d.id)[..3] AS docs`,
        { valueIds: q.valueIds, asOf, trendSince },
      );
      const s = scores.find((x) => x.queryId === q.id)!;
      expect(s.features.trend).toBeCloseTo(Math.log1p(Number(row.trend)), 9);
      if (q.valueIds.length > 0) expect(Number(row.trend)).toBeGreaterThan(0);
      const trendPath = s.paths.find((p) => p.type === "trend");
      if (trendPath) expect(trendPath.refs).toEqual(row.docs);
    }
  });
});

import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver } from "../test/services.js";
import { readQuery, writeTransaction } from "./driver.js";
import { graphCounts, type GraphCounts } from "./load.js";
import { createKgReader } from "./repositories.js";
import { ensureTinyWorldLoaded } from "../test/support/test-world.js";
import { neo4jDateTimeIssue } from "./datetime.js";
import { createEventWriter, neo4jEventStore, writeEvents } from "./writes.js";

async function removeWritten(driver: Driver): Promise<void> {
  await writeTransaction(driver, async (tx) => {
    await tx.run("MATCH ()-[r:BEHAVED|SEARCHED]->() WHERE r.id STARTS WITH 'wr-' DELETE r");
    await tx.run("MATCH (u:User) WHERE u.id STARTS WITH 'wr-' DETACH DELETE u");
    await tx.run("MATCH (t:SearchTerm) WHERE NOT (t)--() DELETE t");
  });
}

describe("writeEvents", () => {
  let driver: Driver;
  let before: GraphCounts;
  let itemId: string;
  let userId: string;

  beforeAll(async () => {
    await ensureTinyWorldLoaded();
    driver = testDriver();
    await removeWritten(driver);
    before = await graphCounts(driver);
    const [row] = await readQuery(driver, "MATCH (i:Item) RETURN i.id AS id ORDER BY id LIMIT 1");
    itemId = row.id as string;
    const [user] = await readQuery(driver, "MATCH (u:User) RETURN u.id AS id ORDER BY id LIMIT 1");
    userId = user.id as string;
  });
  afterAll(async () => {
    if (driver) {
      await removeWritten(driver);
      expect(await graphCounts(driver)).toEqual(before);
      await driver.close();
    }
  });

  it("stores valid events idempotently, creates unknown users and names each rejected event", async () => {
    const events = [
      { id: "wr-e-1", userId: "wr-u-new", type: "view", at: "2025-07-01T10:00:00Z", itemId, dwellS: 12 },
      { id: "wr-e-2", userId: "wr-u-new", type: "search", at: "2025-07-01T10:01:00Z", searchTerm: "写入测试碎花裙" },
      { id: "wr-e-3", userId, type: "order", at: "2025-07-01T10:02:00Z", itemId: "no-such-item", quantity: 2, amount: 9 },
      { id: "wr-e-4", userId, type: "cart", at: "not a date", itemId },
      { id: "wr-e-5", userId, type: "order", at: "2025-07-01T10:03:00Z", itemId, quantity: 3, amount: 12.5 },
    ];
    const first = await writeEvents(driver, events);
    expect(first.written).toBe(3);
    expect(first.rejected.map((r) => [r.index, r.eventId])).toEqual([
      [2, "wr-e-3"],
      [3, "wr-e-4"],
    ]);
    expect(first.rejected[0].reason).toMatch(/unknown item no-such-item/);
    const afterFirst = await graphCounts(driver);
    expect(afterFirst.nodes.User).toBe(before.nodes.User + 1);
    expect(afterFirst.relationships.BEHAVED).toBe(before.relationships.BEHAVED + 2);
    expect(afterFirst.relationships.SEARCHED).toBe(before.relationships.SEARCHED + 1);

    const retry = await writeEvents(driver, events);
    expect(retry.written).toBe(0);
    expect(retry.duplicates.map((d) => d.index)).toEqual([0, 1, 4]);
    expect(await graphCounts(driver)).toEqual(afterFirst);

    const kg = createKgReader(driver);
    const mine = await kg.userEvents("wr-u-new", { asOf: "2025-07-02T00:00:00Z" });
    expect(mine.map((e) => [e.id, e.type, e.searchTerm])).toEqual([
      ["wr-e-1", "view", null],
      ["wr-e-2", "search", "写入测试碎花裙"],
    ]);
    expect(await kg.userEvents("wr-u-new", { asOf: "2025-07-01T10:00:00Z" })).toEqual([]);
  });

  it("group commit: concurrent batches, a batch retried while in flight and an unknown item store each event once", async () => {
    const writer = createEventWriter(neo4jEventStore(driver), { concurrency: 1 });
    const batchOf = (k: number) =>
      Array.from({ length: 5 }, (_, n) => ({ id: `wr-g-${k}-${n}`, userId: `wr-u-g${n % 2}`, type: "cart", at: "2025-07-01T11:00:00Z", itemId }));
    const batches = [0, 1, 2, 3].map(batchOf);
    const withUnknown = [...batchOf(4), { id: "wr-g-x", userId: "wr-u-gx", type: "view", at: "2025-07-01T11:00:00Z", itemId: "no-such-item" }];
    const results = await Promise.all([...batches, batches[1], withUnknown].map((b) => writer.write(b)));
    expect(results.map((r) => r.written + r.duplicates.length)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(results.reduce((n, r) => n + r.written, 0)).toBe(25);
    expect(results[5].rejected.map((r) => [r.index, r.eventId, r.reason])).toEqual([[5, "wr-g-x", "unknown item no-such-item"]]);
    const [stored] = await readQuery(
      driver,
      "MATCH (u:User)-[b:BEHAVED]->(:Item {id: $itemId}) WHERE b.id STARTS WITH 'wr-g-' RETURN count(b) AS n, count(DISTINCT b.id) AS ids, collect(DISTINCT u.id) AS users",
      { itemId },
    );
    expect(stored.n).toBe(25);
    expect(stored.ids).toBe(25);
    expect([...(stored.users as string[])].sort()).toEqual(["wr-u-g0", "wr-u-g1"]);
    expect(await readQuery(driver, "MATCH (u:User {id: 'wr-u-gx'}) RETURN u.id AS id")).toEqual([]);
  });

  it("an event id is written once: a different buyer, payload or type under a used id changes nothing", async () => {
    const at = "2025-07-02T10:00:00Z";
    const first = await writeEvents(driver, [{ id: "wr-m", userId: "wr-u-a", type: "view", at, itemId, dwellS: 30 }]);
    expect(first).toEqual({ written: 1, duplicates: [], rejected: [] });
    const reuse = await writeEvents(driver, [
      { id: "wr-m", userId: "wr-u-b", type: "view", at, itemId, dwellS: 30 },
      { id: "wr-m", userId: "wr-u-a", type: "view", at, itemId, dwellS: 999 },
      { id: "wr-m", userId: "wr-u-a", type: "search", at, searchTerm: "写入测试 冲突" },
      { id: "wr-m", userId: "wr-u-a", type: "view", at: "2025-07-02T12:00:00+02:00", itemId, dwellS: 30 },
      { id: "wr-n", userId: "wr-u-a", type: "view", at, itemId, dwellS: 30 },
      { id: "wr-n", userId: "wr-u-a", type: "view", at, itemId, dwellS: 999 },
      { id: "wr-s", userId: "wr-u-a", type: "search", at, searchTerm: "写入测试 冲突" },
      { id: "wr-s", userId: "wr-u-a", type: "cart", at, itemId },
    ]);
    expect(reuse.written).toBe(2);
    expect(reuse.duplicates.map((d) => d.index)).toEqual([3]);
    expect(reuse.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, "event_id_conflict"],
      [1, "event_id_conflict"],
      [2, "event_id_conflict"],
      [5, "event_id_conflict"],
      [7, "event_id_conflict"],
    ]);
    const rows = await readQuery(
      driver,
      `MATCH (u:User)-[r:BEHAVED|SEARCHED]->() WHERE r.id IN ['wr-m', 'wr-n', 'wr-s']
       RETURN r.id AS id, type(r) AS rel, u.id AS user, r.dwellS AS dwellS ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: "wr-m", rel: "BEHAVED", user: "wr-u-a", dwellS: 30 },
      { id: "wr-n", rel: "BEHAVED", user: "wr-u-a", dwellS: 30 },
      { id: "wr-s", rel: "SEARCHED", user: "wr-u-a", dwellS: null },
    ]);
    expect(await readQuery(driver, "MATCH (u:User {id: 'wr-u-b'}) RETURN u.id AS id")).toEqual([]);
  });

  it("a world event's id cannot be taken over by a live event", async () => {
    const [world] = await readQuery(driver, "MATCH (u:User)-[r:BEHAVED]->(i:Item) RETURN r.id AS id, u.id AS user, i.id AS item, r.type AS type LIMIT 1");
    const result = await writeEvents(driver, [{ id: world.id, userId: "wr-u-thief", type: "order", at: "2025-07-02T10:00:00Z", itemId, quantity: 1, amount: 1 }]);
    expect(result.rejected.map((r) => r.code)).toEqual(["event_id_conflict"]);
    const [after] = await readQuery(driver, "MATCH (u:User)-[r:BEHAVED {id: $id}]->(i:Item) RETURN u.id AS user, i.id AS item, r.type AS type", { id: world.id });
    expect(after).toEqual({ user: world.user, item: world.item, type: world.type });
  });

  it("the date-time check agrees with Neo4j's datetime() on offsets and fraction digits", async () => {
    const samples = [
      "2025-05-20T10:00:00+23:59",
      "2025-05-20T10:00:00+18:01",
      "2025-05-20T10:00:00+18:00",
      "2025-05-20T10:00:00-18:00",
      "2025-05-20T10:00:00-18:30",
      "2025-05-20T10:00:00.123456789Z",
      "2025-05-20T10:00:00.1234567891Z",
      "2025-05-20T10:00:00.123456789012+05:30",
      "2025-05-20T10:00:00.5+14:00",
      "2025-05-20T10:00Z",
    ];
    for (const at of samples) {
      let neo4jAccepts = true;
      try {
        await readQuery(driver, "RETURN datetime($at) AS d", { at });
      } catch {
        neo4jAccepts = false;
      }
      expect({ at, accepted: neo4jDateTimeIssue(at) === null }).toEqual({ at, accepted: neo4jAccepts });
    }
  });
});

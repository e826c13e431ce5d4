import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { testDriver, testServices } from "../test/services.js";
import { createTestApp, TEST_KEY } from "../test/support/server.js";
import { createNeo4jEventSink, createNeo4jUsers, embeddingsProbe, neo4jProbe } from "./wiring.js";

const SEARCH_TERM = "服务端集成测试 搜索词";

describe("POST /v1/events on the real Neo4j", () => {
  let driver: Driver;
  let itemId: string;
  let t: ReturnType<typeof createTestApp>;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    driver = testDriver();
    const res = await driver.executeQuery("MATCH (i:Item) RETURN i.id AS id ORDER BY i.id LIMIT 1");
    itemId = res.records[0]?.get("id") as string;
    expect(typeof itemId).toBe("string");
    t = createTestApp({ events: createNeo4jEventSink(driver), users: createNeo4jUsers(driver), triggers: { enabled: false } });
  });
  afterAll(async () => {
    await driver.executeQuery("MATCH (u:User) WHERE u.id STARTS WITH $prefix DETACH DELETE u", { prefix: `it-${run}` });
    await driver.executeQuery("MATCH (t:SearchTerm {text: $text}) WHERE NOT (t)--() DELETE t", { text: SEARCH_TERM });
    await t?.close();
    await driver?.close();
  });

  const post = (events: unknown[]) =>
    t.app.request("/v1/events", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ events }),
    });

  it("stores valid events, creates new buyers, rejects unknown items, and a retry adds nothing", async () => {
    const buyer = `it-${run}-buyer`;
    const batch = [
      { eventId: `it-${run}-1`, userId: buyer, type: "view", itemId, at: "2025-05-30T10:00:00Z", dwellS: 30 },
      { eventId: `it-${run}-2`, userId: buyer, type: "order", itemId, at: "2025-05-30T10:05:00Z", quantity: 10, amount: 120 },
      { eventId: `it-${run}-3`, userId: buyer, type: "search", searchTerm: SEARCH_TERM, at: "2025-05-30T10:06:00Z" },
      { eventId: `it-${run}-4`, userId: buyer, type: "view", itemId: `no-such-item-${run}`, at: "2025-05-30T10:07:00Z" },
    ];
    const first = (await (await post(batch)).json()) as { stored: number; rejected: { index: number; code: string }[] };
    expect(first.stored).toBe(3);
    expect(first.rejected).toEqual([expect.objectContaining({ index: 3, code: "unknown_item" })]);

    const retry = (await (await post(batch)).json()) as { stored: number; duplicates: { index: number }[] };
    expect(retry.stored).toBe(0);
    expect(retry.duplicates.map((d) => d.index)).toEqual([0, 1, 2]);

    const counts = await driver.executeQuery(
      `MATCH (u:User {id: $buyer})
       OPTIONAL MATCH (u)-[b:BEHAVED]->(:Item)
       WITH u, count(b) AS behaved
       OPTIONAL MATCH (u)-[s:SEARCHED]->(:SearchTerm)
       RETURN behaved, count(s) AS searched`,
      { buyer },
    );
    expect(counts.records).toHaveLength(1);
    expect(Number(counts.records[0].get("behaved"))).toBe(2);
    expect(Number(counts.records[0].get("searched"))).toBe(1);

    const invoke = await t.app.request(`/v1/users/${buyer}/invoke`, { method: "POST", headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(invoke.status).toBe(200);
  });

  it("a timestamp Neo4j cannot parse is rejected per event and does not sink concurrent batches", async () => {
    const buyer = `it-${run}-probe`;
    const bad = { events: [{ eventId: `it-${run}-x1`, userId: buyer, type: "cart", at: "2025-05-20T10:00:00+23:59", itemId }] };
    const good = Array.from({ length: 5 }, (_, b) => ({
      events: Array.from({ length: 20 }, (_, n) => ({ eventId: `it-${run}-c${b}-${n}`, userId: buyer, type: "view", at: "2025-05-20T10:00:00.5+08:00", itemId, dwellS: n })),
    }));
    const answers = await Promise.all([bad, ...good].map((body) => post(body.events)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { stored: number; rejected: { code: string }[] }[];
    expect(bodies.map((b) => b.stored)).toEqual([0, 20, 20, 20, 20, 20]);
    expect(bodies[0].rejected.map((r) => r.code)).toEqual(["invalid_event"]);
    const stored = await driver.executeQuery("MATCH (:User {id: $buyer})-[b:BEHAVED]->() RETURN count(b) AS n", { buyer });
    expect(Number(stored.records[0].get("n"))).toBe(100);
  });

  it("reports the real services ready and names a dead one", async () => {
    const info = testServices();
    const ok = createTestApp({ probes: [neo4jProbe(driver), embeddingsProbe(info.embeddingsBaseUrl, info.embeddingsApiKey)] });
    const dead = createTestApp({ probes: [neo4jProbe(driver), embeddingsProbe("http://127.0.0.1:9/v1", "x")] });
    try {
      expect((await ok.app.request("/readyz")).status).toBe(200);
      const res = await dead.app.request("/readyz");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: "not_ready", message: "not reachable: embeddings" });
    } finally {
      await ok.close();
      await dead.close();
    }
  });
});

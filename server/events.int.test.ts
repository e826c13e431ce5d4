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

    const retry = (await (await post(batch)).json()) as { stored: number };
    expect(retry.stored).toBe(3);

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

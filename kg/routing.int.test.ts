/**
 * Cluster routing against the single embedded test server: a driver on the `neo4j://` (routing)
 * scheme answers, every Cypher statement of a whole graph run (KG reader, U-Q scorer, retrieval)
 * goes out with READ routing, and the event writer with WRITE routing. In a cluster READ routes
 * to followers / read replicas and WRITE to the leader (kg/driver.ts); the static check keeps new
 * code on those two helpers.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraph } from "../graph/builder.js";
import { createMemo } from "../lib/deps.js";
import { createRunStep } from "../llm/run-step.js";
import { PROJECT_ROOT } from "../services/config.js";
import { testEmbedder, testServices } from "../test/services.js";
import { AS_OF } from "../world/presets.js";
import { createDriver } from "./driver.js";
import { createKgReader } from "./repositories.js";
import { createUqScorer } from "./uq.js";
import { createEventWriter, neo4jEventStore } from "./writes.js";

let driver: Driver;
const routings: string[] = [];

beforeAll(() => {
  const info = testServices();
  const routed = info.neo4jUri.replace(/^bolt:\/\//, "neo4j://");
  driver = createDriver({ uri: routed, user: info.neo4jUser, password: info.neo4jPassword });
  const execute = driver.executeQuery.bind(driver) as (...args: unknown[]) => Promise<unknown>;
  (driver as unknown as { executeQuery: (...args: unknown[]) => Promise<unknown> }).executeQuery = (query, params, config) => {
    routings.push(String((config as { routing?: string } | undefined)?.routing ?? "unset"));
    return execute(query, params, config);
  };
  const session = driver.session.bind(driver);
  driver.session = (config) => {
    routings.push(`session:${String(config?.defaultAccessMode ?? "unset")}`);
    return session(config);
  };
});
afterAll(async () => {
  await driver?.close();
});

describe("Neo4j routing", () => {
  it("a neo4j:// driver gets a routing table from the single server (it is reader and writer)", async () => {
    await driver.verifyConnectivity();
    const info = await driver.getServerInfo();
    expect(info.address).toMatch(/:\d+$/);
    expect(await driver.supportsMultiDb()).toBe(true);
  });

  it("every statement of a graph run is sent with READ routing", async () => {
    routings.length = 0;
    const deps = { kg: createKgReader(driver), uq: createUqScorer(driver), embedder: await testEmbedder(), runStep: createRunStep(), chatModel: () => undefined, memo: createMemo() };
    const users = await driver.executeQuery("MATCH (u:User)-[:BEHAVED]->() RETURN u.id AS id ORDER BY id LIMIT 1", {}, { routing: neo4j.routing.READ });
    const userId = users.records[0]?.get("id") as string;
    routings.length = 0;
    const state = (await createGraph({ deps, checkpointer: false }).invoke({ userId, asOf: AS_OF }, { configurable: { defaultReasoner: "analytic" } })) as unknown as { ranked: unknown[] };
    expect(state.ranked.length).toBeGreaterThan(0);
    expect(routings.length).toBeGreaterThan(5);
    expect(new Set(routings)).toEqual(new Set([neo4j.routing.READ]));
  });

  it("the event writer sends its writes with WRITE routing", async () => {
    const items = await driver.executeQuery("MATCH (i:Item) RETURN i.id AS id ORDER BY id LIMIT 1", {}, { routing: neo4j.routing.READ });
    const itemId = items.records[0]?.get("id") as string;
    const userId = `routing-${process.pid}-${Date.now()}`;
    routings.length = 0;
    try {
      const writer = createEventWriter(neo4jEventStore(driver));
      const { rejected } = await writer.write([{ id: `${userId}-1`, userId, type: "view", itemId, at: "2025-05-30T10:00:00Z", dwellS: 5 }]);
      expect(rejected).toEqual([]);
      expect(routings.length).toBeGreaterThan(0);
      expect(routings.every((r) => r === neo4j.routing.WRITE || r === `session:${neo4j.session.WRITE}`)).toBe(true);
    } finally {
      await driver.executeQuery("MATCH (u:User {id: $userId}) DETACH DELETE u", { userId }, { routing: neo4j.routing.WRITE });
    }
  });
});

describe("read paths", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) return f === "node_modules" || f.startsWith(".") || f === "neo4j" ? [] : files(p);
      return /\.tsx?$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
    });

  it("only kg/driver.ts (and the WRITE-mode graph clear in kg/load.ts, the readiness ping) open sessions or call executeQuery", () => {
    const allowed = new Set(["kg/driver.ts", "kg/load.ts", "services/neo4j.ts"]);
    const offenders = ["kg", "graph", "nodes", "server", "tools", "llm", "evals", "scripts", "world", "db"]
      .flatMap((d) => files(path.join(PROJECT_ROOT, d)))
      .map((f) => path.relative(PROJECT_ROOT, f))
      .filter((f) => !allowed.has(f) && /\b(driver|d)\.(session|executeQuery)\(/.test(readFileSync(path.join(PROJECT_ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
    const load = readFileSync(path.join(PROJECT_ROOT, "kg/load.ts"), "utf8");
    for (const m of load.matchAll(/driver\.session\(([^)]*)\)/g)) expect(m[1]).toContain("WRITE");
  });
});

/**
 * A real catalog into an EMPTY graph with the documented import only: a few hundred real Taobao
 * titles (read from `../shared/data/taobao-titles/`) grouped into leaf categories without any
 * vocabulary, plus a synthetic year of behaviour (`kg/induce/real-sample.ts`), imported with
 * `importDir` (induction runs by itself); then every buyer gets grounded queries and items from the
 * analytic graph. Also the import robustness cases (BOM, self-parent, unknown factor, blank title,
 * `valueIds: []`, lenient date-times). Restores the tiny world afterwards for the other tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { createGraph } from "../graph/builder.js";
import { createMemo } from "../lib/deps.js";
import type { GraphState } from "../contracts/state.js";
import { createRunStep } from "../llm/run-step.js";
import { readQuery } from "./driver.js";
import { openEmbeddingCache, type EmbeddingCache } from "./embedding-cache.js";
import { importDir, type ImportResult } from "./import.js";
import { clearGraph } from "./load.js";
import { createKgReader } from "./repositories.js";
import { readTaobao } from "./induce/taobao.js";
import { writeRealSample } from "../world/real-sample.js";
import { PRODUCT_TYPE_FACTOR } from "./induce/records.js";
import { ensureTinyWorldLoaded } from "../test/support/test-world.js";
import { createUqScorer } from "./uq.js";
import { type GraphDeps } from "../contracts/deps.js";

const AS_OF = "2025-06-01T00:00:00Z";
let driver: Driver;
let cache: EmbeddingCache;
let dir: string;
let result: ImportResult;
let buyers: string[];
let items: number;

beforeAll(async () => {
  driver = testDriver();
  await clearGraph(driver);
  dir = mkdtempSync(join(tmpdir(), "chrysalis-real-"));
  ({ buyers, items } = writeRealSample(readTaobao("train"), join(dir, "catalog"), { leaves: 12, perLeaf: 60, buyers: 10, seed: 7, asOf: AS_OF }));
  const info = testServices();
  cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
  result = await importDir(join(dir, "catalog"), { driver, embedder: await testEmbedder(info), cache });
});

afterAll(async () => {
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (driver) {
    await clearGraph(driver);
    await driver.close();
  }
  await ensureTinyWorldLoaded();
});

describe("a real catalog imported into an empty graph", () => {
  it("imports every record and induces a vocabulary for the categories that had none", async () => {
    expect(result.issues).toEqual([]);
    expect(items).toBeGreaterThanOrEqual(200);
    expect(result.written.items).toBe(items);
    expect(result.induced?.categories.length).toBe(12);
    const rows = await readQuery(
      driver,
      `MATCH (v:Value {source: 'induced'}) WITH count(v) AS values
       MATCH (i:Item) OPTIONAL MATCH (i)-[:HAS]->(x:Value) WHERE x.factor <> $pt
       WITH values, i, count(x) AS n
       RETURN values, count(i) AS items, sum(CASE WHEN n > 0 THEN 1 ELSE 0 END) AS withValue`,
      { pt: PRODUCT_TYPE_FACTOR },
    );
    expect(rows[0].values).toBeGreaterThan(50);
    expect(Number(rows[0].withValue) / Number(rows[0].items)).toBeGreaterThan(0.6);
    const allows = await readQuery(driver, "MATCH (c:Category)-[:ALLOWS]->(f:Factor) RETURN count(DISTINCT c) AS n");
    expect(allows[0].n).toBe(12);
  });

  it("gives every buyer with a year of behaviour >= 6 grounded queries and >= 20 items", { timeout: 900_000 }, async () => {
    const deps: GraphDeps = {
      kg: createKgReader(driver),
      uq: createUqScorer(driver),
      embedder: await testEmbedder(),
      runStep: createRunStep(),
      chatModel: () => undefined,
      memo: createMemo(),
    };
    const g = createGraph({ deps, checkpointer: false });
    const valueIds = new Set((await readQuery(driver, "MATCH (v:Value) RETURN v.id AS id")).map((r) => r.id as string));
    for (const userId of buyers) {
      const s = (await g.invoke({ userId, asOf: AS_OF }, { configurable: { defaultReasoner: "analytic" } })) as GraphState;
      expect(s.finalQueries.length, `${userId} queries`).toBeGreaterThanOrEqual(6);
      for (const q of s.finalQueries) {
        expect(s.verdicts[q.id]?.verdict, `${userId} ${q.text}`).toBe("pass");
        expect(q.valueIds.length).toBeGreaterThan(0);
        for (const v of q.valueIds) expect(valueIds.has(v)).toBe(true);
      }
      expect(s.ranked.length, `${userId} items`).toBeGreaterThanOrEqual(20);
    }
  });
});

describe("import robustness", () => {
  let bad: ImportResult;
  beforeAll(async () => {
    const rob = join(dir, "robust");
    const write = (name: string, lines: unknown[], bom = false) =>
      writeFileSync(join(rob, name), (bom ? "\uFEFF" : "") + lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    rmSync(rob, { recursive: true, force: true });
    (await import("node:fs")).mkdirSync(rob, { recursive: true });
    write("factors.jsonl", [{ name: "风格" }, { name: "图案" }], true);
    write("values.jsonl", [
      { id: "rob-v-fr", factor: "风格", name: "法式" },
      { id: "rob-v-size", factor: "尺码", name: "大码" },
      { id: "rob-v-floral", factor: "图案", name: "碎花" },
    ]);
    write("categories.jsonl", [
      { id: "rob-c", name: "连衣裙", parentId: null, level: 1, allows: ["风格", "图案"] },
      { id: "rob-self", name: "自指", parentId: "rob-self", level: 2 },
      { id: "rob-size", name: "尺码类", parentId: null, level: 1, allows: ["尺码"] },
    ]);
    write("sellers.jsonl", [{ id: "rob-s", name: "商家", type: "factory", joinedAt: "2024-01-01 08:00:00+0800" }]);
    const item = { categoryId: "rob-c", price: 10, moq: 1, launchedAt: "2025-03-01 10:00:00+0800", sellerId: "rob-s" };
    write("items.jsonl", [
      { id: "rob-i-1", title: "法式小碎花连衣裙女夏", valueIds: [], ...item },
      { id: "rob-i-2", title: "   ", ...item },
      { id: "rob-i-3", title: "法式连衣裙", ...item, launchedAt: "2025/03/01" },
    ]);
    bad = await importDir(rob, { driver, embedder: await testEmbedder(), cache });
  });

  it("reports each bad record as file:line: reason and nothing else", () => {
    expect(bad.issues.map((i) => `${i.file}:${i.line}: ${i.reason}`)).toEqual([
      "categories.jsonl:2: category rob-self is its own parent",
      "categories.jsonl:3: allows unknown factor 尺码 (not in factors.jsonl or the graph)",
      "items.jsonl:2: title: blank",
      expect.stringMatching(/^items\.jsonl:3: launchedAt: /),
      "values.jsonl:2: unknown factor 尺码 (not in factors.jsonl or the graph)",
    ]);
    expect(bad.written).toMatchObject({ factors: 2, values: 2, categories: 1, sellers: 1, items: 1 });
  });

  it("keeps the BOM line, normalises lenient times and extracts values when valueIds is []", async () => {
    const rows = await readQuery(
      driver,
      `MATCH (i:Item {id: 'rob-i-1'}) OPTIONAL MATCH (i)-[:HAS]->(v:Value)
       RETURN toString(i.launchedAt) AS at, collect(v.id) AS values, i.shortTitle AS short`,
    );
    expect(rows[0].at).toBe("2025-03-01T10:00:00+08:00");
    expect([...(rows[0].values as string[])].sort()).toEqual(["rob-v-floral", "rob-v-fr"]);
    expect(rows[0].short).toBe("法式碎花连衣裙");
    expect((await readQuery(driver, "MATCH (f:Factor {name: '尺码'}) RETURN count(f) AS n"))[0].n).toBe(0);
    expect((await readQuery(driver, "MATCH (c:Category {id: 'rob-self'}) RETURN count(c) AS n"))[0].n).toBe(0);
  });
});

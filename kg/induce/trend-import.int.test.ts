/**
 * Trend terms through induction, end to end on the real Neo4j and embedding server: a real
 * catalog (shared Taobao titles) imported into an empty graph, then a second import with a few new
 * offers and trend documents that keep naming a term the graph does not know (马面裙) next to life
 * posts (减肥食谱, 手机新品发布会). The term becomes a `Value` with source `trend`, support and
 * confidence, carried by the offers, allowed by their category and mentioned by the documents; a
 * query on it passes the critic's deterministic and retrieval checks; the noise leaves nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDriver, testEmbedder, testServices } from "../../test/services.js";
import { ensureTinyWorldLoaded } from "../../test/support/test-world.js";
import { writeRealSample } from "../../world/real-sample.js";
import { readQuery } from "../driver.js";
import { openEmbeddingCache, type EmbeddingCache } from "../embedding-cache.js";
import { importDir, type ImportResult } from "../import.js";
import { clearGraph } from "../load.js";
import { createKgReader } from "../repositories.js";
import { buildEvidenceIndex, deterministicIssues, retrievalIssue } from "../../reasoners/critic/checks.js";
import { readTaobao } from "./taobao.js";
import { cachedEmbed } from "./embed.js";

const AS_OF = "2025-06-01T00:00:00Z";
let driver: Driver;
let cache: EmbeddingCache;
let dir: string;
let second: ImportResult;

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

beforeAll(async () => {
  driver = testDriver();
  await clearGraph(driver);
  dir = mkdtempSync(join(tmpdir(), "chrysalis-trend-"));
  writeRealSample(readTaobao("train"), join(dir, "catalog"), { leaves: 4, perLeaf: 30, buyers: 2, seed: 3, asOf: AS_OF });
  const info = testServices();
  cache = openEmbeddingCache(join(info.dataDir, "cache", "embeddings.sqlite"));
  const embedder = await testEmbedder(info);
  await importDir(join(dir, "catalog"), { driver, embedder, cache });
  const more = join(dir, "trends");
  mkdirSync(more, { recursive: true });
  const offer = { categoryId: "rc-0", price: 89, moq: 2, launchedAt: "2025-04-01T00:00:00Z", sellerId: "rs-0" };
  writeFileSync(
    join(more, "items.jsonl"),
    jsonl(["新中式马面裙女夏日常汉服", "马面裙刺绣织金复古", "马面裙女学生日常通勤", "黑色马面裙明制汉服"].map((title, n) => ({ id: `mm-${n}`, title, ...offer }))),
  );
  const doc = (id: string, source: string, title: string, text: string, day: number) => ({ id, source, title, text, publishedAt: `2025-05-${String(day).padStart(2, "0")}T08:00:00Z` });
  writeFileSync(
    join(more, "trends.jsonl"),
    jsonl([
      doc("td-1", "xiaohongshu", "今年夏天马面裙真的火了", "实体店里马面裙一上架就卖空", 2),
      doc("td-2", "worthbuy", "马面裙好价合集", "新中式马面裙低至五十元", 5),
      doc("td-3", "taobao_hot", "热搜：马面裙", "马面裙 汉服 日常", 9),
      doc("td-4", "google_trends", "上升最快：马面裙穿搭", "马面裙", 12),
      doc("tn-1", "xiaohongshu", "减肥食谱分享", "一周减肥食谱，简单好做", 3),
      doc("tn-2", "worthbuy", "减肥食谱推荐", "减肥食谱合集，顺便看了手机新品发布会", 6),
      doc("tn-3", "taobao_hot", "减肥食谱", "手机新品发布会 减肥食谱", 10),
      { ...doc("td-late", "xiaohongshu", "六月的马面裙", "马面裙", 1), publishedAt: "2025-06-20T08:00:00Z" },
    ]),
  );
  second = await importDir(more, { driver, embedder, cache, asOf: AS_OF });
}, 900_000);

afterAll(async () => {
  cache?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (driver) {
    await clearGraph(driver);
    await driver.close();
  }
  await ensureTinyWorldLoaded();
});

describe("trend terms become values through induction", () => {
  it("writes the new term as a trend value with support and confidence, carried, allowed and mentioned", async () => {
    expect(second.issues).toEqual([]);
    expect(second.trendValues?.values.map((v) => v.name)).toContain("马面裙");
    const rows = await readQuery(
      driver,
      `MATCH (v:Value {source: 'trend', name: '马面裙'})
       OPTIONAL MATCH (i:Item)-[:HAS]->(v)
       WITH v, collect(DISTINCT i.id) AS items
       OPTIONAL MATCH (d:TrendDoc)-[:MENTIONS]->(v)
       WITH v, items, collect(DISTINCT d.id) AS docs
       OPTIONAL MATCH (:Category {id: 'rc-0'})-[a:ALLOWS]->(:Factor {name: v.factor})
       RETURN v.id AS id, v.factor AS factor, v.support AS support, v.confidence AS confidence, items, docs, count(a) AS allowed`,
    );
    expect(rows).toHaveLength(1);
    const v = rows[0];
    expect(v.support).toBe(4);
    expect(Number(v.confidence)).toBeGreaterThan(0);
    expect(Number(v.confidence)).toBeLessThanOrEqual(1);
    expect([...(v.items as string[])].sort()).toEqual(expect.arrayContaining(["mm-0", "mm-1", "mm-2", "mm-3"]));
    expect([...(v.docs as string[])].sort()).toEqual(["td-1", "td-2", "td-3", "td-4"]);
    expect(v.allowed).toBe(1);
  });

  it("lets no life-post noise or character fragment into the graph", async () => {
    const names = (await readQuery(driver, "MATCH (v:Value {source: 'trend'}) RETURN v.name AS name")).map((r) => String(r.name));
    for (const noise of ["减肥食谱", "减肥", "食谱", "发布会", "机新品发", "花半身"]) expect(names).not.toContain(noise);
    expect(second.trendValues?.rejected.find((r) => r.term === "食谱")?.reason).toMatch(/carried by 0 offer/);
  });

  it("is usable by a query: the critic's grounding and retrieval checks pass", async () => {
    const kg = createKgReader(driver);
    const vocab = await kg.vocabulary();
    const value = vocab.values.find((x) => x.name === "马面裙");
    expect(value).toBeDefined();
    const category = vocab.categories.find((c) => c.id === "rc-0");
    expect(category?.allows).toContain(value!.factor);
    const docs = await kg.trendDocsByMentions({ valueIds: [value!.id] }, { asOf: AS_OF, limit: 10 });
    expect(docs.map((d) => d.id).sort()).toEqual(["td-1", "td-2", "td-3", "td-4"]);
    const q = {
      id: "q-trend",
      text: `${value!.name} 批发`,
      categoryId: "rc-0",
      categoryName: category!.name,
      valueIds: [value!.id],
      values: [value!.name],
      unknownValues: [],
      horizon: "trend" as const,
      evidence: [{ kind: "trend" as const, id: docs[0].id }],
      reason: "趋势文档",
      round: 0,
    };
    const index = buildEvidenceIndex({ compression: null, cfv: null, pairs: [], trends: { docs: docs.map(({ text, ...d }) => ({ ...d, snippet: text })), setAside: [], sellingPoints: [] } });
    expect(deterministicIssues(q, vocab, index)).toEqual([]);
    expect(await retrievalIssue({ kg }, q, AS_OF, 3)).toBeNull();
  });

  it("counts only documents published before asOf, and a second run changes nothing", async () => {
    expect(second.trendValues?.values.find((v) => v.name === "马面裙")?.support).toBe(4);
    const count = async () => (await readQuery(driver, "MATCH (v:Value {source: 'trend'}) OPTIONAL MATCH (v)-[r]-() RETURN count(DISTINCT v) AS v, count(r) AS r"))[0];
    const before = await count();
    const { induceTrendsInGraph } = await import("./trend-step.js");
    await induceTrendsInGraph(driver, { asOf: AS_OF, embed: cachedEmbed(await testEmbedder(), cache) });
    expect(await count()).toEqual(before);
  });
});

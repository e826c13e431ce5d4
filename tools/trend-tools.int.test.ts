/**
 * The trend tools on the real knowledge graph (test Neo4j with the `tiny` world, loaded by the int
 * global setup) and the real
 * embedding server: per-source full-text search before `asOf`, the embedding re-rank, and
 * untrusted documents returned as JSON data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import type { ToolMessage } from "@langchain/core/messages";
import { createKgReader } from "../kg/repositories.js";
import { ensureTinyWorldFiles, type TinyWorld } from "../test/support/test-world.js";
import type { KgReader, TrendDocHit } from "../contracts/kg.js";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { TREND_SOURCES } from "../contracts/records.js";
import { CORPUS_SOURCE_TOOLS, createTrendTools } from "./trend-tools.js";

let driver: Driver;
let kg: KgReader;
let world: TinyWorld;
let asOf: string;

beforeAll(async () => {
  world = await ensureTinyWorldFiles(testServices().dataDir);
  asOf = world.manifest.asOf;
  driver = testDriver();
  kg = createKgReader(driver);
});
afterAll(async () => {
  await driver?.close();
});

async function callTool(tools: ReturnType<typeof createTrendTools>, name: string, query: string) {
  const t = tools.find((x) => x.name === name)!;
  const msg = (await t.invoke({ name, args: { query }, id: "c1", type: "tool_call" })) as ToolMessage;
  return { body: JSON.parse(String(msg.content)) as { source: string; results: { id: string; publishedAt: string }[] }, hits: msg.artifact as TrendDocHit[] };
}

/** A term that occurs in documents of this source before asOf: the most mentioned category name. */
async function termFor(source: (typeof TREND_SOURCES)[number]): Promise<string | null> {
  const vocab = await kg.vocabulary();
  const leaves = vocab.categories.filter((c) => c.allows.length > 0);
  const docs = await kg.trendDocsByMentions({ categoryIds: leaves.map((c) => c.id) }, { asOf, sources: [source], limit: 50 });
  const counts = new Map<string, number>();
  for (const d of docs) for (const id of d.categoryIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? (vocab.categories.find((c) => c.id === best[0])?.noun ?? null) : null;
}

describe("trend tools on the tiny world", () => {
  it("each source tool finds only its own source's documents, all published before asOf", async () => {
    const tools = createTrendTools({ kg, asOf, limit: 5 });
    let searched = 0;
    for (const source of TREND_SOURCES) {
      const term = await termFor(source);
      if (term === null) continue;
      const { body, hits } = await callTool(tools, CORPUS_SOURCE_TOOLS[source].name, term);
      expect(body.source).toBe(source);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.length).toBeLessThanOrEqual(5);
      expect(body.results.map((r) => r.id)).toEqual(hits.map((h) => h.id));
      for (const h of hits) {
        expect(h.source).toBe(source);
        expect(Date.parse(h.publishedAt)).toBeLessThan(Date.parse(asOf));
      }
      searched += 1;
    }
    expect(searched).toBeGreaterThanOrEqual(2);
  });

  it("the embedding re-rank returns a re-ordering of the same full-text candidates", async () => {
    const source = TREND_SOURCES[0];
    const term = (await termFor(source))!;
    const embedder = await testEmbedder();
    const plain = await callTool(createTrendTools({ kg, asOf, limit: 6 }), CORPUS_SOURCE_TOOLS[source].name, term);
    const reranked = await callTool(createTrendTools({ kg, asOf, limit: 6, embedder }), CORPUS_SOURCE_TOOLS[source].name, term);
    const pool = await kg.searchTrendDocs(term, { asOf, sources: [source], limit: 18 });
    const poolIds = new Set(pool.map((h) => h.id));
    expect(reranked.hits.length).toBe(Math.min(6, pool.length));
    for (const h of reranked.hits) expect(poolIds.has(h.id)).toBe(true);
    if (pool.length <= 6) expect(new Set(reranked.hits.map((h) => h.id))).toEqual(new Set(plain.hits.map((h) => h.id)));
  });

  it("returns injection documents as data inside the JSON content", async () => {
    const tools = createTrendTools({ kg, asOf, limit: 20 });
    let seen = 0;
    for (const source of TREND_SOURCES) {
      for (const q of ["忽略之前的指令", "ignore previous instructions"]) {
        const t = tools.find((x) => x.name === CORPUS_SOURCE_TOOLS[source].name)!;
        const content = (await t.invoke({ query: q })) as string;
        const body = JSON.parse(content) as { results: { title: string; snippet: string }[] };
        seen += body.results.filter((r) => /忽略|ignore/i.test(`${r.title} ${r.snippet}`)).length;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { cosine, type Embedder } from "../llm/embeddings.js";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { ensureServices } from "./index.js";

describe("real services provided by the global setup", () => {
  let driver: Driver;
  let embedder: Embedder;

  beforeAll(async () => {
    driver = testDriver();
    embedder = await testEmbedder();
  });
  afterAll(async () => {
    await driver.close();
  });

  it("exports the addresses to the test workers' environment", () => {
    const info = testServices();
    expect(process.env.NEO4J_URI).toBe(info.neo4jUri);
    expect(process.env.EMBEDDINGS_BASE_URL).toBe(info.embeddingsBaseUrl);
  });

  it("Neo4j answers RETURN 1", async () => {
    const res = await driver.executeQuery("RETURN 1 AS one");
    expect(res.records[0].get("one").toNumber()).toBe(1);
  });

  it("embeds Chinese sensibly: a paraphrase is closer than an unrelated product", async () => {
    const anchor = await embedder.embedQuery("法式碎花连衣裙");
    const [paraphrase, unrelated] = await embedder.embedDocuments(["法式印花裙子", "手机壳"]);
    expect(cosine(anchor, paraphrase)).toBeGreaterThan(cosine(anchor, unrelated));
    const [a, b, c] = await embedder.embedDocuments(["法式碎花连衣裙", "法式印花裙子", "手机壳"]);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it("returns 384-dimensional vectors from the default multilingual-e5-small model", async () => {
    const v = await embedder.embedQuery("批发");
    expect(v).toHaveLength(embedder.dimensions);
    if (testServices().embeddingsModel === "multilingual-e5-small-q4") expect(embedder.dimensions).toBe(384);
  });

  it("embeds a text differently as a query and as a passage", async () => {
    const q = await embedder.embedQuery("法式碎花连衣裙");
    const [p] = await embedder.embedDocuments(["法式碎花连衣裙"]);
    expect(cosine(q, p)).toBeLessThan(0.999);
    expect(cosine(q, p)).toBeGreaterThan(0.5);
  });

  it("parses vectors exactly as the server sends them (compared with a direct float request)", async () => {
    const info = testServices();
    const [viaEmbedder] = await embedder.embedDocuments(["2025新款法式碎花连衣裙女夏季显瘦气质中长款雪纺裙子批发"]);
    const model = info.embeddingsModality === "model" ? `${info.embeddingsModel}-passage` : info.embeddingsModel;
    const input = info.embeddingsModality === "prefix" ? "passage: " : "";
    const res = await fetch(`${info.embeddingsBaseUrl}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${info.embeddingsApiKey}` },
      body: JSON.stringify({ model, input: [`${input}2025新款法式碎花连衣裙女夏季显瘦气质中长款雪纺裙子批发`], encoding_format: "float" }),
    });
    const direct = ((await res.json()) as { data: { embedding: number[] }[] }).data[0].embedding;
    expect(viaEmbedder).toHaveLength(direct.length);
    viaEmbedder.forEach((x, i) => expect(x).toBeCloseTo(direct[i], 6));
  });

  it("batches documents and keeps their order", async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `第${i}号 韩系格纹半身裙 批发 ${i % 7 === 0 ? "手机壳" : "女装"}`);
    const all = await embedder.embedDocuments(texts);
    expect(all).toHaveLength(70);
    for (const i of [0, 63, 64, 69]) {
      const [alone] = await embedder.embedDocuments([texts[i]]);
      expect(cosine(all[i], alone)).toBeGreaterThan(0.9999);
    }
  });

  it("reuses running services instead of starting new ones", async () => {
    const again = await ensureServices({ instance: "test" });
    expect(again.started).toEqual([]);
    expect(again.reused.sort()).toEqual(["embeddings", "neo4j (test)"]);
    expect(again.neo4jUri).toBe(testServices().neo4jUri);
    await again.stop();
    const res = await driver.executeQuery("RETURN 2 AS two");
    expect(res.records[0].get("two").toNumber()).toBe(2);
  });
});

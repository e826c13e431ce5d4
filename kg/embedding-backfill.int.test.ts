import { randomUUID } from "node:crypto";
import type { Driver } from "neo4j-driver";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDriver, testEmbedder, testServices } from "../test/services.js";
import { ensureTinyWorldLoaded } from "../test/support/test-world.js";
import { int, readQuery, writeQuery } from "./driver.js";
import { backfillItemEmbeddings, embeddingCoverage } from "./embedding-backfill.js";
import { openEmbeddingCache } from "./embedding-cache.js";
import { ITEM_VECTOR_INDEX } from "./schema.js";

describe("item-embedding backfill on the real Neo4j and embedding server", () => {
  let driver: Driver;
  const prefix = `bf-${randomUUID()}-`;

  beforeAll(async () => {
    await ensureTinyWorldLoaded();
    driver = testDriver();
  });
  afterEach(async () => {
    await writeQuery(driver, "MATCH (i:Item) WHERE i.id STARTS WITH $prefix DETACH DELETE i", { prefix });
  });
  afterAll(async () => {
    await driver?.close();
  });

  async function addItemsWithoutEmbedding(n: number): Promise<{ id: string; title: string }[]> {
    const { rows } = await writeQuery(
      driver,
      `MATCH (src:Item)-[:IN]->(c:Category) WITH src, c ORDER BY src.id LIMIT $n
       WITH collect({src: src, c: c}) AS picked
       UNWIND range(0, size(picked) - 1) AS k
       WITH picked[k].src AS src, picked[k].c AS c, k
       CREATE (i:Item {id: $prefix + toString(k), title: src.title + ' 回填样品' + toString(k) + $prefix, shortTitle: src.shortTitle, launchedAt: src.launchedAt, price: src.price, moq: src.moq})
       CREATE (i)-[:IN]->(c)
       RETURN i.id AS id, i.title AS title`,
      { n: int(n), prefix },
    );
    return rows.map((r) => ({ id: String(r.id), title: String(r.title) }));
  }

  it("embeds exactly the items that have none, and the vector index finds them", async () => {
    const before = await embeddingCoverage(driver);
    const added = await addItemsWithoutEmbedding(3);
    const during = await embeddingCoverage(driver);
    expect(during).toEqual({ items: before.items + 3, embedded: before.embedded });

    const embedder = await testEmbedder(testServices());
    const cache = openEmbeddingCache(":memory:");
    const progress: number[] = [];
    try {
      const result = await backfillItemEmbeddings({ driver, embedder, cache, batchSize: 2, onProgress: (c) => progress.push(c.embedded) });
      expect(result.written).toBe(3);
      expect(result.misses).toBe(3);
      expect(result.coverage).toEqual({ items: before.items + 3, embedded: before.embedded + 3 });
      expect(progress).toEqual([before.embedded, before.embedded + 2, before.embedded + 3]);

      const [vector] = await embedder.embedDocuments([added[1].title]);
      const [top] = await readQuery(driver, `CALL db.index.vector.queryNodes($index, 1, $vector) YIELD node, score RETURN node.id AS id, score`, {
        index: ITEM_VECTOR_INDEX,
        vector,
      });
      expect(top.id).toBe(added[1].id);
      expect(Number(top.score)).toBeGreaterThan(0.999);

      const again = await backfillItemEmbeddings({ driver, embedder, cache });
      expect(again.written).toBe(0);
    } finally {
      cache.close();
    }
  });

  it("writes nothing when aborted before it starts, and resumes later", async () => {
    await addItemsWithoutEmbedding(2);
    const embedder = await testEmbedder(testServices());
    const cache = openEmbeddingCache(":memory:");
    try {
      const stopped = new AbortController();
      stopped.abort();
      const aborted = await backfillItemEmbeddings({ driver, embedder, cache, signal: stopped.signal });
      expect(aborted.written).toBe(0);
      expect(aborted.coverage.items - aborted.coverage.embedded).toBe(2);
      const resumed = await backfillItemEmbeddings({ driver, embedder, cache });
      expect(resumed.written).toBe(2);
      expect(resumed.coverage.embedded).toBe(resumed.coverage.items);
    } finally {
      cache.close();
    }
  });
});

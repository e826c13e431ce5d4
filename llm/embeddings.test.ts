import { Embeddings } from "@langchain/core/embeddings";
import { describe, expect, it } from "vitest";
import { Embedder, cosine, createEmbeddings, modelFor, textFor } from "./embeddings.js";

class Recording extends Embeddings {
  calls: string[][] = [];
  constructor(private readonly tag: number, private readonly dim = 3) {
    super({});
  }
  async embedQuery(text: string): Promise<number[]> {
    this.calls.push([text]);
    return Array.from({ length: this.dim }, (_, i) => this.tag + i);
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls.push(texts);
    return texts.map((_, j) => Array.from({ length: this.dim }, (_, i) => this.tag + i + j));
  }
}

describe("query/passage modality", () => {
  it("selects by model name, by text prefix, or not at all", () => {
    expect(modelFor("multilingual-e5-small-q4", "query", "model")).toBe("multilingual-e5-small-q4-query");
    expect(modelFor("multilingual-e5-small-q4", "passage", "model")).toBe("multilingual-e5-small-q4-passage");
    expect(modelFor("e5-large", "query", "prefix")).toBe("e5-large");
    expect(textFor("连衣裙", "query", "prefix")).toBe("query: 连衣裙");
    expect(textFor("连衣裙", "passage", "prefix")).toBe("passage: 连衣裙");
    expect(textFor("连衣裙", "passage", "model")).toBe("连衣裙");
    expect(textFor("连衣裙", "query", "none")).toBe("连衣裙");
  });

  it("configures OpenAIEmbeddings with the role's model name, float vectors and no dimensions", () => {
    const e = createEmbeddings({ baseUrl: "http://127.0.0.1:8911/v1", apiKey: "local", model: "m", modality: "model" }, "query");
    expect(e.model).toBe("m-query");
    expect(e.encodingFormat).toBe("float");
    expect(e.dimensions).toBeUndefined();
    expect(e.batchSize).toBe(64);
  });
});

describe("Embedder", () => {
  it("sends queries to the query embeddings and documents to the passage embeddings, prefixed when configured", async () => {
    const q = new Recording(10);
    const p = new Recording(20);
    const e = new Embedder(q, p, "prefix", 3, "m");
    expect(await e.embedQuery("法式")).toEqual([10, 11, 12]);
    expect(await e.embedDocuments(["a", "b"])).toEqual([[20, 21, 22], [21, 22, 23]]);
    expect(q.calls).toEqual([["query: 法式"]]);
    expect(p.calls).toEqual([["passage: a", "passage: b"]]);
    expect(await e.embedDocuments([])).toEqual([]);
    expect(p.calls).toHaveLength(1);
    expect(e.model).toBe("m#prefix");
  });

  it("rejects vectors of the wrong dimension", async () => {
    const e = new Embedder(new Recording(1, 4), new Recording(1, 4), "model", 3, "m");
    await expect(e.embedQuery("x")).rejects.toThrow(/length 4 \(expected 3\)/);
  });
});

describe("cosine", () => {
  it("is 1 for parallel, 0 for orthogonal, -1 for opposite vectors", () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 3])).toBe(0);
    expect(cosine([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(() => cosine([1], [1, 2])).toThrow();
  });
});

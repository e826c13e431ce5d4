import { describe, expect, it } from "vitest";
import { createFakeKg } from "../graph/fake-kg.js";
import type { GraphDeps } from "../graph/deps.js";
import { retrievalIssue } from "./critique-queries.js";
import type { Query } from "./generate-queries.js";

const deps = { kg: createFakeKg() } as unknown as GraphDeps;
const asOf = "2025-06-01T00:00:00.000Z";

function query(text: string, valueIds: string[]): Query {
  return {
    id: "q", text, categoryId: "c-dress", categoryName: "连衣裙", valueIds, values: [], unknownValues: [],
    horizon: "long", evidence: [], reason: "", round: 0,
  };
}

describe("the critic's retrieval check", () => {
  it("passes a query whose values enough offers in the category carry together", async () => {
    expect(await retrievalIssue(deps, query("法式碎花连衣裙 批发", ["v-french", "v-floral"]), asOf, 3)).toBeNull();
  });

  it("fails a query whose text retrieves items but whose values no offer carries together", async () => {
    const issue = await retrievalIssue(deps, query("法式韩系连衣裙 批发", ["v-french", "v-korean"]), asOf, 3);
    expect(issue).toMatch(/only 0 items in the category carry all its values/);
  });

  it("fails a query that retrieves too few items", async () => {
    expect(await retrievalIssue(deps, query("手机壳 批发", []), asOf, 3)).toMatch(/^retrieves 0 items/);
  });
});

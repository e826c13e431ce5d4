import { describe, expect, it } from "vitest";
import { createFakeKg } from "../test/fakes/fake-kg.js";
import type { GraphDeps } from "../contracts/deps.js";
import type { Query } from "../contracts/queries.js";
import { retrievalIssue } from "../reasoners/critic/checks.js";

const deps = { kg: createFakeKg() } as unknown as GraphDeps;
const asOf = "2025-06-01T00:00:00.000Z";

function query(text: string, valueIds: string[]): Query {
  return {
    id: "q", text, categoryId: "c-dress", categoryName: "连衣裙", valueIds, values: [], unknownValues: [],
    horizon: "long", evidence: [], reason: "", round: 0,
  };
}

describe("the critic's retrieval check", () => {
  it("passes a query whose values offers in the category carry", async () => {
    expect(await retrievalIssue(deps, query("法式碎花连衣裙 批发", ["v-french", "v-floral"]), asOf, 3)).toBeNull();
  });

  it("fails a combination that offers in the category carry only separately (it retrieves nothing real)", async () => {
    const issue = await retrievalIssue(deps, { ...query("法式格纹连衣裙 批发", ["v-french", "v-plaid"]), values: ["法式", "格纹"] }, asOf, 3);
    expect(issue).toMatch(/^only [0-2] offers in the category carry "法式" \+ "格纹" together, fewer than 3$/);
  });

  it("fails a query whose text retrieves items but one of whose values no offer in the category carries", async () => {
    const issue = await retrievalIssue(deps, query("法式蕾丝连衣裙 批发", ["v-french", "v-lace"]), asOf, 3);
    expect(issue).toMatch(/^only 0 offers in the category carry/);
  });

  it("fails a query that retrieves too few items", async () => {
    expect(await retrievalIssue(deps, query("手机壳 批发", []), asOf, 3)).toMatch(/^retrieves 0 items/);
  });
});

import { describe, expect, it } from "vitest";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { generatedQueriesWireSchema, GeneratedQueriesSchema, JudgeWireSchema } from "./queries.js";
import { portraitWireSchema } from "./portrait.js";
import { CfvStepWireSchema } from "./cfv.js";

const query = { reason: "r", text: "法式连衣裙", category: "连衣裙", values: ["法式"], horizon: "long", evidence: ["c1"] };
const portrait = {
  reasons: ["连衣裙占 80%"],
  mainCategories: [{ categoryId: "c1", name: "连衣裙", share: 0.8 }],
  bType: "boutique",
  dropShipperType: "none",
  coreIntent: "法式女装",
  profile: { identity: "a", customerGroup: "b", operatingStrategy: "c", purchaseMotive: "d" },
};

describe("wire schemas", () => {
  it("ask the generator for one to `count` queries, where the step's own schema takes any number", () => {
    const wire = generatedQueriesWireSchema(2);
    expect(wire.safeParse({ queries: [] }).success).toBe(false);
    expect(wire.safeParse({ queries: [query, query] }).success).toBe(true);
    expect(wire.safeParse({ queries: [query, query, query] }).success).toBe(false);
    expect(GeneratedQueriesSchema.safeParse({ queries: [] }).success).toBe(true);
    const json = toJsonSchema(wire) as { properties: { queries: { minItems?: number; maxItems?: number } } };
    expect([json.properties.queries.minItems, json.properties.queries.maxItems]).toEqual([1, 2]);
  });
  it("bound the generator's evidence and the critic's issues by maxItems", () => {
    const wire = generatedQueriesWireSchema(1);
    expect(wire.safeParse({ queries: [{ ...query, evidence: ["c1", "c2", "c3", "c4"] }] }).success).toBe(false);
    expect(wire.safeParse({ queries: [{ ...query, evidence: ["c1", "c2", "c3"] }] }).success).toBe(true);
    const verdict = { queryId: "q1", reasons: "ok", verdict: "fail", issues: ["a"], feedback: "" };
    expect(JudgeWireSchema.safeParse({ verdicts: [verdict] }).success).toBe(true);
    expect(JudgeWireSchema.safeParse({ verdicts: [{ ...verdict, issues: ["a", "b", "c", "d"] }] }).success).toBe(false);
  });
  it("bound the portrait's observations and main categories", () => {
    const wire = portraitWireSchema(1);
    expect(wire.safeParse(portrait).success).toBe(true);
    expect(wire.safeParse({ ...portrait, reasons: [] }).success).toBe(false);
    expect(wire.safeParse({ ...portrait, reasons: ["a", "b", "c", "d"] }).success).toBe(false);
    expect(wire.safeParse({ ...portrait, mainCategories: [...portrait.mainCategories, { categoryId: "c2", name: "衬衫", share: 0.2 }] }).success).toBe(false);
  });
  it("ask the cfv for at least one category", () => {
    expect(CfvStepWireSchema.safeParse({ categories: [] }).success).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { generatedQueriesWireSchema, GeneratedQueriesSchema, JudgeWireSchema } from "./queries.js";
import { PortraitJudgementWireSchema, PortraitSchema } from "./portrait.js";
import { CfvStepSchema, cfvStepWireSchema } from "./cfv.js";

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
  it("ask the portrait model for one to three observations and no main categories (they come from data)", () => {
    const { mainCategories: _data, ...judgement } = portrait;
    const wire = PortraitJudgementWireSchema;
    expect(wire.safeParse(judgement).success).toBe(true);
    expect(wire.safeParse({ ...judgement, reasons: [] }).success).toBe(false);
    expect(wire.safeParse({ ...judgement, reasons: ["a", "b", "c", "d"] }).success).toBe(false);
    expect(Object.keys((toJsonSchema(wire) as { properties: object }).properties)).not.toContain("mainCategories");
    expect(PortraitSchema.safeParse({ ...portrait, mainCategories: [{ categoryId: "c1", name: "连衣裙", share: 45 }] }).success).toBe(false);
  });
  it("ask the cfv for one to `categories` categories of values by name, bounded per horizon, and parse them with null ids", () => {
    const entry = { name: "法式", weight: 8, support: [] };
    const category = { categoryId: "c1", name: "连衣裙", long: [entry], recent: [], potential: [{ ...entry, support: ["pair:a:b"] }] };
    const wire = cfvStepWireSchema(2);
    expect(wire.safeParse({ categories: [] }).success).toBe(false);
    expect(wire.safeParse({ categories: [category] }).success).toBe(true);
    expect(wire.safeParse({ categories: [category, category, category] }).success).toBe(false);
    expect(wire.safeParse({ categories: [{ ...category, long: [entry, entry, entry, entry] }] }).success).toBe(false);
    expect(wire.safeParse({ categories: [{ ...category, potential: [{ ...entry, support: ["a", "b", "c"] }] }] }).success).toBe(false);
    expect(cfvStepWireSchema(0).safeParse({ categories: [] }).success).toBe(true);
    const parsed = CfvStepSchema.parse({ categories: [category] });
    expect(parsed.categories[0]!.long[0]).toEqual({ valueId: null, name: "法式", factor: null, weight: 8, support: [] });
    const json = toJsonSchema(wire) as { properties: { categories: { items: { properties: { long: { items: { properties: object } } } } } } };
    expect(Object.keys(json.properties.categories.items.properties.long.items.properties).sort()).toEqual(["name", "support", "weight"]);
  });
});

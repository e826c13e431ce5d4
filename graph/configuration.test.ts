import { describe, expect, it } from "vitest";
import { z } from "zod";
import { unavailableReasonerIssues } from "./config-check.js";
import { ConfigurationSchema } from "../contracts/configuration.js";

/** Every numeric leaf of a JSON schema, by dotted path (record values as `<key>.*`). */
function numericLeaves(schema: Record<string, unknown>, prefix = ""): { path: string; maximum?: number; minimum?: number }[] {
  const type = schema.type;
  if (type === "number" || type === "integer") return [{ path: prefix, maximum: schema.maximum as number | undefined, minimum: (schema.minimum ?? schema.exclusiveMinimum) as number | undefined }];
  const out: { path: string; maximum?: number; minimum?: number }[] = [];
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    out.push(...numericLeaves(sub, prefix ? `${prefix}.${key}` : key));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    out.push(...numericLeaves(schema.additionalProperties as Record<string, unknown>, `${prefix}.*`));
  }
  if (schema.type === "array" && schema.items) out.push(...numericLeaves(schema.items as Record<string, unknown>, `${prefix}[]`));
  return out;
}

describe("ConfigurationSchema bounds", () => {
  it("bounds every numeric option on both sides", () => {
    const leaves = numericLeaves(z.toJSONSchema(ConfigurationSchema) as Record<string, unknown>);
    expect(leaves.length).toBeGreaterThan(20);
    const unbounded = leaves.filter((l) => l.maximum === undefined || l.minimum === undefined).map((l) => l.path);
    expect(unbounded).toEqual([]);
  });

  it("rejects the values that crashed runs, naming the field", () => {
    for (const field of ["trendWeeks", "recentOrderWeeks", "newItemDays", "newSellerDays"]) {
      const parsed = ConfigurationSchema.safeParse({ [field]: 1e9 });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].path).toEqual([field]);
    }
    expect(ConfigurationSchema.safeParse({ boosts: { trend: 1e300 } }).success).toBe(false);
    expect(ConfigurationSchema.safeParse({ uqWeights: { bias: -1e9 } }).success).toBe(false);
  });
});

describe("unavailableReasonerIssues", () => {
  it("names defaultReasoner or the role's field when llm is asked for and no model is configured", () => {
    const none = () => false;
    expect(unavailableReasonerIssues({ defaultReasoner: "llm" }, none).map((i) => i.path)).toEqual(["defaultReasoner"]);
    expect(unavailableReasonerIssues({ reasoner: { critic: "llm" } }, none).map((i) => i.path)).toEqual(["reasoner.critic"]);
    expect(unavailableReasonerIssues({ defaultReasoner: "llm", reasoner: { critic: "analytic" } }, none)[0].message).not.toContain("critic");
    expect(unavailableReasonerIssues({ defaultReasoner: "llm" }, () => true)).toEqual([]);
    expect(unavailableReasonerIssues({ defaultReasoner: "auto" }, none)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { CategoryRecord, EventRecord, ItemRecord } from "../contracts/records.js";
import { importSchema, normaliseDateTime, parentCycles } from "./import-rules.js";

describe("normaliseDateTime", () => {
  it("accepts a space for T and an offset without a colon", () => {
    expect(normaliseDateTime("2025-03-05 10:00:00+0800")).toBe("2025-03-05T10:00:00+08:00");
    expect(normaliseDateTime("2025-03-05T10:00+0800")).toBe("2025-03-05T10:00:00+08:00");
    expect(normaliseDateTime("2025-03-05 10:00:00Z")).toBe("2025-03-05T10:00:00Z");
  });

  it("leaves other shapes for the schema to report", () => {
    expect(normaliseDateTime("2025/03/05 10:00")).toBe("2025/03/05 10:00");
    expect(normaliseDateTime("2025-03-05")).toBe("2025-03-05");
  });
});

const item = { id: "i", title: "法式连衣裙", categoryId: "c", price: 1, moq: 1, launchedAt: "2025-03-05 10:00:00+0800", sellerId: "s" };

describe("importSchema", () => {
  it("normalises time fields before validation", () => {
    const parsed = importSchema(EventRecord).safeParse({ id: "e", userId: "u", type: "view", at: "2025-03-05 10:00:00-0500", itemId: "i" });
    expect(parsed.success && parsed.data.at).toBe("2025-03-05T10:00:00-05:00");
    expect(importSchema(ItemRecord).safeParse({ ...item, launchedAt: "05.03.2025" }).success).toBe(false);
  });

  it("reports a title of only spaces as blank", () => {
    const parsed = importSchema(ItemRecord).safeParse({ ...item, title: "   " });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toContain("title: blank");
  });

  it("treats valueIds: [] as no valueIds, so values are extracted from the title", () => {
    const parsed = importSchema(ItemRecord).parse({ ...item, valueIds: [] });
    expect(parsed.valueIds).toBeUndefined();
    expect(importSchema(ItemRecord).parse({ ...item, valueIds: ["v"] }).valueIds).toEqual(["v"]);
  });

  it("still validates everything else", () => {
    expect(importSchema(CategoryRecord).safeParse({ id: "c", name: "x", parentId: null, level: 9 }).success).toBe(false);
  });
});

describe("parentCycles", () => {
  it("reports a category that is its own parent and every member of a cycle", () => {
    const cycles = parentCycles(new Map<string, string | null>([["a", "a"], ["b", "c"], ["c", "b"], ["d", null], ["e", "d"], ["f", "b"]]));
    expect(cycles.get("a")).toBe("category a is its own parent");
    expect(cycles.get("b")).toBe("parent cycle b → c → b");
    expect(cycles.get("c")).toBe("parent cycle c → b → c");
    expect(cycles.has("d")).toBe(false);
    expect(cycles.has("e")).toBe(false);
    expect(cycles.has("f")).toBe(false);
  });
});

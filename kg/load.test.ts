import { describe, expect, it } from "vitest";
import type { CategoryRecord, ItemRecord, ValueRecord } from "../contracts/records.js";
import { itemRow, liftPairs, trendDocRow } from "./load.js";
import { createVocabularyTools } from "./vocab.js";

const values: ValueRecord[] = [
  { id: "v-fr", factor: "风格", name: "法式", aliases: [] },
  { id: "v-floral", factor: "图案", name: "碎花", aliases: ["小碎花"] },
  { id: "v-black", factor: "颜色", name: "黑色", aliases: [] },
  { id: "v-mk", factor: "IP", name: "魔童闹海", aliases: ["哪吒2"] },
];
const dress: CategoryRecord = { id: "c-dress", name: "连衣裙", noun: "连衣裙", parentId: null, level: 1, allows: ["风格", "图案", "颜色"] };
const cards: CategoryRecord = { id: "c-cards", name: "卡片", noun: "卡片", parentId: null, level: 1, allows: ["IP"] };
const tools = createVocabularyTools(values, [dress, cards]);

const item = (patch: Partial<ItemRecord>): ItemRecord => ({
  id: "i-1",
  title: "2025新款法式小碎花连衣裙女夏季黑色魔童闹海批发",
  categoryId: "c-dress",
  price: 45,
  moq: 2,
  priceTiers: [],
  launchedAt: "2025-01-01T00:00:00Z",
  sellerId: "s-1",
  ...patch,
});

describe("itemRow", () => {
  it("extracts values allowed by the category and builds the short title", () => {
    const row = itemRow(item({}), dress, tools, null);
    expect(row.valueIds).toEqual(["v-fr", "v-floral", "v-black"]);
    expect(row.shortTitle).toBe("法式碎花黑色连衣裙");
  });

  it("keeps given values and short title", () => {
    const row = itemRow(item({ valueIds: ["v-black"], shortTitle: "黑色裙" }), dress, tools, [0.1]);
    expect(row.valueIds).toEqual(["v-black"]);
    expect(row.shortTitle).toBe("黑色裙");
    expect(row.embedding).toEqual([0.1]);
  });
});

describe("trendDocRow", () => {
  it("weighs mentions by where they occur: title and text 1, title 2/3, text 1/3", () => {
    const row = trendDocRow(
      { id: "t", source: "xiaohongshu", title: "法式连衣裙穿搭", text: "法式小碎花，哪吒2 卡片", publishedAt: "2025-01-01T00:00:00Z" },
      tools,
    );
    const w = Object.fromEntries(row.valueMentions.map((m) => [m.id, m.weight]));
    expect(w).toEqual({ "v-fr": 1, "v-floral": 0.333, "v-mk": 0.333 });
    const c = Object.fromEntries(row.categoryMentions.map((m) => [m.id, m.weight]));
    expect(c).toEqual({ "c-dress": 0.667, "c-cards": 0.333 });
  });
});

describe("liftPairs", () => {
  it("computes lift = n(AB)·N / (n(A)·n(B)) in both directions, with support and lift thresholds", () => {
    const baskets = [
      new Set(["tops", "bottoms"]),
      new Set(["tops", "bottoms"]),
      new Set(["tops", "bottoms", "bags"]),
      new Set(["bags"]),
      new Set(["bags"]),
      new Set(["tops", "bags"]),
    ];
    const pairs = liftPairs(baskets, { minSupport: 2, minLift: 1 });
    expect(pairs).toEqual([
      { from: "bottoms", to: "tops", lift: 1.5, support: 3 },
      { from: "tops", to: "bottoms", lift: 1.5, support: 3 },
    ]);
    expect(liftPairs(baskets, { minSupport: 2, minLift: 1.6 })).toEqual([]);
    const loose = liftPairs(baskets, { minSupport: 1, minLift: 0 });
    expect(loose.find((p) => p.from === "bags" && p.to === "tops")).toEqual({ from: "bags", to: "tops", lift: 0.75, support: 2 });
  });
});

import { describe, expect, it } from "vitest";
import { readBio } from "./bio.js";
import { induceVocabulary, type InductionItem } from "./induce.js";
import { induceForImport } from "./import-step.js";
import { PRODUCT_TYPE_FACTOR } from "./records.js";
import type { CategoryRecord, ItemRecord } from "../../contracts/records.js";

const sample = readBio(new URL("./fixtures/dev-sample.bio", import.meta.url).pathname);

const dresses = [
  "2025新款法式小碎花连衣裙女夏季显瘦气质中长款雪纺裙子批发",
  "法式碎花连衣裙女夏季新款显瘦雪纺裙",
  "碎花连衣裙女夏法式复古显瘦包邮",
  "韩版纯棉碎花连衣裙女夏季宽松",
  "法式复古格子连衣裙女春秋款",
];
const rings = ["复古纯银戒指女小众设计批发", "韩版纯银戒指女开口可调包邮", "复古钛钢戒指男潮批发", "纯银戒指女简约新款"];
const items: InductionItem[] = [
  ...dresses.map((title, n) => ({ id: `d${n}`, title, categoryId: "c-dress" })),
  ...rings.map((title, n) => ({ id: `r${n}`, title, categoryId: "c-ring" })),
  ...sample.map((t, n) => ({ id: `s${n}`, title: t.text, categoryId: "c-other" })),
];

describe("induceVocabulary without embeddings (seeds and product heads only)", () => {
  it("turns product nouns into 品类词 values and category nouns, not style values", async () => {
    const r = await induceVocabulary(items);
    const byName = new Map(r.values.map((v) => [v.name, v]));
    expect(byName.get("连衣裙")?.factor).toBe(PRODUCT_TYPE_FACTOR);
    expect(byName.get("戒指")?.factor).toBe(PRODUCT_TYPE_FACTOR);
    expect(r.categoryNouns.get("c-dress")).toBe("连衣裙");
    expect(r.categoryNouns.get("c-ring")).toBe("戒指");
    expect(byName.get("法式")?.factor).toBe("风格");
    expect(byName.get("纯银")?.factor).toBe("材质");
  });

  it("records support, confidence and source on every value", async () => {
    const r = await induceVocabulary(items);
    const floral = r.values.find((v) => v.name === "碎花");
    expect(floral).toMatchObject({ factor: "图案", source: "induced", support: 4 });
    for (const v of r.values) {
      expect(v.support).toBeGreaterThanOrEqual(2);
      expect(v.confidence).toBeGreaterThan(0);
      expect(v.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("keeps marketing and logistics words out", async () => {
    const names = new Set((await induceVocabulary(items)).values.flatMap((v) => [v.name, ...v.aliases]));
    for (const noise of ["批发", "新款", "包邮", "2025"]) expect(names.has(noise)).toBe(false);
  });

  it("never re-induces a curated term", async () => {
    const r = await induceVocabulary(items, { curated: [{ id: "v-fr", factor: "风格", name: "法式", aliases: [] }] });
    expect(r.values.some((v) => v.name === "法式" || v.aliases.includes("法式"))).toBe(false);
  });

  it("derives allows from the factors a category's items use", async () => {
    const r = await induceVocabulary(items);
    expect(r.allows.get("c-dress")).toEqual(expect.arrayContaining(["风格", "图案", PRODUCT_TYPE_FACTOR]));
    expect(r.allows.get("c-ring")).toEqual(expect.arrayContaining(["材质"]));
  });

  it("folds an affixed spelling into one value with an alias, by embedding similarity too", async () => {
    const twin = (s: string) => (s === "小碎花" || s === "碎花" ? [1, 0, 0] : s === "格纹" || s === "格子" ? [0, 1, 0] : [0, 0, 1]);
    const withSmall = [...items, { id: "d9", title: "小碎花连衣裙女夏", categoryId: "c-dress" }, { id: "d10", title: "小碎花连衣裙女", categoryId: "c-dress" }];
    const r = await induceVocabulary(withSmall, { embed: async (texts) => texts.map(twin) });
    const floral = r.values.find((v) => v.name === "碎花");
    expect(floral?.aliases).toContain("小碎花");
    expect(r.values.some((v) => v.name === "小碎花")).toBe(false);
  });
});

describe("induceForImport", () => {
  const categories: Record<string, CategoryRecord> = {
    "c-dress": { id: "c-dress", name: "裙装", parentId: null, level: 1, allows: [] },
    "c-ring": { id: "c-ring", name: "饰品", parentId: null, level: 1, allows: ["材质"] },
    "c-other": { id: "c-other", name: "其他", parentId: null, level: 1, allows: [] },
  };
  const records: ItemRecord[] = items.map((i) => ({ ...i, price: 10, moq: 1, priceTiers: [], launchedAt: "2025-01-01T00:00:00Z", sellerId: "s" }));

  it("induces only for categories without vocabulary and builds short titles from values + the item's own noun", async () => {
    const r = await induceForImport({ items: records, categoryOf: (id) => categories[id], curated: [] });
    expect(r).not.toBeNull();
    expect(r?.categories.map((c) => c.id).sort()).toEqual(["c-dress", "c-other"]);
    expect(r?.shortTitles.get("d0")).toBe("法式碎花连衣裙");
    expect(r?.shortTitles.has("r0")).toBe(false);
    expect(r?.categories.find((c) => c.id === "c-dress")?.allows).toContain("图案");
  });

  it("does nothing when every category already has a vocabulary", async () => {
    const all = (id: string) => ({ ...categories[id], allows: ["风格"] });
    expect(await induceForImport({ items: records, categoryOf: all, curated: [] })).toBeNull();
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FACTOR_SEEDS } from "./lexicon.js";
import { PRODUCT_TYPE_FACTOR } from "./records.js";
import { segment } from "./segment.js";
import { induceTrendValues, type TrendTermDoc } from "./trend-terms.js";
import { generateWorld } from "../../world/generate.js";

const docs: TrendTermDoc[] = [
  { id: "d1", source: "xiaohongshu", title: "今年夏天马面裙真的火了", text: "实体店里马面裙一上架就卖空，多巴胺配色也很受欢迎" },
  { id: "d2", source: "worthbuy", title: "马面裙好价合集", text: "新中式马面裙低至五十元，多巴胺风格的也有" },
  { id: "d3", source: "taobao_hot", title: "热搜：马面裙 多巴胺", text: "马面裙 多巴胺 穿搭" },
  { id: "d4", source: "xiaohongshu", title: "多巴胺穿搭分享", text: "多巴胺色彩的马面裙太好看了" },
  { id: "n1", source: "xiaohongshu", title: "减肥食谱分享", text: "一周减肥食谱，简单好做" },
  { id: "n2", source: "worthbuy", title: "减肥食谱推荐", text: "减肥食谱合集，手机新品发布会也看了" },
  { id: "n3", source: "taobao_hot", title: "减肥食谱", text: "手机新品发布会 减肥食谱" },
  { id: "n4", source: "xiaohongshu", title: "碎花半身裙怎么搭", text: "碎花半身裙配小白鞋" },
];
const items = [
  ...["新中式马面裙女夏", "马面裙汉服日常", "刺绣马面裙半身裙", "马面裙女学生"].map((title, n) => ({ id: `m${n}`, title, categoryId: "c-skirt" })),
  ...["多巴胺连衣裙女夏", "多巴胺彩色t恤", "多巴胺撞色卫衣"].map((title, n) => ({ id: `p${n}`, title, categoryId: "c-top" })),
  ...["法式碎花半身裙", "碎花半身裙女"].map((title, n) => ({ id: `s${n}`, title, categoryId: "c-skirt" })),
];
const known = ["碎花", "半身裙", "连衣裙", "手机"];

/** A fake embedder: each factor's seeds on their own axis; 多巴胺 on the 风格 axis, anything else on none. */
const factors = Object.keys(FACTOR_SEEDS);
const axisOf = new Map<string, number>(Object.entries(FACTOR_SEEDS).flatMap(([f, terms]) => terms.map((t) => [t, factors.indexOf(f)] as [string, number])));
axisOf.set("多巴胺", factors.indexOf("风格"));
const embed = async (texts: string[]) =>
  texts.map((t) => Array.from({ length: factors.length + 1 }, (_, i) => (i === (axisOf.get(t) ?? factors.length) ? 1 : 0)));

describe("induceTrendValues", () => {
  it("turns a term named by enough documents of several sources and carried by offers into a trend value", async () => {
    const r = await induceTrendValues(docs, { known, items, embed });
    const byName = new Map(r.values.map((v) => [v.name, v]));
    const skirt = byName.get("马面裙");
    expect(skirt).toMatchObject({ factor: PRODUCT_TYPE_FACTOR, source: "trend", support: 4 });
    expect(skirt?.confidence).toBeGreaterThan(0);
    expect(skirt?.confidence).toBeLessThanOrEqual(1);
    expect(r.carriedBy.get(skirt!.id)).toEqual(["m0", "m1", "m2", "m3"]);
    expect(byName.get("多巴胺")).toMatchObject({ factor: "风格", source: "trend", support: 4 });
    expect(r.categoryFactors.get("c-top")).toEqual(["风格"]);
    expect(r.mentions.filter((m) => m.valueId === skirt!.id).map((m) => m.docId)).toEqual(["d1", "d2", "d3", "d4"]);
    expect(r.mentions.find((m) => m.valueId === skirt!.id && m.docId === "d4")?.weight).toBeCloseTo(1 / 3, 3);
  });

  it("lets no noise survive: terms no offer carries, known terms, and no character n-grams at all", async () => {
    const r = await induceTrendValues(docs, { known, items, embed });
    const names = r.values.map((v) => v.name);
    for (const noise of ["减肥食谱", "减肥", "食谱", "发布会", "花半身", "机新品发", "碎花", "半身裙"]) expect(names).not.toContain(noise);
    expect(r.rejected.find((x) => x.term === "食谱")?.reason).toMatch(/carried by 0 offer/);
    const considered = [...names, ...r.rejected.map((x) => x.term)];
    expect(considered).not.toContain("花半身");
    expect(considered).not.toContain("机新品发");
    const words = new Set(docs.flatMap((d) => segment(`${d.title} ${d.text}`).map((t) => t.word)));
    for (const term of considered) expect(words.has(term) || docs.some((d) => `${d.title}${d.text}`.includes(term))).toBe(true);
  });

  it("holds a term back below the bar: too few documents, one source, or no factor", async () => {
    const fewer = await induceTrendValues(docs.slice(0, 2), { known, items, embed });
    expect(fewer.values).toEqual([]);
    const oneSource = await induceTrendValues(docs.map((d) => ({ ...d, source: "xiaohongshu" })), { known, items, embed });
    expect(oneSource.values).toEqual([]);
    expect(oneSource.rejected.find((x) => x.term === "马面裙")?.reason).toMatch(/1 source/);
    const chatter = Array.from({ length: 16 }, (_, n) => ({ id: `c${n}`, source: n % 2 ? "worthbuy" : "xiaohongshu", title: "马面裙", text: "店里今天很忙" }));
    const filler = await induceTrendValues([...docs, ...chatter], { known, items, embed });
    expect(filler.rejected.find((x) => x.term === "马面裙")?.reason).toMatch(/20 of 24 documents: filler/);
    const noEmbed = await induceTrendValues(docs, { known, items });
    expect(noEmbed.values.map((v) => v.name)).toEqual(["马面裙"]);
    expect(noEmbed.rejected.find((x) => x.term === "多巴胺")?.reason).toMatch(/no factor/);
  });

  it("finds no noise term in the generated world's trend corpus", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chrysalis-trend-terms-"));
    try {
      await generateWorld({ preset: "tiny", outDir: dir });
      const read = (f: string) => readFileSync(join(dir, f), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      const corpus = read("trends.jsonl") as TrendTermDoc[];
      const worldItems = read("items.jsonl") as { id: string; title: string; categoryId: string }[];
      const vocabulary = [...read("values.jsonl").flatMap((v: { name: string; aliases?: string[] }) => [v.name, ...(v.aliases ?? [])]), ...read("categories.jsonl").flatMap((c: { name: string; noun?: string }) => [c.name, c.noun ?? c.name])];
      const r = await induceTrendValues(corpus, { known: vocabulary, items: worldItems });
      expect(r.rejected.length).toBeGreaterThan(0);
      for (const v of r.values) {
        expect(r.carriedBy.get(v.id)?.length).toBeGreaterThanOrEqual(3);
        for (const noise of ["减肥食谱", "手机新品发布", "高考志愿", "天气预报", "花半身", "机新品发"]) expect(noise.includes(v.name) || v.name.includes(noise)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { readBio } from "./bio.js";
import { catalogStats } from "./catalog-stats.js";
import { candidateSpans, productTypeSpans, productTypeWeights } from "./product-type.js";
import { segment } from "./segment.js";

const sample = readBio(new URL("./fixtures/dev-sample.bio", import.meta.url).pathname);
const types = (title: string) => productTypeSpans(segment(title)).map((s) => s.text);

describe("productTypeSpans", () => {
  it("finds head-final product nouns and joins a one-character head to the word before it", () => {
    expect(types("家用防尘厨房厨师帽子车间工厂鸭舌工作帽男女食堂餐厅食品卫生帽")).toEqual(expect.arrayContaining(["帽子", "工作帽"]));
    expect(types("法式小碎花连衣裙女夏季显瘦")).toEqual(["连衣裙"]);
    expect(types("简约韩版粗跟亲子鞋冬季百搭")).toContain("亲子鞋");
  });

  it("never calls an attribute or a noise word a product type", () => {
    const found = types("2025新款韩版纯棉黑色批发包邮");
    expect(found).not.toContain("纯棉");
    expect(found).not.toContain("黑色");
    expect(found).not.toContain("批发");
  });

  it("returns non-overlapping spans in title order whose text is the title's", () => {
    for (const t of sample) {
      const tokens = segment(t.text);
      const spans = productTypeSpans(tokens);
      const text = tokens.map((x) => x.word).join("");
      for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
      for (const s of spans) expect(s.text.length).toBe(s.end - s.start);
      expect(spans.every((s) => text.includes(s.text))).toBe(true);
    }
  });

  it("scores candidates from the catalog's statistics: a run jieba split is taken when the catalog repeats it", () => {
    const tokens = segment("宝宝仿藤轻便折叠婴儿推车夏季竹藤坐式竹腾椅手推车藤编");
    const joined = candidateSpans(tokens, catalogStats([])).find((c) => c.text === "竹腾椅");
    expect(joined?.features).toContain("ng:0");
    const often = catalogStats(Array.from({ length: 8 }, () => ({ title: "竹腾椅", tokens: segment("竹腾椅") })));
    expect(candidateSpans(tokens, often).find((c) => c.text === "竹腾椅")?.features).toContain("ng:4");
  });

  it("a higher threshold keeps fewer spans, all among the lower threshold's candidates", () => {
    const tokens = segment(sample[0].text);
    const loose = productTypeSpans(tokens, { threshold: 0.05 }).length;
    const strict = productTypeSpans(tokens, { threshold: 0.9 }).length;
    expect(loose).toBeGreaterThan(strict);
  });

  it("ships weights estimated on the train split only, with a threshold in (0, 1)", () => {
    const w = productTypeWeights();
    expect(w.trainedOn).toMatch(/^train\.bio/);
    expect(w.threshold).toBeGreaterThan(0);
    expect(w.threshold).toBeLessThan(1);
    expect(Object.keys(w.weights).some((f) => f.startsWith("L:"))).toBe(true);
    expect(Object.keys(w.weights).some((f) => f.startsWith("W:"))).toBe(false);
  });

  it("recalls most labelled product types of the real sample with the sample as the catalog", () => {
    const segmented = sample.map((t) => ({ title: t.text, tokens: segment(t.text) }));
    const stats = catalogStats(segmented);
    let gold = 0;
    let hit = 0;
    let predicted = 0;
    segmented.forEach(({ tokens }, n) => {
      const found = productTypeSpans(tokens, { stats }).map((s) => s.text);
      predicted += found.length;
      for (const s of sample[n].spans.filter((x) => x.type === "HCCX")) {
        gold++;
        if (found.includes(s.text.toLowerCase())) hit++;
      }
    });
    expect(hit / gold).toBeGreaterThan(0.6);
    expect(hit / predicted).toBeGreaterThan(0.5);
  });
});

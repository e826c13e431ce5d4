import { describe, expect, it } from "vitest";
import { readBio } from "./bio.js";
import { normaliseTitle, segment } from "./segment.js";

const sample = readBio(new URL("./fixtures/dev-sample.bio", import.meta.url).pathname);

describe("segment (jieba) on real titles", () => {
  it("loads the prebuilt segmenter and splits a title into words with offsets", () => {
    const tokens = segment("2025新款法式小碎花连衣裙女夏季显瘦批发");
    const words = tokens.map((t) => t.word);
    expect(words).toContain("连衣裙");
    expect(words).toContain("法式");
    for (const t of tokens) expect(normaliseTitle("2025新款法式小碎花连衣裙女夏季显瘦批发").slice(t.start, t.start + t.word.length)).toBe(t.word);
  });

  it("drops separators, HTML entities and the byte-order mark, and lower-cases", () => {
    expect(normaliseTitle("\uFEFFVIVITEK,丽讯/投影机灯泡&hellip")).toBe("vivitek 丽讯 投影机灯泡");
    expect(segment("蜡烛，生日 蛋糕").map((t) => t.word)).toEqual(["蜡烛", "生日", "蛋糕"]);
  });

  it("covers every character of the real sample titles except separators", () => {
    for (const t of sample) {
      const text = normaliseTitle(t.text);
      const joined = segment(t.text).map((x) => x.word).join("");
      expect(joined).toBe(text.replace(/\s+/g, ""));
    }
  });
});

describe("parseBio", () => {
  it("reads titles and labelled spans of the real sample", () => {
    expect(sample).toHaveLength(20);
    expect(sample[0].text).toBe("家用防尘厨房厨师帽子车间工厂鸭舌工作帽男女食堂餐厅食品卫生帽");
    expect(sample[0].spans.filter((s) => s.type === "HCCX").map((s) => s.text)).toEqual(["帽子", "工作帽", "卫生帽"]);
  });
});

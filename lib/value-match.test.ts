import { describe, expect, it } from "vitest";
import { buildCatalog, toValueRecord } from "../world/catalog.js";
import { buildVocabulary, extractValues, mentions, shortTitle } from "./value-match.js";

const catalog = buildCatalog();
const vocab = buildVocabulary(catalog.values.map(toValueRecord));
const names = (ids: string[]): string[] => ids.map((id) => vocab.byId.get(id)!.name);

describe("extractValues", () => {
  it("finds the values of a real 1688-style dress title", () => {
    const ids = extractValues("2025新款法式碎花连衣裙女夏季显瘦气质中长款雪纺裙子批发", vocab);
    expect(names(ids)).toEqual(["法式", "碎花", "夏季", "显瘦", "中长款", "雪纺"]);
  });

  it("maps an alias to its value and prefers the longest match", () => {
    expect(extractValues("小碎花半身裙", vocab)).toEqual(["v-pattern-floral"]);
    expect(extractValues("碎花半身裙", vocab)).toEqual(["v-pattern-floral"]);
    expect(extractValues("中长款风衣", vocab)).toEqual(["v-cut-midi"]);
    expect(extractValues("长款风衣", vocab)).toEqual(["v-cut-long"]);
    expect(extractValues("酒红色口红", vocab)).toEqual(["v-color-burgundy"]);
  });

  it("reports each value once, in order of first appearance", () => {
    expect(names(extractValues("哪吒2魔童闹海卡片炽影包五元包 哪吒", vocab))).toEqual(["魔童闹海", "炽影包", "五元包"]);
  });

  it("is case-insensitive for Latin terms but respects word boundaries", () => {
    expect(extractValues("labubu搪胶公仔", vocab)).toEqual(["v-ip-labubu"]);
    expect(extractValues("tpu透明手机壳", vocab)).toEqual(["v-material-tpu", "v-color-transparent"]);
    expect(extractValues("COMPUTER包", vocab)).toEqual([]);
  });

  it("ignores factors not allowed for the category", () => {
    const title = "魔童闹海雪纺连衣裙";
    expect(names(extractValues(title, vocab))).toEqual(["魔童闹海", "雪纺"]);
    expect(names(extractValues(title, vocab, ["风格", "材质"]))).toEqual(["雪纺"]);
  });
});

describe("shortTitle", () => {
  it("puts up to three key values before the noun in a fixed factor order", () => {
    const v = (id: string) => vocab.byId.get(id)!;
    expect(shortTitle("连衣裙", [v("v-pattern-floral"), v("v-season-summer"), v("v-style-french")])).toBe("法式碎花连衣裙");
    expect(shortTitle("卡片", [v("v-price-fivecny"), v("v-cut-blazing"), v("v-ip-nezha")])).toBe("魔童闹海炽影包卡片");
    expect(shortTitle("手机壳", [])).toBe("手机壳");
  });
});

describe("mentions", () => {
  it("finds values and categories (by name, noun or alias) in free text", () => {
    const cats = catalog.categories.map((c) => ({ ...c, aliases: catalog.categoryAliases.get(c.id) ?? [] }));
    const m = mentions("今年夏天满大街都是法式小碎花裙子，配一个蝴蝶结抓夹绝了", vocab, cats);
    expect(names(m.valueIds)).toEqual(["夏季", "法式", "碎花", "蝴蝶结"]);
    expect(m.categoryIds).toEqual(["c-dress", "c-hairclip"]);
  });
});

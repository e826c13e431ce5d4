import { describe, expect, it } from "vitest";
import type { Vocabulary } from "../../contracts/kg.js";
import { candidateTerms } from "./analytic.js";
import type { TrendDoc } from "../../contracts/trends.js";

const vocab: Vocabulary = { categories: [{ id: "c-skirt", name: "半身裙", noun: "半身裙", parentId: null, level: 2, allows: ["风格"] }], factors: ["风格"], values: [{ id: "v-french", factor: "风格", name: "法式" }] } as unknown as Vocabulary;
const doc = (id: string, source: string, text: string): TrendDoc => ({ id, source, title: "", text, publishedAt: "2025-05-01T00:00:00Z", valueIds: [], categoryIds: [], score: 1 });

describe("candidate trend terms", () => {
  const docs = [
    doc("d1", "xiaohongshu", "今年夏天流行碎花半身裙，美拉德配色很火"),
    doc("d2", "taobao_hot", "碎花半身裙 热搜，美拉德 上新"),
    doc("d3", "smzdm", "夏天 手机 新品 发布"),
    doc("d4", "google_trends", "夏天 手机 新品 发布 #多巴胺穿搭"),
    doc("d5", "xiaohongshu", "#多巴胺穿搭 夏天"),
  ];
  const terms = candidateTerms(docs, vocab).map((t) => t.term);
  it("yields whole words and hashtags shared by two sources", () => {
    expect(terms).toContain("碎花");
    expect(terms).toContain("多巴胺穿搭");
  });
  it("never yields character n-grams that cut words apart, or known names", () => {
    for (const t of terms) expect(["花半身", "机新品发", "花半", "半身裙", "新品发"]).not.toContain(t);
  });
  it("drops filler words found in more than half of the documents", () => {
    expect(terms).not.toContain("夏天");
  });
});

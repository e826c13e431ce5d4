import { describe, expect, it } from "vitest";
import { sampleResult } from "../../test/support/server.js";
import { cfvBars, chainGraph, itemsByQuery, portraitFields, trendRows } from "./view-model.js";

describe("buyer page view model", () => {
  const r = sampleResult("b1");

  it("draws one bar group per category and horizon, scaled to the group's maximum", () => {
    const groups = cfvBars(r.cfv);
    expect(groups.map((g) => g.title)).toEqual(["连衣裙 · long", "连衣裙 · recent", "连衣裙 · potential"]);
    expect(groups[0].bars).toEqual([
      { label: "法式", value: 9, hint: "风格" },
      { label: "碎花", value: 8, hint: "图案" },
    ]);
    expect(groups[0].max).toBe(9);
  });

  it("falls back to any nested name/weight arrays or number maps", () => {
    const groups = cfvBars({ 外套: { recent: [{ name: "格纹", weight: 3 }] }, extra: { a: 1, b: 2 } });
    expect(groups.map((g) => [g.title, g.bars.map((b) => b.label)])).toEqual([
      ["外套 · recent", ["格纹"]],
      ["extra", ["a", "b"]],
    ]);
  });

  it("lists trend evidence strongest first with sources and document ids", () => {
    const rows = trendRows(r.trends);
    expect(rows.map((t) => t.title)).toEqual(["亚麻", "泡泡袖"]);
    expect(rows[0]).toMatchObject({ weight: 0.8, sources: ["xiaohongshu", "taobao_hot"], refs: ["d1", "d2"] });
    expect(trendRows([{ term: "亚麻", weight: 1, sources: ["xiaohongshu"], docIds: ["d1"], docs: [{ id: "d1", source: "xiaohongshu", title: "夏天的亚麻裙" }] }])[0].refs).toEqual([
      "xiaohongshu: 夏天的亚麻裙",
    ]);
    expect(trendRows([{ id: "d9", title: "夏日穿搭", source: "xiaohongshu", url: "https://example.org/n/1", score: 2 }])[0]).toMatchObject({
      title: "夏日穿搭",
      sources: ["xiaohongshu"],
      refs: ["d9"],
      url: "https://example.org/n/1",
    });
  });

  it("flattens the portrait and puts the reasons last", () => {
    const fields = portraitFields(r.portrait);
    expect(fields[0]).toEqual({ label: "mainCategories", text: "连衣裙 75%, 半身裙 25%" });
    expect(fields.find((f) => f.label === "profile · identity")?.text).toBe("实体女装店");
    expect(fields.at(-1)?.label).toBe("reasons");
  });

  it("groups items under every query that retrieved them, in rank order", () => {
    expect(itemsByQuery(r).map((g) => [g.query.id, g.items.map((i) => i.itemId)])).toEqual([
      ["q1", ["i-100", "i-300"]],
      ["q2", ["i-200", "i-300"]],
    ]);
  });

  it("lays the chains out in columns that end with the items and keeps shared links once", () => {
    const g = chainGraph(r);
    const byKey = new Map(g.nodes.map((n) => [n.key, n]));
    const itemCols = new Set(g.nodes.filter((n) => n.kind === "item").map((n) => n.column));
    expect(itemCols).toEqual(new Set([g.columns.length - 1]));
    expect(g.columns.at(-1)).toBe("item");
    expect(g.nodes.filter((n) => n.key === "cfv:cfv:long:c-dress:v-french")).toHaveLength(1);
    expect(g.edges).toContainEqual({ from: "query:q1", to: "item:i-300" });
    for (const e of g.edges) expect((byKey.get(e.from)?.column ?? 0) < (byKey.get(e.to)?.column ?? 0)).toBe(true);
  });
});

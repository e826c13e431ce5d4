import { describe, expect, it } from "vitest";
import { barPanelsSvg, escapeXml, niceMax, scatterSvg } from "./svg.js";
import { markdownTable, metricKeys, textTable, type SystemMetrics } from "./markdown.js";

const systems: SystemMetrics[] = [
  { name: "system", kind: "system", metrics: [{ key: "recall@50", score: 0.2, comment: "" }, { key: "discovery_recall", score: 0.31, comment: "" }] },
  { name: "cocoon", kind: "baseline", metrics: [{ key: "recall@50", score: 0.26, comment: "" }, { key: "latency_p50_ms", score: 1234.4, comment: "" }] },
];

describe("svg", () => {
  it("niceMax rounds up to 1, 2, 2.5 or 5 × 10^k", () => {
    expect(niceMax(0.31)).toBeCloseTo(0.5);
    expect(niceMax(0.2)).toBeCloseTo(0.2);
    expect(niceMax(23)).toBe(25);
    expect(niceMax(0)).toBe(1);
  });
  it("escapes markup in labels", () => {
    expect(escapeXml(`a<b & "c">`)).toBe("a&lt;b &amp; &quot;c&quot;&gt;");
  });
  it("the scatter places one labelled point per system inside the plot", () => {
    const svg = scatterSvg([{ label: "system", x: 0.2, y: 0.3 }, { label: "cocoon<x>", x: 0.26, y: 0.13 }], { title: "t", xLabel: "x", yLabel: "y" });
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain("cocoon&lt;x&gt;");
    const cx = [...svg.matchAll(/cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    for (const x of cx) expect(x).toBeGreaterThanOrEqual(70);
  });
  it("bar panels draw one bar per system per metric, with heights proportional to values", () => {
    const svg = barPanelsSvg([{ metric: "m", bars: [{ label: "a", value: 1 }, { label: "b", value: 0.5 }] }], { title: "t" });
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[0] / heights[1]).toBeCloseTo(2, 1);
  });
});

describe("tables", () => {
  it("lists every metric once, with a dash where a system lacks it", () => {
    expect(metricKeys(systems)).toEqual(["recall@50", "discovery_recall", "latency_p50_ms"]);
    const md = markdownTable(systems);
    expect(md.split("\n")[0]).toBe("| metric | system | cocoon |");
    expect(md).toContain("| discovery_recall | 0.310 | — |");
    expect(md).toContain("| latency_p50_ms | — | 1234 |");
    expect(textTable(systems).split("\n")).toHaveLength(2 + 3);
  });
});

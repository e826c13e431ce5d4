import { describe, expect, it } from "vitest";
import { checkGate, missionChecks, oracleGapClosed } from "./gate.js";
import type { SystemMetrics } from "./report/markdown.js";

const sys = (name: string, m: Record<string, number>): SystemMetrics => ({
  name,
  kind: "system",
  metrics: Object.entries(m).map(([key, score]) => ({ key, score, comment: "" })),
});

describe("gate", () => {
  it("fails a metric below its min, above its max, or missing", () => {
    const systems = [sys("system", { a: 0.5, b: 0.9 })];
    const f = checkGate("s", systems, { s: { system: { a: { min: 0.6 }, b: { max: 0.8 }, c: { min: 0 } } } });
    expect(f.map((x) => x.metric)).toEqual(["a", "b", "c"]);
    expect(checkGate("s", systems, { s: { system: { a: { min: 0.4 }, b: { min: 0.9, max: 1 } } } })).toEqual([]);
  });
  it("mission checks compare the system with the cocoon", () => {
    const r = missionChecks([sys("system", { discovery_recall: 0.3, "recall@50": 0.27 }), sys("cocoon", { discovery_recall: 0.1, "recall@50": 0.31 })]);
    expect(r.map((x) => x.ok)).toEqual([false, true]);
    const level = missionChecks([sys("system", { discovery_recall: 0.12, "recall@50": 0.31 }), sys("cocoon", { discovery_recall: 0.1, "recall@50": 0.31 })]);
    expect(level.map((x) => x.ok)).toEqual([true, false]);
  });
  it("mission checks the critic's cut of raw hallucinations when there were any", () => {
    const base = { discovery_recall: 0.3, "recall@50": 0.4 };
    const cocoon = sys("cocoon", { discovery_recall: 0.1, "recall@50": 0.31 });
    expect(missionChecks([sys("system", { ...base, hallucination_rate_raw: 0.2, hallucination_reduction: 0.5 }), cocoon]).map((x) => x.ok)).toEqual([true, true, false]);
    expect(missionChecks([sys("system", { ...base, hallucination_rate_raw: 0.2, hallucination_reduction: 0.9 }), cocoon]).map((x) => x.ok)).toEqual([true, true, true]);
    expect(missionChecks([sys("system", { ...base, hallucination_rate_raw: 0, hallucination_reduction: 1 }), cocoon])).toHaveLength(2);
    expect(missionChecks([sys("system", { ...base, hallucination_rate_raw: 1, hallucination_reduction: Number.NaN }), cocoon]).map((x) => x.ok)).toEqual([true, true, false]);
  });
  it("reports the share of the cocoon-to-oracle gap closed", () => {
    const systems = [sys("system", { m: 0.4 }), sys("cocoon", { m: 0.3 }), sys("oracle", { m: 0.7 })];
    expect(oracleGapClosed(systems, "m")).toBeCloseTo(0.25);
    expect(oracleGapClosed(systems.slice(0, 2), "m")).toBeUndefined();
  });
});

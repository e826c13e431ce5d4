/**
 * Report tables: a metric × system matrix as Markdown (report.md) and as fixed-width text (the
 * summary printed at the end of a run).
 */
import type { EvalResult } from "../metrics/types.js";

export interface SystemMetrics {
  name: string;
  kind: "system" | "baseline" | "ablation" | "component" | "oracle";
  metrics: EvalResult[];
}

export function formatScore(x: number | undefined): string {
  if (x === undefined) return "—";
  if (!Number.isFinite(x)) return "n/a";
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(3);
}

/** Metric keys in first-seen order over all systems. */
export function metricKeys(systems: readonly SystemMetrics[]): string[] {
  const keys: string[] = [];
  for (const s of systems) for (const m of s.metrics) if (!keys.includes(m.key)) keys.push(m.key);
  return keys;
}

function score(s: SystemMetrics, key: string): number | undefined {
  return s.metrics.find((m) => m.key === key)?.score;
}

export function markdownTable(systems: readonly SystemMetrics[]): string {
  const keys = metricKeys(systems);
  const head = `| metric | ${systems.map((s) => s.name).join(" | ")} |`;
  const sep = `|---|${systems.map(() => "---:").join("|")}|`;
  const rows = keys.map((k) => `| ${k} | ${systems.map((s) => formatScore(score(s, k))).join(" | ")} |`);
  return [head, sep, ...rows].join("\n");
}

export function textTable(systems: readonly SystemMetrics[]): string {
  const keys = metricKeys(systems);
  const cells = [["metric", ...systems.map((s) => s.name)], ...keys.map((k) => [k, ...systems.map((s) => formatScore(score(s, k)))])];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return cells.map((r, i) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  ") + (i === 0 ? "\n" + widths.map((w) => "-".repeat(w)).join("  ") : "")).join("\n");
}

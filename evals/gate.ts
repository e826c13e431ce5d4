/**
 * The CI gate: thresholds per set and system (`evals/thresholds.json`), checked against measured
 * metrics. A metric below its `min` (or above its `max`) fails the gate; a missing metric fails too.
 */
import { z } from "zod";
import type { SystemMetrics } from "./report/markdown.js";

export const Bound = z.object({ min: z.number().optional(), max: z.number().optional(), note: z.string().optional() });
export const Thresholds = z.record(z.string(), z.record(z.string(), z.record(z.string(), Bound)));
export type Thresholds = z.infer<typeof Thresholds>;

export interface GateFailure {
  set: string;
  system: string;
  metric: string;
  value: number | undefined;
  bound: z.infer<typeof Bound>;
}

export function checkGate(set: string, systems: readonly SystemMetrics[], thresholds: Thresholds): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const [system, bounds] of Object.entries(thresholds[set] ?? {})) {
    const s = systems.find((x) => x.name === system);
    for (const [metric, bound] of Object.entries(bounds)) {
      const value = s?.metrics.find((m) => m.key === metric)?.score;
      const bad =
        value === undefined ||
        !Number.isFinite(value) ||
        (bound.min !== undefined && value < bound.min) ||
        (bound.max !== undefined && value > bound.max);
      if (bad) failures.push({ set, system, metric, value, bound });
    }
  }
  return failures;
}

export function describeFailure(f: GateFailure): string {
  const want = [f.bound.min !== undefined ? `≥ ${f.bound.min}` : "", f.bound.max !== undefined ? `≤ ${f.bound.max}` : ""].filter(Boolean).join(" and ");
  return `${f.set} / ${f.system} / ${f.metric} = ${f.value === undefined ? "missing" : f.value.toFixed(4)}, want ${want}`;
}

/** The mission's relative targets on users-ci: discovery above the cocoon, Recall@50 ≥ 90% of it. */
export function missionChecks(systems: readonly SystemMetrics[], system = "system"): { check: string; ok: boolean; detail: string }[] {
  const get = (name: string, key: string) => systems.find((s) => s.name === name)?.metrics.find((m) => m.key === key)?.score;
  const sd = get(system, "discovery_recall");
  const cd = get("cocoon", "discovery_recall");
  const sr = get(system, "recall@50");
  const cr = get("cocoon", "recall@50");
  if (sd === undefined || cd === undefined || sr === undefined || cr === undefined) return [];
  return [
    { check: "discovery recall above the cocoon's", ok: sd > cd, detail: `${sd.toFixed(3)} vs ${cd.toFixed(3)}` },
    { check: "Recall@50 at least 90% of the cocoon's", ok: sr >= 0.9 * cr, detail: `${sr.toFixed(3)} vs 0.9 × ${cr.toFixed(3)} = ${(0.9 * cr).toFixed(3)}` },
  ];
}

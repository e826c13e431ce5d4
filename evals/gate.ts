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

/** The mission's relative goals on users-ci (issue 11): Recall@50 at least the cocoon's, discovery recall ≥ 1.3 × the cocoon's. */
export const MISSION = { recallVsCocoon: 1, discoveryVsCocoon: 1.3, hallucinationReduction: 0.8 } as const;

/**
 * The mission checks on users-ci: the system against the cocoon on relevance and discovery, and
 * the critic loop's cut of raw-candidate hallucinations (unless there were none before; a cut that
 * could not be measured fails).
 * A gated run (`npm run eval:ci`) exits 1 when one fails.
 */
export function missionChecks(systems: readonly SystemMetrics[], system = "system"): { check: string; ok: boolean; detail: string }[] {
  const get = (name: string, key: string) => systems.find((s) => s.name === name)?.metrics.find((m) => m.key === key)?.score;
  const sd = get(system, "discovery_recall");
  const cd = get("cocoon", "discovery_recall");
  const sr = get(system, "recall@50");
  const cr = get("cocoon", "recall@50");
  if (sd === undefined || cd === undefined || sr === undefined || cr === undefined) return [];
  const out = [
    { check: `Recall@50 at least ${MISSION.recallVsCocoon} × the cocoon's`, ok: sr >= MISSION.recallVsCocoon * cr, detail: `${sr.toFixed(3)} vs ${(MISSION.recallVsCocoon * cr).toFixed(3)}` },
    { check: `discovery recall at least ${MISSION.discoveryVsCocoon} × the cocoon's`, ok: sd >= MISSION.discoveryVsCocoon * cd, detail: `${sd.toFixed(3)} vs ${MISSION.discoveryVsCocoon} × ${cd.toFixed(3)} = ${(MISSION.discoveryVsCocoon * cd).toFixed(3)}` },
  ];
  const raw = get(system, "hallucination_rate_raw");
  const cut = get(system, "hallucination_reduction");
  if (raw !== undefined && cut !== undefined && raw !== 0) {
    const detail = Number.isNaN(cut) ? "not measurable (no raw candidates or no final queries)" : `raw ${raw.toFixed(3)}, cut ${(cut * 100).toFixed(1)}%`;
    out.push({ check: `critic loop cuts raw-candidate hallucinations by at least ${MISSION.hallucinationReduction * 100}%`, ok: cut >= MISSION.hallucinationReduction, detail });
  }
  return out;
}

/** Share of the cocoon-to-oracle gap a system closes on a metric: (system − cocoon) / (oracle − cocoon). */
export function oracleGapClosed(systems: readonly SystemMetrics[], key: string, system = "system"): number | undefined {
  const get = (name: string) => systems.find((s) => s.name === name)?.metrics.find((m) => m.key === key)?.score;
  const s = get(system);
  const c = get("cocoon");
  const o = get("oracle");
  if (s === undefined || c === undefined || o === undefined || o === c) return undefined;
  return (s - c) / (o - c);
}

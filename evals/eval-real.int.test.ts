/**
 * `npm run eval -- --set users-real` on its first buyers, against the real eval Neo4j (its own
 * slot for the real-catalog world) and the real embedding server: the world over real Taobao
 * offers is rebuilt from ../shared/data and checksum-checked, and the system returns non-empty
 * lists of that world's offers for every buyer, through final queries that all pass the critic
 * and the catalog judge (grounded: leaf category, allowed induced values, ≥ 3 offers carrying them).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runEvaluation } from "./run.js";
import type { BuyerRunRecord } from "./runner/system.js";

describe("users-real evaluation", () => {
  it("runs the system on a real catalog and gets grounded, non-empty lists", async () => {
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), "eval-real-"));
    try {
      const outcome = await runEvaluation({ sets: ["users-real"], buyers: 3, reportsDir, progress: false }, () => {});
      const set = outcome.sets.find((s) => s.set === "users-real")!;
      expect(set.header.preset).toBe("real-taobao");
      expect(set.systems.map((s) => s.name)).toEqual(["system", "cocoon", "popularity", "oracle"]);
      const system = new Map(set.systems[0].metrics.map((m) => [m.key, m.score]));
      expect(system.get("errors")).toBe(0);
      expect(system.get("json_validity")).toBe(1);
      expect(system.get("hallucination_rate")).toBe(0);
      expect(system.get("category_width")).toBeGreaterThanOrEqual(1);
      const runs = fs
        .readFileSync(path.join(outcome.reportDir, "runs.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as BuyerRunRecord);
      expect(runs).toHaveLength(3);
      for (const r of runs) {
        expect(r.finalQueries, r.userId).toBeGreaterThan(0);
        expect(r.items, r.userId).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(reportsDir, { recursive: true, force: true });
    }
  }, 900_000);
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CI_OPTIONS, runEvaluation } from "./run.js";
import { describeFailure } from "./gate.js";

describe("eval:ci gate", () => {
  it("runs every golden set on the real KG and meets evals/thresholds.json", async () => {
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), "eval-ci-"));
    const outcome = await runEvaluation({ ...CI_OPTIONS, reportsDir, progress: false }, () => {});
    expect(outcome.failures.map(describeFailure)).toEqual([]);
    expect(outcome.sets.map((s) => s.set).sort()).toEqual(["critic", "trends", "uq", "users-ci"]);
    const report = JSON.parse(fs.readFileSync(path.join(outcome.reportDir, "report.json"), "utf8"));
    expect(report.sets).toHaveLength(4);
    for (const s of outcome.sets) for (const c of s.charts) expect(fs.readFileSync(path.join(outcome.reportDir, c), "utf8")).toMatch(/^<svg /);
    const users = outcome.sets.find((s) => s.set === "users-ci")!;
    expect(users.systems.map((s) => s.name)).toEqual(["system", "cocoon", "popularity", "oracle"]);
  }, 900_000);
});

/**
 * Writes an induction's reviewable files in the import format of `kg/IMPORT.md`: `values.jsonl`
 * (with `source`, `support`, `confidence`), `factors.jsonl`, `categories.jsonl` (the categories
 * with their induced `allows` and noun) and `noise.txt` (terms dropped as measured noise). A person
 * edits them (delete a line, move an alias, set `source` to `curated`) and re-imports them with
 * `kg:import`; curated values win over induced ones. Trend induction writes `trend-values.jsonl`
 * and `trend-rejected.jsonl` (each rejected term with its reason) the same way.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CategoryRecord } from "../../contracts/records.js";
import type { ValueWithProvenance } from "./records.js";

const jsonl = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : "");

export function writeInductionFiles(
  dir: string,
  induction: { values: readonly ValueWithProvenance[]; factors: readonly string[]; categories: readonly CategoryRecord[]; measuredNoise: readonly string[] },
): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    "values.jsonl": jsonl([...induction.values].sort((a, b) => a.factor.localeCompare(b.factor) || (b.support ?? 0) - (a.support ?? 0))),
    "factors.jsonl": jsonl(induction.factors.map((name) => ({ name }))),
    "categories.jsonl": jsonl(induction.categories),
    "noise.txt": induction.measuredNoise.join("\n") + "\n",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files).map((name) => join(dir, name));
}

/** Writes a trend induction for review: `trend-values.jsonl` (the new values) and `trend-rejected.jsonl` (terms and why). */
export function writeTrendInductionFiles(
  dir: string,
  induction: { values: readonly ValueWithProvenance[]; rejected: readonly { term: string; docs: number; sources: number; reason: string }[] },
): string[] {
  mkdirSync(dir, { recursive: true });
  const files = { "trend-values.jsonl": jsonl(induction.values), "trend-rejected.jsonl": jsonl(induction.rejected) };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files).map((name) => join(dir, name));
}

/**
 * The README is part of the product: its configuration table must be the one the code exports,
 * and every npm script it names must exist.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_ENV_VARS, envTable } from "../scripts/env-table.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };

describe("README", () => {
  it("carries exactly the configuration table generated from the registry", () => {
    const lines = readme.split("\n");
    const start = lines.indexOf("| variable | default | meaning |");
    expect(start, "the README has a configuration table").toBeGreaterThanOrEqual(0);
    let end = start;
    while (end < lines.length && lines[end]!.startsWith("|")) end++;
    expect(lines.slice(start, end).join("\n")).toBe(envTable());
  });

  it("documents every environment variable the configuration modules read", () => {
    for (const v of ALL_ENV_VARS) expect(readme, v.name).toContain(`\`${v.name}\``);
  });

  it("gives the two set-up commands", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });

  it("names only npm scripts that exist", () => {
    const named = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    for (const name of named) expect(Object.keys(pkg.scripts), name).toContain(name);
  });
});

/**
 * Every environment variable production code reads is in the registry `lib/env.ts`: the source
 * files are scanned for `process.env.X`, `env.X` and `env["X"]` reads, and each name must be
 * registered (or be a per-role `LLM_MODEL_<ROLE>`). Also checks the registry's own invariants.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENV_GROUPS, ENV_REGISTRY, envVarDocs, formatCliHelp, parseEnvGroup, roleModelEnvVar } from "../lib/env.js";
import { REASONING_ROLES } from "../contracts/steps.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIPPED_DIRS = new Set(["node_modules", "test", ".data", ".venv", ".git", "dist", "target"]);

/** Production TypeScript files: not tests, not under `test/`, not dependencies. */
function productionFiles(dir: string = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) files.push(...productionFiles(path.join(dir, entry.name)));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) {
      files.push(path.join(dir, entry.name));
    }
  }
  return files;
}

/** The environment variable names a source text reads by literal name. */
function envReads(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\benv\[\s*["'`]([A-Z][A-Z0-9_]*)["'`]\s*\]/g)) names.add(m[1]!);
  return [...names];
}

const roleVars = new Set(REASONING_ROLES.map(roleModelEnvVar));
const isRegistered = (name: string) => name in ENV_REGISTRY || roleVars.has(name);

describe("environment registry", () => {
  it("finds reads of every form the scan knows", () => {
    const src = 'const a = process.env.FOO_BAR; const b = env.BAZ; const c = opts.env["QUX_1"]; const d = env.lower; const e = someenv.NOPE;';
    expect(envReads(src).sort()).toEqual(["BAZ", "FOO_BAR", "QUX_1"]);
  });

  it("scans the production sources, including the configuration modules", () => {
    const files = productionFiles().map((f) => path.relative(ROOT, f));
    expect(files).toContain("world/loaded.ts");
    expect(files).toContain("tools/web-search.ts");
    expect(files.some((f) => f.endsWith(".test.ts"))).toBe(false);
  });

  it("holds every variable production code reads", () => {
    const missing: string[] = [];
    for (const file of productionFiles()) {
      for (const name of envReads(readFileSync(file, "utf8"))) {
        if (!isRegistered(name)) missing.push(`${path.relative(ROOT, file)}: ${name}`);
      }
    }
    expect(missing, "variables read but not declared in lib/env.ts").toEqual([]);
  });

  it("keeps lib/env.ts in the lowest layer: it imports only zod and node built-ins", () => {
    const source = readFileSync(path.join(ROOT, "lib", "env.ts"), "utf8");
    const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
    expect(imports).toContain("zod");
    for (const spec of imports) expect(spec === "zod" || spec.startsWith("node:"), spec).toBe(true);
  });

  it("documents each variable with a meaning and a default text", () => {
    for (const [name, v] of Object.entries(ENV_REGISTRY)) {
      expect(name, name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(v.meaning.length, name).toBeGreaterThan(10);
      expect(v.default.length, name).toBeGreaterThan(0);
      expect(ENV_GROUPS, name).toContain(v.group);
    }
  });

  it("parses an empty environment in every group (every default is valid)", () => {
    for (const g of ENV_GROUPS) expect(parseEnvGroup(g, {}).success, g).toBe(true);
  });

  it("names the bad variable in a failed parse", () => {
    const parsed = parseEnvGroup("eval", { EVAL_NEO4J_PORT: "not-a-port" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["EVAL_NEO4J_PORT"]);
  });

  it("lists one row per role for LLM_MODEL_<ROLE> when given the roles, else a template row", () => {
    const withRoles = envVarDocs(["llm"], REASONING_ROLES).map((r) => r.name);
    for (const role of REASONING_ROLES) expect(withRoles).toContain(roleModelEnvVar(role));
    expect(withRoles.indexOf("LLM_MODEL_COMPRESSOR")).toBe(withRoles.indexOf("LLM_MODEL") + 1);
    expect(envVarDocs(["llm"]).map((r) => r.name)).toContain("LLM_MODEL_<ROLE>");
  });

  it("formats a --help text with the usage and only the asked groups", () => {
    const help = formatCliHelp("usage: npm run eval -- [--set <name>]", ["eval", "tools"]);
    expect(help.startsWith("usage: npm run eval")).toBe(true);
    expect(help).toContain("EVAL_NEO4J_PORT");
    expect(help).toContain("default: 7711");
    expect(help).toContain("TAVILY_API_KEY");
    expect(help).not.toContain("NEO4J_HEAP");
  });
});

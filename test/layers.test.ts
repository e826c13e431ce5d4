/**
 * The layer rule of ARCHITECTURE.md, enforced: production code imports only from its own layer or
 * the layers below it (contracts ← lib ← services / db ← kg / llm / prompts ← tools / world ← reasoners
 * ← nodes ← graph ← server / evals / scripts), never from `test/`, and no two modules import each
 * other, directly or through others (no cycles, type-only imports included). Tests (`*.test.ts`),
 * `test/` and the benchmark scripts (`scripts/bench-*.ts`) may import anything.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Rank of each top-level folder: a module may import from folders of equal or lower rank. */
export const LAYERS: Record<string, number> = {
  contracts: 0,
  lib: 1,
  services: 2,
  db: 2,
  kg: 3,
  llm: 3,
  prompts: 3,
  tools: 4,
  world: 4,
  reasoners: 5,
  nodes: 6,
  graph: 7,
  server: 8,
  evals: 8,
  scripts: 8,
  test: 9,
};

const SKIP = new Set(["node_modules", ".data", ".git", ".venv", "target", "reports", ".langgraph_api"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const SPEC = /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Relative imports of a source text (static, re-exports and dynamic), comments removed. */
export function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(SPEC)].map((m) => m[1] ?? m[2]);
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(c)) return c;
  }
  return null;
}

/** Tests, test support and benchmark scripts (which drive the server with test fakes) may import anything. */
const isTest = (rel: string) => /\.test\.tsx?$/.test(rel) || rel.startsWith("test/") || rel.startsWith("scripts/bench-");
const layerOf = (rel: string) => (rel.includes("/") ? rel.split("/")[0] : ".");

/** Import edges between project files (relative paths). */
export function importGraph(root: string = ROOT): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const rel = path.relative(root, file);
    const deps: string[] = [];
    for (const spec of relativeImports(fs.readFileSync(file, "utf8"))) {
      const target = resolve(file, spec);
      if (target) deps.push(path.relative(root, target));
    }
    graph.set(rel, deps);
  }
  return graph;
}

/** Imports against the layer order, as `from -> to` lines. */
export function upwardImports(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, deps] of graph) {
    if (isTest(from)) continue;
    const mine = LAYERS[layerOf(from)];
    for (const to of deps) {
      const theirs = LAYERS[layerOf(to)];
      if (mine === undefined || theirs === undefined) {
        if (layerOf(from) !== layerOf(to)) out.push(`${from} -> ${to} (folder without a layer)`);
      } else if (theirs > mine) out.push(`${from} -> ${to}`);
    }
  }
  return out.sort();
}

/** Import cycles among non-test files (strongly connected components of more than one file, or a self-import). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const nodes = [...graph.keys()].filter((f) => !isTest(f));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (isTest(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return cycles;
}

/** Folder-level edges that go both ways between two folders of the same layer. */
export function folderCycles(graph: Map<string, string[]>): string[] {
  const edges = new Set<string>();
  for (const [from, deps] of graph) {
    if (isTest(from)) continue;
    for (const to of deps) if (layerOf(from) !== layerOf(to) && !isTest(to)) edges.add(`${layerOf(from)}>${layerOf(to)}`);
  }
  return [...edges].filter((e) => e < e.split(">").reverse().join(">") && edges.has(e.split(">").reverse().join(">"))).sort();
}

describe("layers", () => {
  const graph = importGraph();

  it("finds the project's modules and their imports", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("graph/builder.ts")).toContain("nodes/load-context.ts");
  });

  it("has no import against the layer order", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it("has no import cycle between files or between folders", () => {
    expect(importCycles(graph)).toEqual([]);
    expect(folderCycles(graph)).toEqual([]);
  });

  it("puts every production folder in a layer", () => {
    const folders = new Set([...graph.keys()].filter((f) => f.includes("/")).map(layerOf));
    for (const f of folders) expect(LAYERS, f).toHaveProperty(f);
  });

  it("detects an upward import, a cycle and a folder cycle", () => {
    const bad = new Map<string, string[]>([
      ["contracts/a.ts", ["nodes/b.ts"]],
      ["nodes/b.ts", ["contracts/a.ts"]],
      ["kg/c.ts", ["llm/d.ts"]],
      ["llm/d.ts", ["kg/e.ts"]],
      ["kg/e.ts", []],
      ["nodes/x.test.ts", ["test/support/server.ts"]],
    ]);
    expect(upwardImports(bad)).toEqual(["contracts/a.ts -> nodes/b.ts"]);
    expect(importCycles(bad)).toEqual([["contracts/a.ts", "nodes/b.ts"]]);
    expect(folderCycles(bad)).toEqual(["contracts>nodes", "kg>llm"]);
  });

  it("reads static, re-exported, type-only and dynamic imports, not commented ones", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'export { c } from "./c.js";',
      "const d = await import(\"./d.js\");",
      '// import { e } from "./e.js";',
      'import x from "zod";',
    ].join("\n");
    expect(relativeImports(text)).toEqual(["./a.js", "../b.js", "./c.js", "./d.js"]);
  });
});

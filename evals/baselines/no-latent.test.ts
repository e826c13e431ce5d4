import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const EVALS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function importsOf(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  return [...src.matchAll(/(?:import|export)[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
}

/** Every module reachable from `entry` through relative imports. */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of importsOf(f)) {
      if (!spec.startsWith(".")) continue;
      const ts = path.resolve(path.dirname(f), spec).replace(/\.js$/, ".ts");
      if (fs.existsSync(ts)) stack.push(ts);
    }
  }
  return seen;
}

describe("baselines are blind to latent truth", () => {
  const entries = ["baselines/cocoon.ts", "baselines/popularity.ts", "baselines/history-index.ts", "world-data.ts"].map((f) => path.join(EVALS, f));
  it.each(entries)("%s reaches no latent module", (entry) => {
    const reached = [...closure(entry)].map((f) => path.relative(EVALS, f));
    expect(reached.filter((f) => /latent/.test(f))).toEqual([]);
    expect(reached.length).toBeGreaterThan(1);
  });
});

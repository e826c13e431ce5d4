import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SKIP_DIRS = new Set(["node_modules", ".data", ".git", "target", ".venv"]);
const ALLOWED_TOP = new Set(["world", "evals"]);

/** True when `source` imports world/latent (static, dynamic or re-export). */
function importsLatent(source: string): boolean {
  return /(?:from|import|require)\s*\(?\s*["'][^"']*world\/latent(?:\.js|\.ts)?["']/.test(source);
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...tsFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith(".ts")) out.push(join(dir, entry.name));
  }
  return out;
}

describe("latent guard", () => {
  it("recognises imports of world/latent", () => {
    expect(importsLatent(`import { readProfiles } from "../world/latent.js";`)).toBe(true);
    expect(importsLatent(`import type { LatentProfile } from '../../world/latent';`)).toBe(true);
    expect(importsLatent(`const m = await import("../world/latent.js");`)).toBe(true);
    expect(importsLatent(`export * from "./world/latent.js";`)).toBe(true);
    expect(importsLatent(`import { worldDir } from "../world/paths.js";`)).toBe(false);
  });

  it("no module outside world/ and evals/ (tests excepted) imports world/latent", () => {
    const offenders = tsFiles(ROOT)
      .map((f) => relative(ROOT, f))
      .filter((rel) => !ALLOWED_TOP.has(rel.split(sep)[0]) && !rel.endsWith(".test.ts"))
      .filter((rel) => importsLatent(readFileSync(join(ROOT, rel), "utf8")));
    expect(offenders).toEqual([]);
  });
});

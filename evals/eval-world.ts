/**
 * The world an evaluation runs on: `<dataDir>/eval/world/<preset>-<seed>`, generated on demand
 * (the generator is deterministic; a real-catalog preset such as `real-taobao` is rebuilt from the
 * shared data, `world/real-presets.ts`) and checked against the golden set's checksum, so a changed
 * generator or a hand-edited file is refused instead of silently scored.
 */
import fs from "node:fs";
import path from "node:path";
import { generateWorld } from "../world/generate.js";
import { generateRealPresetWorld, isRealPreset } from "../world/real-presets.js";
import { buildCatalog } from "../world/catalog.js";
import { realWorldCatalog } from "../world/real-catalog.js";
import type { WorldData } from "./world-data.js";
import { WORLD_FILES } from "../contracts/records.js";
import { worldChecksum } from "./golden/checksum.js";

export function evalWorldDir(dataDir: string, preset: string, seed: number): string {
  return path.join(dataDir, "eval", "world", `${preset}-${seed}`);
}

/** Generates the world into `dir` unless a complete one is there; returns the directory. */
export async function ensureEvalWorld(dir: string, preset: string, seed: number, log?: (m: string) => void): Promise<string> {
  const manifest = path.join(dir, WORLD_FILES.manifest);
  if (fs.existsSync(manifest)) return dir;
  log?.(`generating world ${preset} (seed ${seed}) into ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  if (isRealPreset(preset)) await generateRealPresetWorld({ preset, seed, outDir: dir });
  else await generateWorld({ preset, seed, outDir: dir });
  return dir;
}

/**
 * The world of a golden set, ready: generated when missing, regenerated once when its checksum
 * differs (a stale directory from an older generator), refused when it still differs.
 */
export async function prepareEvalWorld(dataDir: string, header: { set: string; preset: string; seed: number; worldChecksum: string }, log?: (m: string) => void): Promise<string> {
  const dir = evalWorldDir(dataDir, header.preset, header.seed);
  await ensureEvalWorld(dir, header.preset, header.seed, log);
  if (worldChecksum(dir) !== header.worldChecksum) {
    log?.(`world at ${dir} does not match golden set "${header.set}"; regenerating`);
    fs.rmSync(dir, { recursive: true, force: true });
    await ensureEvalWorld(dir, header.preset, header.seed, log);
  }
  assertWorldMatches(dir, header);
  return dir;
}

/** Throws with the cause and the fix when the world at `dir` is not the one the golden set was built from. */
export function assertWorldMatches(dir: string, expected: { set: string; preset: string; seed: number; worldChecksum: string }): void {
  const actual = worldChecksum(dir);
  if (actual !== expected.worldChecksum) {
    throw new Error(
      `world mismatch for golden set "${expected.set}": ${dir} has checksum ${actual.slice(0, 12)}…, the set was built from ${expected.worldChecksum.slice(0, 12)}… ` +
        `(preset ${expected.preset}, seed ${expected.seed}). The generator or the files changed. Fix: delete ${dir} to regenerate it; ` +
        `if it still differs, the generator changed on purpose — rebuild the golden sets with \`npx tsx evals/golden/build.ts\` and commit them.`,
    );
  }
}

/**
 * The eval knowledge graph's slot (a data dir under `<DATA_DIR>/eval/`) for a golden set's world:
 * none for the generated worlds (`<DATA_DIR>/eval/neo4j-test`, as before), `<preset>-<seed>` for
 * a real-catalog world, so `users-ci` and `users-real` each keep their own loaded graph.
 */
export function evalKgSlot(header: { preset: string; seed: number }): string | undefined {
  return isRealPreset(header.preset) ? `${header.preset}-${header.seed}` : undefined;
}

/** The world's cross-category pairs (latent; for the oracle): the generated catalog's, or those the real catalog's values give. */
export function crossPairsOf(world: WorldData, preset: string): Array<{ from: string; to: string; strength: number }> {
  if (!isRealPreset(preset)) return buildCatalog().pairs;
  const factors = [...new Set(world.values.map((v) => v.factor))].sort().map((name) => ({ name }));
  return realWorldCatalog({ categories: world.categories, factors, values: world.values, items: world.items }).catalog.pairs;
}

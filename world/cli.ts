/**
 * `npm run world -- --preset <name> [--seed N] [--out dir]`: generates a world, then prints its
 * counts, the time taken and events per second. An unknown preset fails with the list of valid ones.
 * `--preset real-taobao` builds its catalog from the shared Taobao titles (`world/real-presets.ts`).
 * `npm run world -- --catalog <import dir> [--seed N] [--out dir] [--buyers N]`: generates a world
 * over a real catalog in the `kg:import` format instead (`world/generate-catalog.ts`), default
 * output `.data/world/catalog-<dir name>`.
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateWorld } from "./generate.js";
import { generateWorldFromCatalog } from "./generate-catalog.js";
import { worldDir } from "./paths.js";
import { PRESET_NAMES } from "./presets.js";
import { generateRealPresetWorld, isRealPreset, REAL_PRESET_NAMES } from "./real-presets.js";
import { exitWithHelpIfAsked } from "../lib/env.js";

const integer = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${text}"`);
  return n;
};

async function main(): Promise<void> {
  exitWithHelpIfAsked(
    `usage: npm run world -- --preset <name> [--seed N] [--out dir]
       npm run world -- --catalog <import dir> [--seed N] [--out dir] [--buyers N]

Generates a world (default preset demo, into .data/world/<preset>) and prints its counts.
Presets: ${[...PRESET_NAMES, ...REAL_PRESET_NAMES].join(", ")} (real-taobao: the shared Taobao titles).
--catalog: buyers, behaviour, trends and latent truth over a real catalog (kg/IMPORT.md format),
its vocabulary induced as kg:import does (default out .data/world/catalog-<dir name>, seed 1, 100 buyers).
Reads no environment variable.`,
    [],
  );
  const { values } = parseArgs({
    options: {
      preset: { type: "string" },
      catalog: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      buyers: { type: "string" },
    },
    strict: true,
  });
  const seed = integer("seed", values.seed);
  const log = (m: string) => console.log(`  ${m}`);
  const started = performance.now();
  let outDir: string;
  let manifest;
  if (values.catalog !== undefined) {
    if (values.preset !== undefined) throw new Error("--catalog and --preset are exclusive");
    const catalogDir = resolve(values.catalog);
    outDir = values.out ?? worldDir(`catalog-${basename(catalogDir)}`);
    manifest = await generateWorldFromCatalog({ catalogDir, seed: seed ?? 1, outDir, buyers: integer("buyers", values.buyers), log });
  } else {
    if (values.buyers !== undefined) throw new Error("--buyers applies to --catalog only");
    const presetName = values.preset ?? "demo";
    outDir = values.out ?? worldDir(presetName);
    if (isRealPreset(presetName)) manifest = await generateRealPresetWorld({ preset: presetName, seed, outDir, log });
    else {
      if (!(PRESET_NAMES as string[]).includes(presetName)) throw new Error(`unknown preset "${presetName}"; valid presets: ${[...PRESET_NAMES, ...REAL_PRESET_NAMES].join(", ")}`);
      manifest = await generateWorld({ preset: presetName, seed, outDir, log });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`world "${manifest.preset}" (seed ${manifest.seed}) written to ${outDir}`);
  for (const [k, v] of Object.entries(manifest.counts)) console.log(`  ${k.padEnd(14)} ${v}`);
  console.log(`time ${seconds.toFixed(2)} s, ${Math.round(manifest.counts.events / seconds)} events/s`);
}

main().catch((err: unknown) => {
  console.error(`world: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

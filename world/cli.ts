/**
 * `npm run world -- --preset <name> [--seed N] [--out dir]`: generates a world, then prints its
 * counts, the time taken and events per second. An unknown preset fails with the list of valid ones.
 */
import { parseArgs } from "node:util";
import { generateWorld } from "./generate.js";
import { worldDir } from "./paths.js";
import { getPreset } from "./presets.js";
import { exitWithHelpIfAsked } from "../lib/env.js";

async function main(): Promise<void> {
  exitWithHelpIfAsked(
    "usage: npm run world -- --preset <name> [--seed N] [--out dir]\n\nGenerates a world (default preset demo, into .data/world/<preset>) and prints its counts.\nReads no environment variable.",
    [],
  );
  const { values } = parseArgs({
    options: {
      preset: { type: "string", default: "demo" },
      seed: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  const presetName = values.preset ?? "demo";
  getPreset(presetName);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const outDir = values.out ?? worldDir(presetName);
  const started = performance.now();
  const manifest = await generateWorld({
    preset: presetName,
    seed,
    outDir,
    log: (m) => console.log(`  ${m}`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`world "${manifest.preset}" (seed ${manifest.seed}) written to ${outDir}`);
  for (const [k, v] of Object.entries(manifest.counts)) console.log(`  ${k.padEnd(14)} ${v}`);
  console.log(`time ${seconds.toFixed(2)} s, ${Math.round(manifest.counts.events / seconds)} events/s`);
}

main().catch((err: unknown) => {
  console.error(`world: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

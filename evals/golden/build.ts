/**
 * Builds the golden sets from a generated world and its latent truth (never from system output)
 * and writes them to `evals/golden/<set>.json`:
 *
 *   npx tsx evals/golden/build.ts [--preset ci] [--seed 1] [--dir <worldDir>]
 *   npx tsx evals/golden/build.ts --set users-real [--preset real-taobao] [--seed 1]
 *
 * Without `--dir` the world is generated (deterministically) under `.data/eval/world/`. The
 * committed files are this script's output; rebuild and commit them together when the world
 * generator changes on purpose.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readHeldout, readProfiles, readTrendLabels } from "../../world/latent.js";
import { ensureEvalWorld, evalWorldDir } from "../eval-world.js";
import { loadWorld } from "../world-data.js";
import { worldChecksum } from "./checksum.js";
import { buildCritic, buildTrends, buildUq, buildUsers, type LatentData } from "./builders.js";
import { type GoldenHeader, type GoldenSetName, stringifyGolden } from "./schema.js";

export const GOLDEN_DIR = path.dirname(fileURLToPath(import.meta.url));

export function goldenPath(set: GoldenSetName, dir = GOLDEN_DIR): string {
  return path.join(dir, `${set}.json`);
}

export interface BuildOptions {
  preset: string;
  seed: number;
  worldDir: string;
  outDir?: string;
  users?: number;
  criticContexts?: number;
}

export async function buildGoldenSets(opts: BuildOptions): Promise<Record<Exclude<GoldenSetName, "users-real">, number>> {
  const world = loadWorld(opts.worldDir);
  if (world.manifest.preset !== opts.preset || world.manifest.seed !== opts.seed) {
    throw new Error(`world at ${opts.worldDir} is ${world.manifest.preset}/${world.manifest.seed}, expected ${opts.preset}/${opts.seed}`);
  }
  const latent: LatentData = {
    profiles: await readProfiles(opts.worldDir),
    trendLabels: await readTrendLabels(opts.worldDir),
    heldout: await readHeldout(opts.worldDir),
  };
  const checksum = worldChecksum(opts.worldDir);
  const header = (set: GoldenSetName, notes: string): GoldenHeader => ({
    set,
    version: 1,
    preset: opts.preset,
    seed: opts.seed,
    asOf: world.manifest.asOf,
    heldOutEnd: world.manifest.heldOutEnd,
    worldChecksum: checksum,
    builtBy: "evals/golden/build.ts",
    notes,
  });
  const out = opts.outDir ?? GOLDEN_DIR;
  fs.mkdirSync(out, { recursive: true });

  const hu = header("users-ci", "buyers with history and held-out item interactions; discovery = held-out items in categories or with values absent from the buyer's history");
  const buyers = buildUsers(world, latent, hu, opts.users ?? 100);
  fs.writeFileSync(goldenPath("users-ci", out), stringifyGolden(hu, { buyers }));

  const hc = header("critic", "per buyer context: valid queries (values from the buyer's own tuples or labelled trend documents, ≥ 3 matching items) and one hallucination of each kind; expected verdict pass only for `valid`");
  const critic = buildCritic(world, latent, hc, opts.criticContexts ?? 40);
  fs.writeFileSync(goldenPath("critic", out), stringifyGolden(hc, { contexts: critic.contexts, cases: critic.cases }));

  const hq = header("uq", "relevant: main category + top preferred value, potential interest, held-out discovery; not relevant: categories outside profile, history and held-out, or main category with a value neither preferred, drifted, potential, in history nor held-out; split by buyer (30% test)");
  const pairs = buildUq(world, latent, hq);
  fs.writeFileSync(goldenPath("uq", out), stringifyGolden(hq, { pairs }));

  const ht = header("trends", "trend documents before asOf with their labelled terms; noise documents have no terms; injection documents keep the terms they promote");
  const docs = buildTrends(world, latent, ht, { regular: 60, noise: 12, injection: 8 });
  fs.writeFileSync(goldenPath("trends", out), stringifyGolden(ht, { docs }));

  return { "users-ci": buyers.length, critic: critic.cases.length, uq: pairs.length, trends: docs.length };
}

/**
 * The `users-real` set: built like `users-ci` (same builder, same header) from a world over a real
 * catalog (`world/real-presets.ts`). It holds ids only (buyers, items, categories, induced value
 * ids) and the world's checksum, never a title: the world is rebuilt from `../shared/data`.
 */
export async function buildUsersRealSet(opts: { preset: string; seed: number; worldDir: string; outDir?: string; users?: number }): Promise<number> {
  const world = loadWorld(opts.worldDir);
  if (world.manifest.preset !== opts.preset || world.manifest.seed !== opts.seed) {
    throw new Error(`world at ${opts.worldDir} is ${world.manifest.preset}/${world.manifest.seed}, expected ${opts.preset}/${opts.seed}`);
  }
  const latent: LatentData = { profiles: await readProfiles(opts.worldDir), trendLabels: [], heldout: await readHeldout(opts.worldDir) };
  const header: GoldenHeader = {
    set: "users-real",
    version: 1,
    preset: opts.preset,
    seed: opts.seed,
    asOf: world.manifest.asOf,
    heldOutEnd: world.manifest.heldOutEnd,
    worldChecksum: worldChecksum(opts.worldDir),
    builtBy: "evals/golden/build.ts",
    notes: "real Taobao offers with an induced vocabulary: buyers with history and held-out item interactions; discovery = held-out items in categories or with values absent from the buyer's history",
  };
  const buyers = buildUsers(world, latent, header, opts.users ?? 50);
  const out = opts.outDir ?? GOLDEN_DIR;
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(goldenPath("users-real", out), stringifyGolden(header, { buyers }));
  return buyers.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { set: { type: "string" }, preset: { type: "string" }, seed: { type: "string", default: "1" }, dir: { type: "string" }, out: { type: "string" } },
  });
  const real = values.set === "users-real";
  if (values.set !== undefined && !real) throw new Error(`--set takes users-real only (without it: users-ci, critic, uq and trends); got "${values.set}"`);
  const preset = values.preset ?? (real ? "real-taobao" : "ci");
  const seed = Number(values.seed);
  const dir = values.dir ?? (await ensureEvalWorld(evalWorldDir(".data", preset, seed), preset, seed, console.log));
  const counts = real ? { "users-real": await buildUsersRealSet({ preset, seed, worldDir: dir, outDir: values.out }) } : await buildGoldenSets({ preset, seed, worldDir: dir, outDir: values.out });
  console.log(`golden sets from ${dir} (checksum ${worldChecksum(dir).slice(0, 12)}…):`, counts);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

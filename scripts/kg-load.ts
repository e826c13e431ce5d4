/**
 * `npm run kg:load -- --preset <name> [--seed N] [--dir <path>] [--fresh] [--defer-embeddings]`:
 * generates the preset's world first if its files are missing, ensures the dev services, (with
 * `--fresh` empties the graph,) loads the world into Neo4j with a progress bar, and prints file
 * and graph counts, phase timings and events/s. `--defer-embeddings` writes items with the
 * embeddings the on-disk cache holds and leaves the rest for the server's background backfill
 * (`npm run serve` / `npm start`), as the first start does.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { loadServicesConfig } from "../services/index.js";
import { generateWorld } from "../world/generate.js";
import { worldDir } from "../world/paths.js";
import { getPreset } from "../world/presets.js";
import { WORLD_FILES } from "../contracts/records.js";
import { clearGraph, loadWorld, type LoadProgress, type LoadResult } from "../kg/load.js";
import { openKgClients } from "../kg/services-client.js";
import { exitWithHelpIfAsked } from "../lib/env.js";

function progressBar(): { update(p: LoadProgress): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let last = "";
    return {
      update(p) {
        if (p.phase !== last) console.log(`  loading ${p.phase}...`);
        last = p.phase;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: " {phase} [{bar}] {value}/{total}", hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let phase = "";
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase !== "") bar.stop();
        phase = p.phase;
        bar.start(p.total ?? p.done, p.done, { phase: p.phase.padEnd(8) });
      } else {
        if (p.total !== null && p.total !== bar.getTotal()) bar.setTotal(p.total);
        bar.update(p.done, { phase: p.phase.padEnd(8) });
      }
    },
    stop() {
      if (phase !== "") bar.stop();
      phase = "";
    },
  };
}

export function formatLoadResult(result: LoadResult): string {
  const lines = [`world "${result.manifest.preset}" (seed ${result.manifest.seed}, asOf ${result.manifest.asOf})`];
  lines.push("file records:", ...Object.entries(result.fileCounts).map(([k, v]) => `  ${k.padEnd(12)} ${v}`));
  lines.push("graph nodes:", ...Object.entries(result.graph.nodes).map(([k, v]) => `  ${k.padEnd(12)} ${v}`));
  lines.push(
    "graph relationships:",
    ...Object.entries(result.graph.relationships).map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
  );
  lines.push(`embeddings: ${result.embeddings.hits} cached, ${result.embeddings.misses} computed`);
  lines.push(`timings (ms): ${Object.entries(result.timings).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  lines.push(`events: ${result.fileCounts.events} in ${(result.timings.events / 1000).toFixed(1)} s = ${result.eventsPerSecond} events/s`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(
    "usage: npm run kg:load -- --preset <name> [--seed N] [--dir <path>] [--fresh] [--defer-embeddings]\n\nGenerates the preset's world if missing (default preset ci), ensures the dev services, loads\nthe world into Neo4j (--fresh empties the graph first) and prints counts and timings.\n--defer-embeddings: items get only the embeddings the on-disk cache holds; the server embeds the rest in the background.",
    ["services"],
  );
  const { values } = parseArgs({
    options: {
      preset: { type: "string", default: "ci" },
      seed: { type: "string" },
      dir: { type: "string" },
      fresh: { type: "boolean", default: false },
      "defer-embeddings": { type: "boolean", default: false },
    },
    strict: true,
  });
  const preset = values.preset ?? "ci";
  getPreset(preset);
  const config = loadServicesConfig();
  const dir = values.dir ?? worldDir(preset, config.dataDir);
  if (!existsSync(join(dir, WORLD_FILES.manifest))) {
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
    console.log(`generating world "${preset}" into ${dir}...`);
    await generateWorld({ preset, seed, outDir: dir });
  }
  const clients = await openKgClients();
  const bar = progressBar();
  try {
    if (values.fresh) {
      console.log("--fresh: deleting every node of the graph first...");
      await clearGraph(clients.driver);
    }
    const result = await loadWorld(dir, {
      driver: clients.driver,
      embedder: clients.embedder,
      cache: clients.cache,
      deferItemEmbeddings: values["defer-embeddings"],
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    console.log(formatLoadResult(result));
  } finally {
    bar.stop();
    await clients.close();
  }
}

main().catch((error: unknown) => {
  console.error(`kg:load: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

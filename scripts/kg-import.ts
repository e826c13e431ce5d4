/**
 * `npm run kg:import -- --dir <path> [--as-of <ISO date-time>] [--induced-out <dir>]`: imports a
 * directory of JSONL files in the format of `kg/IMPORT.md` into the dev graph (or the configured
 * `NEO4J_URI`); writes the vocabulary it induced (if any) to `--induced-out` (default
 * `<DATA_DIR>/induced/<name of dir>`).
 * Prints every bad record as `file:line: reason`, then what was written. Exit code 0 when every
 * record was good, 2 when some were reported (the good ones are still written), 1 on failure.
 */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { importDir } from "../kg/import.js";
import { openKgClients } from "../kg/services-client.js";
import { exitWithHelpIfAsked } from "../lib/env.js";
import { writeInductionFiles, writeTrendInductionFiles } from "../kg/induce/output.js";
import { loadServicesConfig } from "../services/config.js";

async function main(): Promise<number> {
  exitWithHelpIfAsked(
    "usage: npm run kg:import -- --dir <path> [--as-of <ISO date-time>]\n\nImports a directory of JSONL files in the format of kg/IMPORT.md into the dev graph (or NEO4J_URI).",
    ["services"],
  );
  const { values } = parseArgs({
    options: { dir: { type: "string" }, "as-of": { type: "string" }, "induced-out": { type: "string" } },
    strict: true,
  });
  if (!values.dir) throw new Error("--dir <path> is required (a directory of JSONL files, see kg/IMPORT.md)");
  if (!existsSync(values.dir)) throw new Error(`--dir ${values.dir} does not exist`);
  const asOf = values["as-of"] === undefined ? undefined : z.iso.datetime({ offset: true }).parse(values["as-of"]);
  const clients = await openKgClients();
  try {
    const result = await importDir(values.dir, {
      driver: clients.driver,
      embedder: clients.embedder,
      cache: clients.cache,
      asOf,
    });
    for (const issue of result.issues) console.log(`${issue.file}:${issue.line}: ${issue.reason}`);
    console.log(`${result.issues.length} bad record(s) reported`);
    console.log(`written: ${Object.entries(result.written).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    console.log(`embeddings: ${result.embeddings.hits} cached, ${result.embeddings.misses} computed`);
    const out = values["induced-out"] ?? join(loadServicesConfig().dataDir, "induced", basename(resolve(values.dir)));
    if (result.trendValues) {
      const files = writeTrendInductionFiles(out, result.trendValues);
      console.log(
        `trend terms: ${result.trendValues.values.length} new value(s) (source trend: ${result.trendValues.values.map((v) => `${v.name}/${v.factor}`).join(" ") || "none"}), ${result.trendValues.rejected.length} term(s) rejected; reviewable files ${files.join(", ")}`,
      );
    }
    if (result.induced) {
      writeInductionFiles(out, { ...result.induced, measuredNoise: result.induced.result.measuredNoise });
      console.log(
        `induced: ${result.induced.values.length} values (${result.induced.factors.join(", ")}) for ${result.induced.categories.length} categories without vocabulary; reviewable files in ${out}`,
      );
    }
    console.log(
      result.pairs === null
        ? "PAIRS_WITH unchanged (no --as-of and no manifest.json)"
        : `PAIRS_WITH recomputed: ${result.pairs} relationships`,
    );
    console.log(`timings (ms): ${Object.entries(result.timings).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    return result.issues.length > 0 ? 2 : 0;
  } finally {
    await clients.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`kg:import: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

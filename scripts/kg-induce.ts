/**
 * `npm run kg:induce -- --dir <import dir> [--category <id>] [--out <dir>]`: induces a vocabulary
 * from the titles in `<dir>/items.jsonl` (only those of `--category` when given), with
 * `<dir>/values.jsonl` as the curated vocabulary that wins, and writes the reviewable
 * `values.jsonl`, `factors.jsonl`, `categories.jsonl` and `noise.txt` to `--out` (default
 * `<DATA_DIR>/induced/<name of dir>`). Embeds terms through the embedding server and its cache.
 * `kg:import` runs the same induction by itself for categories that allow no factor.
 */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { CategoryRecord, ItemRecord, WORLD_FILES } from "../contracts/records.js";
import { readJsonl } from "../lib/jsonl.js";
import { createEmbedder, embeddingsSettings } from "../llm/embeddings.js";
import { ensureServices } from "../services/index.js";
import { openEmbeddingCache } from "../kg/embedding-cache.js";
import { cachedEmbed } from "../kg/induce/embed.js";
import { induceVocabulary } from "../kg/induce/induce.js";
import { writeInductionFiles } from "../kg/induce/output.js";
import { ValueWithProvenance } from "../kg/induce/records.js";

async function readAll<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>[]> {
  const out: z.output<S>[] = [];
  if (!existsSync(file)) return out;
  for await (const entry of readJsonl(file, schema)) if (entry.ok) out.push(entry.record);
  return out;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { dir: { type: "string" }, category: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  if (!args.dir) throw new Error("--dir <path> is required (a directory with items.jsonl, see kg/IMPORT.md)");
  const dir = resolve(args.dir);
  if (!existsSync(join(dir, WORLD_FILES.items))) throw new Error(`--dir ${args.dir} has no ${WORLD_FILES.items}`);
  const items = (await readAll(join(dir, WORLD_FILES.items), ItemRecord)).filter((i) => !args.category || i.categoryId === args.category);
  if (items.length === 0) throw new Error(`no items${args.category ? ` in category ${args.category}` : ""}`);
  const categories = new Map((await readAll(join(dir, WORLD_FILES.categories), CategoryRecord)).map((c) => [c.id, c]));
  const curated = await readAll(join(dir, WORLD_FILES.values), ValueWithProvenance);
  const services = await ensureServices({ instance: "dev" });
  const cache = openEmbeddingCache(join(services.config.dataDir, "cache", "embeddings.sqlite"));
  try {
    const embedder = await createEmbedder(embeddingsSettings(services.config, services.embeddingsBaseUrl));
    const started = performance.now();
    const result = await induceVocabulary(items, { curated, embed: cachedEmbed(embedder, cache) });
    const ms = Math.round(performance.now() - started);
    const out = args.out ?? join(services.config.dataDir, "induced", basename(dir));
    const files = writeInductionFiles(out, {
      values: result.values,
      factors: result.factors,
      measuredNoise: result.measuredNoise,
      categories: [...result.allows].map(([id, allows]) => {
        const c = categories.get(id) ?? { id, name: id, parentId: null, level: 1, allows: [] };
        const noun = c.noun ?? result.categoryNouns.get(id);
        return { ...c, allows, ...(noun ? { noun } : {}) };
      }),
    });
    const byFactor = new Map<string, number>();
    for (const v of result.values) byFactor.set(v.factor, (byFactor.get(v.factor) ?? 0) + 1);
    console.log(`${items.length} titles → ${result.values.length} values (${[...byFactor].map(([f, n]) => `${f} ${n}`).join(", ")}) in ${ms} ms`);
    console.log(`${result.measuredNoise.length} terms dropped as measured noise`);
    for (const f of files) console.log(`wrote ${f}`);
  } finally {
    cache.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`kg:induce: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

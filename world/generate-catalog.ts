/**
 * The world generator over a real catalog: `generateWorldFromCatalog` takes an import directory
 * (or its records), induces its vocabulary (`real-catalog.ts`, the same induction step as
 * `kg:import`), and writes a world in the format of every generated world (`writeSimulatedWorld`):
 * the catalog's own categories (with the induced `allows` and nouns), factors, values (with their
 * provenance), sellers and items (with their values and short titles), then buyers, a year of
 * behaviour before `asOf`, four held-out weeks, trends, a trend corpus and the latent truth over
 * that catalog's items and values. The calendar is the year before `asOf` (option, else the
 * catalog's manifest, else the generated worlds' 2025-06-01). Deterministic: the same catalog,
 * seed and options give byte-identical files.
 */
import type { WorldManifest } from "../contracts/records.js";
import { generateBuyers } from "./buyers.js";
import { writeSimulatedWorld, type SimulationKnobs } from "./generate.js";
import type { Calendar } from "./items.js";
import { AS_OF } from "./presets.js";
import { Rng } from "./random.js";
import { induceCatalog, readCatalogDir, realTrends, realWorldCatalog, type CatalogRecords } from "./real-catalog.js";
import { DAY_MS } from "./time.js";

export interface CatalogWorldOptions {
  /** An import directory (kg/IMPORT.md format) … */
  catalogDir?: string;
  /** … or its records. */
  records?: CatalogRecords;
  seed: number;
  outDir: string;
  /** The manifest's `preset` (default `catalog`). */
  name?: string;
  buyers?: number;
  /** Trends drawn from the catalog's values (default 8). */
  trends?: number;
  /** End of history (default: the catalog's manifest `asOf`, else 2025-06-01). */
  asOf?: string;
  simulation?: Partial<SimulationKnobs>;
  /** Embeds induced terms for factor assignment (as `kg:import` does); without it the world needs no service. */
  embed?: (texts: string[]) => Promise<number[][]>;
  log?: (message: string) => void;
}

export const CATALOG_WORLD_DEFAULTS = { buyers: 100, trends: 8, historyShare: 0.78, activity: 1, trendDocs: 400, injectionShare: 0.03, noiseShare: 0.2 } as const;

export async function generateWorldFromCatalog(options: CatalogWorldOptions): Promise<WorldManifest> {
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const log = options.log ?? (() => {});
  const records = options.records ?? (options.catalogDir ? await readCatalogDir(options.catalogDir) : undefined);
  if (!records) throw new Error("generateWorldFromCatalog needs catalogDir or records");
  const asOfText = options.asOf ?? records.asOf ?? AS_OF;
  const asOfMs = Date.parse(asOfText);
  if (Number.isNaN(asOfMs)) throw new Error(`asOf must be an ISO date-time, got "${asOfText}"`);
  const cal: Calendar = { historyStartMs: asOfMs - 365 * DAY_MS, asOfMs, heldOutEndMs: asOfMs + 28 * DAY_MS };

  const induced = await induceCatalog(records, { embed: options.embed });
  const { catalog, items } = realWorldCatalog(induced);
  if (catalog.leaves.length === 0) throw new Error("the catalog has no category with items");
  log(`catalog: ${catalog.categories.length} categories (${catalog.leaves.length} with offers), ${catalog.values.length} values (${induced.induced.length} induced), ${items.length} items`);
  const seed = options.seed;
  const trends = realTrends(catalog, items, cal, Rng.derive(seed, "trends"), options.trends ?? CATALOG_WORLD_DEFAULTS.trends);
  const buyers = generateBuyers(options.buyers ?? CATALOG_WORLD_DEFAULTS.buyers, catalog, cal, trends, seed, []);
  const knobs = { ...CATALOG_WORLD_DEFAULTS, ...options.simulation };
  return writeSimulatedWorld({
    outDir: options.outDir,
    name: options.name ?? "catalog",
    seed,
    cal,
    catalog,
    values: induced.values,
    sellers: induced.sellers,
    items,
    buyers,
    trends,
    simulation: { historyShare: knobs.historyShare, activity: knobs.activity, trendDocs: knobs.trendDocs, injectionShare: knobs.injectionShare, noiseShare: knobs.noiseShare },
    log,
  });
}

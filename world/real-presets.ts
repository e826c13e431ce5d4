/**
 * Real-catalog presets: worlds over real offers instead of a generated catalog. `real-taobao`
 * takes the shared labelled Taobao titles (`../shared/data/taobao-titles/`, train and dev, read at
 * generation time and never copied into the repository), groups them into leaf categories by the
 * product type most of them name (`real-sample.ts`), and generates buyers, behaviour, trends and
 * latent truth over them with the catalog-driven generator (`generate-catalog.ts`), which induces
 * the vocabulary as `kg:import` does. Used by `npm run world -- --preset real-taobao` and by the
 * `users-real` evaluation.
 */
import type { WorldManifest } from "../contracts/records.js";
import { hasTaobaoTitles, readTaobao, taobaoTitlesDir } from "../kg/induce/taobao.js";
import { CATALOG_WORLD_DEFAULTS, generateWorldFromCatalog } from "./generate-catalog.js";
import { AS_OF } from "./presets.js";
import { Rng } from "./random.js";
import { realCatalogRecords } from "./real-sample.js";

export interface RealPreset {
  name: string;
  /** Leaf categories (largest product-type groups of ≥ 10 titles) and titles per leaf. */
  leaves: number;
  perLeaf: number;
  /** Seed of the catalog's prices, MOQs, launch dates and sellers (fixed, so every world seed shares one catalog). */
  catalogSeed: number;
  buyers: number;
  trendDocs: number;
  defaultSeed: number;
}

export const REAL_PRESETS = {
  "real-taobao": { name: "real-taobao", leaves: 16, perLeaf: 80, catalogSeed: 7, buyers: 100, trendDocs: 400, defaultSeed: 1 },
} satisfies Record<string, RealPreset>;

export const REAL_PRESET_NAMES = Object.keys(REAL_PRESETS);

export function isRealPreset(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REAL_PRESETS, name);
}

/** Generates the world of a real-catalog preset into `outDir`; fails with the path when the shared titles are missing. */
export async function generateRealPresetWorld(options: { preset: string; seed?: number; outDir: string; log?: (m: string) => void }): Promise<WorldManifest> {
  if (!isRealPreset(options.preset)) throw new Error(`unknown real-catalog preset "${options.preset}"; valid: ${REAL_PRESET_NAMES.join(", ")}`);
  const preset: RealPreset = REAL_PRESETS[options.preset as keyof typeof REAL_PRESETS];
  if (!hasTaobaoTitles()) throw new Error(`preset ${preset.name} reads the shared Taobao titles from ${taobaoTitlesDir()}, which is missing`);
  const titles = [...readTaobao("train"), ...readTaobao("dev")];
  const catalog = realCatalogRecords(titles, { leaves: preset.leaves, perLeaf: preset.perLeaf, seed: preset.catalogSeed, asOf: AS_OF }, new Rng(preset.catalogSeed));
  return generateWorldFromCatalog({
    records: { categories: catalog.categories, factors: [], values: [], sellers: catalog.sellers, items: catalog.items, asOf: AS_OF },
    seed: options.seed ?? preset.defaultSeed,
    outDir: options.outDir,
    name: preset.name,
    buyers: preset.buyers,
    simulation: { ...CATALOG_WORLD_DEFAULTS, trendDocs: preset.trendDocs },
    log: options.log,
  });
}

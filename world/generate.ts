/**
 * Generates a world: `generateWorld({ preset, seed, outDir })` writes the files of `WORLD_FILES`
 * (catalog, sellers, items, buyers, events, trend documents, manifest) and the latent truth under
 * `latent/`. Deterministic: every part draws from its own random stream derived from the seed, so
 * the same preset and seed give byte-identical files. No file carries a wall-clock time. Events are
 * streamed to disk buyer by buyer. `writeSimulatedWorld` (files, behaviour, corpus, latent truth,
 * manifest over any `WorldCatalog`) is shared with the real-catalog mode (`generate-catalog.ts`).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildCatalog, GROUPS, toValueRecord } from "./catalog.js";
import type { WorldCatalog } from "./catalog.js";
import type { EventOut } from "./behavior.js";
import { buildItemIndex, simulateBuyer } from "./behavior.js";
import { generateBuyers } from "./buyers.js";
import type { GenBuyer } from "./buyers.js";
import { generateCorpus } from "./corpus.js";
import { generateItems, generateSellers, supplyDemand, toItemRecord, toSellerRecord } from "./items.js";
import type { Calendar, GenItem } from "./items.js";
import { LATENT_DIR, latentPath } from "./latent.js";
import type { LatentTrend } from "./latent.js";
import { getPreset, AS_OF, HELD_OUT_END, HISTORY_START } from "./presets.js";
import { Rng } from "./random.js";
import { WORLD_FILES } from "../contracts/records.js";
import type { SellerRecord, WorldManifest } from "../contracts/records.js";
import { iso } from "./time.js";
import { buildTrends } from "./trends.js";
import { LineWriter } from "./writer.js";

export interface GenerateOptions {
  preset: string;
  /** Defaults to the preset's `defaultSeed`. */
  seed?: number;
  outDir: string;
  /** Overrides the preset's held-out history share (drift knob). */
  historyShare?: number;
  /** Progress messages (stage names and counts). */
  log?: (message: string) => void;
}

function eventLine(id: string, userId: string, e: EventOut): string {
  let s = `{"id":"${id}","userId":"${userId}","type":"${e.type}","at":"${iso(e.atMs)}"`;
  if (e.itemId !== undefined) s += `,"itemId":"${e.itemId}"`;
  if (e.searchTerm !== undefined) s += `,"searchTerm":${JSON.stringify(e.searchTerm)}`;
  if (e.dwellS !== undefined) s += `,"dwellS":${e.dwellS}`;
  if (e.quantity !== undefined) s += `,"quantity":${e.quantity}`;
  if (e.amount !== undefined) s += `,"amount":${e.amount}`;
  return `${s}}`;
}

function writeAll(path: string, records: readonly unknown[]): number {
  const w = new LineWriter(path);
  for (const r of records) w.json(r);
  w.close();
  return records.length;
}

/** Generates the world of `preset` into `outDir` and returns its manifest. */
export async function generateWorld(options: GenerateOptions): Promise<WorldManifest> {
  const preset = getPreset(options.preset);
  const seed = options.seed ?? preset.defaultSeed;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const historyShare = options.historyShare ?? preset.historyShare;
  const log = options.log ?? (() => {});
  const cal: Calendar = {
    historyStartMs: Date.parse(HISTORY_START),
    asOfMs: Date.parse(AS_OF),
    heldOutEndMs: Date.parse(HELD_OUT_END),
  };

  const catalog = buildCatalog();
  const trends = buildTrends(catalog, Rng.derive(seed, "trends"));
  const sellers = generateSellers(Math.max(GROUPS.length * 3, Math.ceil(preset.items / 15)), cal, Rng.derive(seed, "sellers"));
  const buyers = generateBuyers(preset.buyers, catalog, cal, trends, seed);
  const demand = supplyDemand(catalog, buyers.map((b) => b.profile));
  const items = generateItems(preset.items, catalog, cal, trends, sellers, Rng.derive(seed, "items"), demand);
  log(`catalog: ${catalog.categories.length} categories, ${catalog.values.length} values; ${sellers.length} sellers, ${items.length} items`);
  return writeSimulatedWorld({
    outDir: options.outDir,
    name: preset.name,
    seed,
    cal,
    catalog,
    values: catalog.values.map(toValueRecord),
    sellers: sellers.map(toSellerRecord),
    items,
    buyers,
    trends,
    simulation: { historyShare, activity: preset.activity, trendDocs: preset.trendDocs, injectionShare: preset.injectionShare, noiseShare: preset.noiseShare },
    log,
  });
}

/** Knobs of the behaviour and corpus simulation (see `Preset`). */
export interface SimulationKnobs {
  historyShare: number;
  activity: number;
  trendDocs: number;
  injectionShare: number;
  noiseShare: number;
}

/** Everything a world needs before its behaviour and corpus are simulated. */
export interface SimulatedWorldInput {
  outDir: string;
  /** The manifest's `preset`. */
  name: string;
  seed: number;
  cal: Calendar;
  catalog: WorldCatalog;
  /** Records of `values.jsonl` (a real catalog's carry their provenance). */
  values: readonly unknown[];
  sellers: readonly SellerRecord[];
  /** Offers sorted by launch time, `index` = position. */
  items: readonly GenItem[];
  buyers: readonly GenBuyer[];
  trends: ReadonlyArray<LatentTrend & { novel: boolean }>;
  simulation: SimulationKnobs;
  log?: (message: string) => void;
}

/**
 * Writes the catalog files, simulates every buyer's behaviour (history and held-out weeks) and
 * the trend corpus, writes the latent truth and the manifest; returns the manifest. Shared by the
 * generated presets and the real-catalog mode (`generate-catalog.ts`).
 */
export function writeSimulatedWorld(input: SimulatedWorldInput): WorldManifest {
  const { outDir, seed, cal, catalog, items, buyers, simulation } = input;
  const trends: LatentTrend[] = [...input.trends];
  const log = input.log ?? (() => {});
  mkdirSync(join(outDir, LATENT_DIR), { recursive: true });

  const counts: Record<string, number> = {};
  counts.categories = writeAll(join(outDir, WORLD_FILES.categories), catalog.categories);
  counts.factors = writeAll(join(outDir, WORLD_FILES.factors), catalog.factors);
  counts.values = writeAll(join(outDir, WORLD_FILES.values), input.values);
  counts.sellers = writeAll(join(outDir, WORLD_FILES.sellers), input.sellers);
  counts.items = writeAll(join(outDir, WORLD_FILES.items), items.map(toItemRecord));
  counts.buyers = writeAll(join(outDir, WORLD_FILES.buyers), buyers.map((b) => b.record));

  const index = buildItemIndex(items);
  const events = new LineWriter(join(outDir, WORLD_FILES.events));
  const heldout = new LineWriter(latentPath(outDir, "heldout"));
  let seq = 0;
  let historyEvents = 0;
  let heldOutEvents = 0;
  const ctx = { catalog, cal, trends, index, historyShare: simulation.historyShare, activity: simulation.activity };
  for (const buyer of buyers) {
    const userId = buyer.record.id;
    const byIntent = simulateBuyer(buyer, ctx, Rng.derive(seed, `events/${buyer.index}`), (e) => {
      seq++;
      if (e.atMs < cal.asOfMs) historyEvents++;
      else heldOutEvents++;
      events.line(eventLine(`e-${String(seq).padStart(9, "0")}`, userId, e));
    });
    const total = byIntent.history + byIntent.trend + byIntent.cross + byIntent.potential;
    heldout.json({ buyerId: userId, events: total, byIntent });
    if ((buyer.index + 1) % 1000 === 0) log(`events: ${buyer.index + 1}/${buyers.length} buyers, ${seq} events`);
  }
  events.close();
  heldout.close();
  counts.events = seq;
  counts.historyEvents = historyEvents;
  counts.heldOutEvents = heldOutEvents;

  const corpus = generateCorpus(
    simulation.trendDocs, catalog, cal, trends, items.map((i) => i.id), simulation.injectionShare, simulation.noiseShare,
    Rng.derive(seed, "corpus"),
  );
  counts.trends = writeAll(join(outDir, WORLD_FILES.trends), corpus.map((c) => c.doc));
  writeAll(latentPath(outDir, "trendLabels"), corpus.map((c) => c.label));
  writeAll(latentPath(outDir, "profiles"), buyers.map((b) => b.profile));
  const latentTrends = input.trends.map(({ novel: _novel, ...t }) => t);
  const trendsFile = new LineWriter(latentPath(outDir, "trends"));
  trendsFile.line(JSON.stringify({ trends: latentTrends }, null, 2));
  trendsFile.close();

  const manifest: WorldManifest = {
    preset: input.name,
    seed,
    asOf: iso(cal.asOfMs),
    historyStart: iso(cal.historyStartMs),
    heldOutEnd: iso(cal.heldOutEndMs),
    counts,
  };
  const mf = new LineWriter(join(outDir, WORLD_FILES.manifest));
  mf.line(JSON.stringify(manifest, null, 2));
  mf.close();
  return manifest;
}

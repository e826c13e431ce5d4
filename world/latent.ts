/**
 * Latent truth of a generated world, under `<worldDir>/latent/`. Only `world/` and `evals/` (and
 * tests) may import this module: the recommender must infer all of it (enforced by
 * `test/latent-guard.test.ts`).
 *
 * - `profiles.jsonl`: one buyer's business profile per line.
 * - `trends.json`: the trends of the world (values/categories, emergence date, growth).
 * - `trend-labels.jsonl`: per trend document, what it really promotes, and whether it is noise or
 *   an injection attempt.
 * - `heldout.jsonl`: per buyer, held-out event counts by the intent that produced them
 *   (`history` = the same process as the buyer's history; `trend`, `cross`, `potential` = drift).
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";

export const BUYER_TYPES = ["boutique", "wholesaler", "livestream", "dropship", "crossborder", "giftshop"] as const;
export const BuyerType = z.enum(BUYER_TYPES);
export type BuyerType = z.infer<typeof BuyerType>;

export const WeightedValue = z.object({ valueId: z.string(), weight: z.number().min(0).max(1) });

export const LatentProfile = z.object({
  buyerId: z.string(),
  type: BuyerType,
  /** Leaf categories of the buyer's history with their shares (sum 1). */
  mainCategories: z.array(z.object({ categoryId: z.string(), share: z.number().min(0).max(1) })),
  /** Factor name → preferred values, heaviest first (weights sum to 1 per factor). */
  preferences: z.record(z.string(), z.array(WeightedValue)),
  /** A recent shift: from `since`, history-mode sessions favour `valueIds` with probability `strength`. */
  recentDrift: z.object({
    since: z.iso.datetime(),
    valueIds: z.array(z.string()),
    strength: z.number().min(0).max(1),
  }),
  /** Needs the history does not show (categories never touched before asOf), with the values wanted. */
  potential: z.array(z.object({ categoryId: z.string(), valueIds: z.array(z.string()) })),
  /** Share of sessions that follow trends during history (live-stream sellers highest). */
  trendAffinity: z.number().min(0).max(1),
  /** Days after a trend emerges before this buyer reacts to it. */
  trendLagDays: z.number().min(0),
});
export type LatentProfile = z.infer<typeof LatentProfile>;

export const LatentTrend = z.object({
  id: z.string(),
  name: z.string(),
  valueIds: z.array(z.string()),
  categoryIds: z.array(z.string()),
  emergesAt: z.iso.datetime(),
  /** Logistic growth: strength(t) = 1 / (1 + exp(-(days since emergence - midpointDays) / scaleDays)). */
  midpointDays: z.number(),
  scaleDays: z.number(),
  /** Search terms the trend is known by. */
  terms: z.array(z.string()),
});
export type LatentTrend = z.infer<typeof LatentTrend>;

export const LatentTrends = z.object({ trends: z.array(LatentTrend) });

export const TrendLabel = z.object({
  docId: z.string(),
  trendIds: z.array(z.string()),
  valueIds: z.array(z.string()),
  categoryIds: z.array(z.string()),
  terms: z.array(z.string()),
  isNoise: z.boolean(),
  isInjection: z.boolean(),
});
export type TrendLabel = z.infer<typeof TrendLabel>;

export const HELDOUT_INTENTS = ["history", "trend", "cross", "potential"] as const;
export type HeldoutIntent = (typeof HELDOUT_INTENTS)[number];

export const HeldoutSummary = z.object({
  buyerId: z.string(),
  events: z.number().int().min(0),
  byIntent: z.object({
    history: z.number().int().min(0),
    trend: z.number().int().min(0),
    cross: z.number().int().min(0),
    potential: z.number().int().min(0),
  }),
});
export type HeldoutSummary = z.infer<typeof HeldoutSummary>;

export const LATENT_DIR = "latent";
export const LATENT_FILES = {
  profiles: "profiles.jsonl",
  trends: "trends.json",
  trendLabels: "trend-labels.jsonl",
  heldout: "heldout.jsonl",
} as const;

/** Path of a latent file of the world in `worldDir`. */
export function latentPath(worldDir: string, file: keyof typeof LATENT_FILES): string {
  return join(worldDir, LATENT_DIR, LATENT_FILES[file]);
}

async function readJsonlStrict<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const out: T[] = [];
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === "") continue;
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file}:${line}: ${parsed.error.message}`);
    out.push(parsed.data);
  }
  return out;
}

export const readProfiles = (worldDir: string): Promise<LatentProfile[]> =>
  readJsonlStrict(latentPath(worldDir, "profiles"), LatentProfile);

export async function readTrends(worldDir: string): Promise<LatentTrend[]> {
  return LatentTrends.parse(JSON.parse(await readFile(latentPath(worldDir, "trends"), "utf8"))).trends;
}

export const readTrendLabels = (worldDir: string): Promise<TrendLabel[]> =>
  readJsonlStrict(latentPath(worldDir, "trendLabels"), TrendLabel);

export const readHeldout = (worldDir: string): Promise<HeldoutSummary[]> =>
  readJsonlStrict(latentPath(worldDir, "heldout"), HeldoutSummary);

/** Trend strength in [0, 1) at time `atMs` (0 before emergence). */
export function trendStrength(trend: Pick<LatentTrend, "emergesAt" | "midpointDays" | "scaleDays">, atMs: number): number {
  const days = (atMs - Date.parse(trend.emergesAt)) / 86_400_000;
  if (days < 0) return 0;
  return 1 / (1 + Math.exp(-(days - trend.midpointDays) / trend.scaleDays));
}

/**
 * World presets: sizes and knobs of the generator. Every preset shares the same calendar: history
 * from 2024-06-01 to `asOf` = 2025-06-01 (exclusive), then four held-out weeks to 2025-06-29.
 *
 * `historyShare` is the drift knob: the probability that a held-out session follows the buyer's
 * history process; the rest follows trends, cross-category pairs and potential interests
 * (see `world/behavior.ts`).
 */

export interface Preset {
  name: string;
  buyers: number;
  items: number;
  /** Trend documents in the corpus. */
  trendDocs: number;
  /** Multiplier on every buyer's session rate. */
  activity: number;
  /** Probability that a held-out session follows history (0.70–0.85; default 0.78). */
  historyShare: number;
  /** Share of trend documents that attempt instruction injection. */
  injectionShare: number;
  /** Share of trend documents that are noise. */
  noiseShare: number;
  defaultSeed: number;
}

export const HISTORY_START = "2024-06-01T00:00:00.000Z";
export const AS_OF = "2025-06-01T00:00:00.000Z";
export const HELD_OUT_END = "2025-06-29T00:00:00.000Z";

const base = { historyShare: 0.78, injectionShare: 0.03, noiseShare: 0.2, defaultSeed: 1688 };

export const PRESETS = {
  tiny: { ...base, name: "tiny", buyers: 30, items: 400, trendDocs: 200, activity: 0.6 },
  ci: { ...base, name: "ci", buyers: 200, items: 3000, trendDocs: 800, activity: 1 },
  demo: { ...base, name: "demo", buyers: 500, items: 8000, trendDocs: 1500, activity: 1 },
  bench: { ...base, name: "bench", buyers: 6000, items: 50000, trendDocs: 5000, activity: 1.2 },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The preset called `name`, or an error that lists the valid names. */
export function getPreset(name: string): Preset {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name)) {
    throw new Error(`unknown preset "${name}"; valid presets: ${PRESET_NAMES.join(", ")}`);
  }
  return PRESETS[name as PresetName];
}

/** Calendar helpers for the world generator (UTC, integer milliseconds). */

export const DAY_MS = 86_400_000;

/** ISO-8601 string with milliseconds and `Z`, e.g. 2025-06-01T00:00:00.000Z. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Month index 0..11 (UTC). */
export const monthOf = (ms: number): number => new Date(ms).getUTCMonth();

/** The interface every list producer in the evaluation implements (baselines and the system). */
export interface Recommender {
  /** A stable name for reports, e.g. `cocoon`, `popularity`, `system`, `system-no-trends`. */
  name: string;
  /** An ordered list of at most `k` distinct item ids for the buyer. */
  recommend(userId: string, k: number): Promise<string[]> | string[];
}

/** Top `k` keys of a score map, highest first, ties by id. */
export function topByScore(scores: ReadonlyMap<string, number>, k: number, exclude?: ReadonlySet<string>): string[] {
  return [...scores]
    .filter(([id, s]) => s > 0 && !exclude?.has(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([id]) => id);
}

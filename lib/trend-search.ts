/**
 * Trend-document full-text search shared across runs: a trend search does not depend on the
 * buyer, so its result pool is memoised per (sources, size, day of `since`, day of `asOf`, text)
 * for ten minutes and filtered by each caller's own `since` / `asOf` (a later document is never
 * shown to an earlier `asOf`). Used by the trend tools and the analytic trend extractor.
 */
import type { Memo } from "../contracts/deps.js";
import type { KgReader, TrendDocHit, TrendSearchOptions } from "../contracts/kg.js";

export const TREND_POOL_TTL_MS = 600_000;

export async function sharedTrendSearch(
  kg: Pick<KgReader, "searchTrendDocs">,
  memo: Memo | undefined,
  text: string,
  opts: TrendSearchOptions,
): Promise<TrendDocHit[]> {
  const search = () => kg.searchTrendDocs(text, opts);
  const key = `trend-pool:${(opts.sources ?? []).join(",")}:${opts.limit}:${opts.since?.slice(0, 10) ?? ""}:${opts.asOf.slice(0, 10)}:${text}`;
  const pool = memo ? await memo.get(key, search, TREND_POOL_TTL_MS) : await search();
  const asOfMs = Date.parse(opts.asOf);
  const sinceMs = opts.since ? Date.parse(opts.since) : -Infinity;
  return pool.filter((h) => Date.parse(h.publishedAt) < asOfMs && Date.parse(h.publishedAt) >= sinceMs);
}

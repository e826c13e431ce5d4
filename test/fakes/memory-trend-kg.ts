/**
 * An in-memory `searchTrendDocs` for unit tests of the trend tools: a document matches when its
 * title or text contains every whitespace-separated term of the query; score = matched-term
 * occurrences. Honours `asOf`, `since`, `sources` and `limit` like the Neo4j reader, and records
 * every call.
 */
import type { KgReader, TrendDocHit, TrendSearchOptions } from "../../contracts/kg.js";

export class MemoryTrendKg implements Pick<KgReader, "searchTrendDocs"> {
  readonly calls: { text: string; opts: TrendSearchOptions }[] = [];
  constructor(private readonly docs: readonly Omit<TrendDocHit, "score">[]) {}

  async searchTrendDocs(text: string, opts: TrendSearchOptions): Promise<TrendDocHit[]> {
    this.calls.push({ text, opts });
    const terms = text.split(/\s+/).filter(Boolean);
    const asOf = Date.parse(opts.asOf);
    const since = opts.since ? Date.parse(opts.since) : -Infinity;
    return this.docs
      .filter((d) => Date.parse(d.publishedAt) < asOf && Date.parse(d.publishedAt) >= since)
      .filter((d) => !opts.sources || opts.sources.includes(d.source))
      .map((d) => {
        const body = `${d.title} ${d.text}`;
        const score = terms.reduce((s, t) => s + (body.split(t).length - 1), 0);
        const all = terms.every((t) => body.includes(t));
        return { ...d, score: all ? score : 0 };
      })
      .filter((d) => d.score > 0)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, opts.limit);
  }
}

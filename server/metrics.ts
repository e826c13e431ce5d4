/**
 * A small Prometheus text-format registry: labelled counters, gauges read at scrape time and
 * histograms with fixed buckets. Enough for `/metrics` without a client library.
 */

type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k].replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

const fmt = (name: string, key: string, value: number) => `${name}${key ? `{${key}}` : ""} ${Number.isFinite(value) ? value : 0}`;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
  count(labels?: Labels): number;
}

export interface Metrics {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string, read: () => number): void;
  histogram(name: string, help: string, buckets: number[]): Histogram;
  render(): string;
}

export const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(): Metrics {
  const renderers: Array<() => string[]> = [];
  return {
    counter(name, help) {
      const values = new Map<string, number>();
      renderers.push(() => [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} counter`,
        ...[...values].map(([k, v]) => fmt(name, k, v)),
      ]);
      return {
        inc(labels = {}, by = 1) {
          const k = labelKey(labels);
          values.set(k, (values.get(k) ?? 0) + by);
        },
        get(labels = {}) {
          return values.get(labelKey(labels)) ?? 0;
        },
      };
    },
    gauge(name, help, read) {
      renderers.push(() => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, fmt(name, "", read())]);
    },
    histogram(name, help, buckets) {
      const sorted = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, { counts: number[]; sum: number; count: number }>();
      renderers.push(() => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
        for (const [k, s] of series) {
          const sep = k ? "," : "";
          sorted.forEach((b, i) => lines.push(`${name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`));
          lines.push(`${name}_bucket{${k}${sep}le="+Inf"} ${s.count}`);
          lines.push(fmt(`${name}_sum`, k, s.sum), fmt(`${name}_count`, k, s.count));
        }
        return lines;
      });
      return {
        observe(value, labels = {}) {
          const k = labelKey(labels);
          let s = series.get(k);
          if (!s) series.set(k, (s = { counts: sorted.map(() => 0), sum: 0, count: 0 }));
          sorted.forEach((b, i) => {
            if (value <= b) s.counts[i] += 1;
          });
          s.sum += value;
          s.count += 1;
        },
        count(labels = {}) {
          return series.get(labelKey(labels))?.count ?? 0;
        },
      };
    },
    render() {
      return `${renderers.flatMap((r) => r()).join("\n")}\n`;
    },
  };
}

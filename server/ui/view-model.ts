/**
 * Turns a stored result into what the buyer page draws: CFV bar groups, trend evidence rows,
 * items grouped by query and the explanation chain as a layered graph. Pure functions; the
 * portrait, CFV and trend records are read defensively because the result contract keeps them
 * open (`Record<string, unknown>`).
 */
import type { RecommendationResult } from "../../contracts/result.js";

export interface Bar {
  label: string;
  value: number;
  hint?: string;
}
export interface BarGroup {
  title: string;
  bars: Bar[];
  /** Largest value the bars are drawn against. */
  max: number;
}

export interface TrendRow {
  title: string;
  weight: number | null;
  sources: string[];
  refs: string[];
  url: string | null;
  detail: string | null;
}

export interface ChainNode {
  key: string;
  kind: string;
  label: string;
  column: number;
  row: number;
}
export interface ChainGraph {
  nodes: ChainNode[];
  edges: { from: string; to: string }[];
  columns: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : typeof v === "number" ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

const LABEL_KEYS = ["name", "valueName", "label", "term", "title", "value", "id"];
const NUM_KEYS = ["weight", "score", "share", "value", "count"];

function barsFromArray(arr: unknown[]): Bar[] | null {
  const bars: Bar[] = [];
  for (const e of arr) {
    if (!isObj(e)) return null;
    const labelKey = LABEL_KEYS.find((k) => typeof e[k] === "string");
    const numKey = NUM_KEYS.find((k) => num(e[k]) !== null);
    if (!labelKey || !numKey) return null;
    bars.push({ label: e[labelKey] as string, value: num(e[numKey]) as number, hint: str(e.factor) ?? undefined });
  }
  return bars.length > 0 ? bars : null;
}

/** CFV as bar groups: the `{categories: [{name, long, recent, potential}]}` shape, or any nested arrays of `{name, weight}`. */
export function cfvBars(cfv: Record<string, unknown>): BarGroup[] {
  const groups: BarGroup[] = [];
  const push = (title: string, bars: Bar[]) => groups.push({ title, bars, max: Math.max(1e-9, ...bars.map((b) => b.value)) });
  const categories = Array.isArray(cfv.categories) ? cfv.categories : null;
  if (categories && categories.every(isObj)) {
    for (const c of categories) {
      const name = str(c.name) ?? str(c.categoryId) ?? "category";
      for (const horizon of ["long", "recent", "potential"]) {
        const arr = c[horizon];
        if (Array.isArray(arr)) {
          const bars = barsFromArray(arr);
          if (bars) push(`${name} · ${horizon}`, bars);
        }
      }
    }
    if (groups.length > 0) return groups;
  }
  const walk = (v: unknown, path: string[], depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(v)) {
      const bars = barsFromArray(v);
      if (bars) push(path.join(" · ") || "values", bars);
      else v.forEach((e, i) => walk(e, [...path, isObj(e) ? (str(e.name) ?? String(i)) : String(i)], depth + 1));
    } else if (isObj(v)) {
      const entries = Object.entries(v);
      if (entries.length > 0 && entries.every(([, x]) => num(x) !== null)) push(path.join(" · ") || "values", entries.map(([k, x]) => ({ label: k, value: x as number })));
      else for (const [k, x] of entries) walk(x, [...path, k], depth + 1);
    }
  };
  walk(cfv, [], 0);
  return groups;
}

/** Trend evidence rows (selling points or documents), strongest first. */
export function trendRows(trends: Record<string, unknown>[]): TrendRow[] {
  const rows = trends.map((t): TrendRow => {
    const sources = Array.isArray(t.sources) ? t.sources.filter((s): s is string => typeof s === "string") : str(t.source) ? [str(t.source) as string] : [];
    const docs = Array.isArray(t.docs) ? t.docs.filter(isObj).map((d) => [str(d.source), str(d.title) ?? str(d.id)].filter((x) => x !== null).join(": ")) : [];
    const ids = Array.isArray(t.docIds) ? t.docIds.filter((s): s is string => typeof s === "string") : str(t.id) ? [str(t.id) as string] : [];
    const refs = docs.length > 0 ? docs : ids;
    const detail = [str(t.valueName) && str(t.factor) ? `${str(t.factor)}: ${str(t.valueName)}` : null, str(t.snippet), str(t.publishedAt)?.slice(0, 10)]
      .filter((x): x is string => x !== null)
      .join(" · ");
    return {
      title: str(t.term) ?? str(t.title) ?? str(t.name) ?? str(t.id) ?? "trend",
      weight: num(t.weight) ?? num(t.score),
      sources,
      refs,
      url: str(t.url),
      detail: detail.length > 0 ? detail : null,
    };
  });
  return rows.sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
}

/** Portrait fields as label/text pairs (nested objects flattened one level, arrays joined). */
export function portraitFields(portrait: Record<string, unknown>): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  const show = (v: unknown): string => {
    if (Array.isArray(v)) {
      return v
        .map((e) => (isObj(e) ? [str(e.name) ?? str(e.categoryId) ?? "", num(e.share) !== null ? `${Math.round((e.share as number) * 100)}%` : ""].join(" ").trim() : show(e)))
        .filter((s) => s.length > 0)
        .join(", ");
    }
    if (isObj(v)) return Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join("; ");
    return v === null || v === undefined ? "" : String(v);
  };
  for (const [k, v] of Object.entries(portrait)) {
    if (k === "reasons") continue;
    if (isObj(v)) for (const [k2, v2] of Object.entries(v)) out.push({ label: `${k} · ${k2}`, text: show(v2) });
    else out.push({ label: k, text: show(v) });
  }
  if (Array.isArray(portrait.reasons)) out.push({ label: "reasons", text: show(portrait.reasons) });
  return out.filter((f) => f.text.length > 0);
}

/** Items grouped under the queries that retrieved them (an item may sit under several). */
export function itemsByQuery(result: RecommendationResult): { query: RecommendationResult["queries"][number]; items: RecommendationResult["items"] }[] {
  return result.queries.map((q) => ({ query: q, items: result.items.filter((i) => i.queryIds.includes(q.id)).sort((a, b) => a.rank - b.rank) }));
}

/** Column of each known link kind (left to right: behaviour, preference, trend, pair, query, item). */
const KIND_COLUMN: Record<string, number> = { behaviour: 0, behavior: 0, tuple: 0, preference: 1, cfv: 1, trend: 2, pair: 3, query: 4, item: 5 };

/** The explanation chains of the top `maxItems` items as one layered graph (column = link kind; unknown kinds by position). */
export function chainGraph(result: RecommendationResult, maxItems = 8): ChainGraph {
  const nodes = new Map<string, ChainNode>();
  const edges = new Map<string, { from: string; to: string }>();
  const items = [...result.items].sort((a, b) => a.rank - b.rank).slice(0, maxItems);
  for (const item of items) {
    const links = item.chain.length > 0 ? item.chain : [{ kind: "item", id: item.itemId, label: item.shortTitle }];
    const last = links[links.length - 1];
    const withItem = last && last.kind === "item" ? links : [...links, { kind: "item", id: item.itemId, label: item.shortTitle }];
    withItem.forEach((l, i) => {
      const key = `${l.kind}:${l.id}`;
      const existing = nodes.get(key);
      const column = KIND_COLUMN[l.kind] ?? i;
      if (!existing) nodes.set(key, { key, kind: l.kind, label: l.label, column, row: 0 });
      else existing.column = Math.max(existing.column, column);
      if (i > 0) {
        const from = `${withItem[i - 1].kind}:${withItem[i - 1].id}`;
        edges.set(`${from}>${key}`, { from, to: key });
      }
    });
  }
  const cols = [...new Set([...nodes.values()].map((n) => n.column))].sort((a, b) => a - b);
  const columns: string[] = [];
  cols.forEach((c, ci) => {
    const inCol = [...nodes.values()].filter((n) => n.column === c);
    inCol.forEach((n, r) => {
      n.column = ci;
      n.row = r;
    });
    columns.push([...new Set(inCol.map((n) => n.kind))].join(" / "));
  });
  return { nodes: [...nodes.values()], edges: [...edges.values()], columns };
}

/**
 * Role `trendExtractor` (trend mining): runs the planned calls (a model's tool calls through the
 * bound tools; analytic calls as cjk full-text searches of the local corpus), keeps documents
 * relevant to the buyer's categories (the main categories of the analytic portrait of the
 * compressed tuples, so it needs no portrait step), sets aside documents that carry injected
 * instructions (`lib/injection-guard.ts` verdict: rules + offline classifier, plus the embedding
 * check when the deps carry `injectionCheck`), extracts selling points (LLM with
 * `prompts/trend-extractor.ts`, or
 * `./analytic.ts`) and normalises each term onto a KG value by embedding cosine
 * (≥ `NORMALISE_MIN_COSINE`); a term that is no KG value is kept only with support from two
 * sources.
 */
import { sharedTrendSearch } from "../../lib/trend-search.js";
import type { Configuration } from "../../contracts/configuration.js";
import type { GraphDeps } from "../../contracts/deps.js";
import type { TrendDocHit, Vocabulary } from "../../contracts/kg.js";
import type { Tuple } from "../../contracts/behaviour.js";
import { TREND_SOURCES, type TrendSource } from "../../contracts/records.js";
import type { StepReport } from "../../contracts/steps.js";
import { TrendPointsSchema, type SellingPoint, type TrendDoc, type TrendPlan, type TrendPoints, type Trends } from "../../contracts/trends.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { ancestorIds } from "../../lib/history.js";
import { injectionVerdict } from "../../lib/injection-guard.js";
import { addDays } from "../../lib/time.js";
import { cosine } from "../../llm/embeddings.js";
import { trendExtractorMessages } from "../../prompts/trend-extractor.js";
import { analyticPortrait } from "../portrait/analytic.js";
import { analyticSellingPoints } from "./analytic.js";

export const NORMALISE_MIN_COSINE = 0.95;
/** Trend documents handed to the extractor at most. */
const MAX_DOCS = 30;

function asDoc(h: TrendDocHit): TrendDoc {
  return { ...h };
}

/** Parses what a trend tool returned (JSON text or objects) into documents. */
export function docsFromToolOutput(output: unknown, vocab: Vocabulary, fallbackSource: string): TrendDoc[] {
  let v: unknown = output;
  if (v && typeof v === "object" && Array.isArray((v as { artifact?: unknown }).artifact)) v = (v as { artifact: unknown }).artifact;
  else if (v && typeof v === "object" && "content" in (v as object)) v = (v as { content: unknown }).content;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return [];
    }
  }
  const list = Array.isArray(v) ? v : Array.isArray((v as { docs?: unknown })?.docs) ? (v as { docs: unknown[] }).docs : Array.isArray((v as { results?: unknown })?.results) ? (v as { results: unknown[] }).results : [];
  const out: TrendDoc[] = [];
  for (const raw of list) {
    const r = raw as Record<string, unknown>;
    const id = typeof r.id === "string" ? r.id : typeof r.url === "string" ? `web:${r.url}` : null;
    const text = typeof r.text === "string" ? r.text : typeof r.content === "string" ? r.content : typeof r.snippet === "string" ? r.snippet : "";
    if (!id || text === "") continue;
    const title = typeof r.title === "string" ? r.title : "";
    const all = `${title} ${text}`;
    out.push({
      id,
      source: typeof r.source === "string" ? r.source : fallbackSource,
      title,
      text,
      publishedAt: typeof r.publishedAt === "string" ? r.publishedAt : typeof r.published_date === "string" ? r.published_date : "",
      valueIds: Array.isArray(r.valueIds) ? (r.valueIds as string[]) : vocab.values.filter((x) => all.includes(x.name)).map((x) => x.id),
      categoryIds: Array.isArray(r.categoryIds)
        ? (r.categoryIds as string[])
        : vocab.categories.filter((c) => all.includes(c.noun) || all.includes(c.name)).map((c) => c.id),
      score: typeof r.score === "number" ? r.score : 0,
      url: typeof r.url === "string" ? r.url : undefined,
    });
  }
  return out;
}

async function runCalls(deps: GraphDeps, cfg: Configuration, plan: TrendPlan, asOf: string, vocab: Vocabulary): Promise<TrendDoc[]> {
  const since = addDays(asOf, -7 * cfg.trendWeeks);
  const tools = plan.calls.some((c) => c.tool) ? (deps.trendTools?.({ kg: deps.kg, asOf }) ?? []) : [];
  const results = await Promise.all(
    plan.calls.flatMap((call) => {
      if (call.tool) {
        const tool = tools.find((t) => t.name === call.tool!.name);
        if (!tool) return [Promise.resolve([] as TrendDoc[])];
        const toolCall = { type: "tool_call" as const, id: call.tool.id ?? `call_${call.tool.name}`, name: call.tool.name, args: call.tool.args };
        return [tool.invoke(toolCall).then((out: unknown) => docsFromToolOutput(out, vocab, call.source === "tavily" ? "web" : call.source))];
      }
      if (!(TREND_SOURCES as readonly string[]).includes(call.source)) return [];
      return call.terms.map((term) =>
        sharedTrendSearch(deps.kg, deps.memo, term, { asOf, since, sources: [call.source as TrendSource], limit: 10 }).then((hits) => hits.map(asDoc)),
      );
    }),
  );
  const byId = new Map<string, TrendDoc>();
  for (const d of results.flat()) if (!byId.has(d.id) || byId.get(d.id)!.score < d.score) byId.set(d.id, d);
  return [...byId.values()].filter((d) => d.publishedAt === "" || (d.publishedAt < asOf && d.publishedAt >= since));
}

/** Embeddings of every KG value name, memoised for ten minutes. */
function valueEmbeddings(deps: GraphDeps, vocab: Vocabulary): Promise<number[][]> {
  return deps.memo.get(`value-embeddings:${vocab.values.length}`, () => deps.embedder.embedDocuments(vocab.values.map((v) => v.name)), 600_000);
}

export async function normalisePoints(
  deps: GraphDeps,
  vocab: Vocabulary,
  points: TrendPoints["points"],
  docs: TrendDoc[],
  relevantCategories: Set<string>,
  asOf: string,
): Promise<SellingPoint[]> {
  const docById = new Map(docs.map((d) => [d.id, d]));
  const exact = new Map(vocab.values.map((v) => [v.name, v]));
  const pending = points.filter((p) => !exact.has(p.term) && !(p.value && exact.has(p.value)));
  let nearest = new Map<string, { valueId: string; sim: number }>();
  if (pending.length > 0) {
    const [valueVecs, termVecs] = await Promise.all([valueEmbeddings(deps, vocab), deps.embedder.embedDocuments(pending.map((p) => p.term))]);
    nearest = new Map(
      pending.map((p, i) => {
        let best = { valueId: "", sim: -1 };
        valueVecs.forEach((vv, j) => {
          const s = cosine(termVecs[i], vv);
          if (s > best.sim) best = { valueId: vocab.values[j].id, sim: s };
        });
        return [p.term, best];
      }),
    );
  }
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  const merged = new Map<string, SellingPoint>();
  for (const p of points) {
    const docIds = p.docIds.filter((id) => docById.has(id));
    if (docIds.length === 0) continue;
    const ex = exact.get(p.term) ?? (p.value ? exact.get(p.value) : undefined);
    const near = nearest.get(p.term);
    const value = ex ?? (near && near.sim >= NORMALISE_MIN_COSINE ? valueById.get(near.valueId) : undefined);
    const sim = ex ? 1 : (near?.sim ?? 0);
    const key = value ? `v:${value.id}` : `t:${p.term}`;
    const prev = merged.get(key);
    const ids = [...new Set([...(prev?.docIds ?? []), ...docIds])].sort();
    const ds = ids.map((id) => docById.get(id)!);
    const weight = ds.reduce((s, d) => s + (d.publishedAt ? Math.pow(2, -Math.max(0, (Date.parse(asOf) - Date.parse(d.publishedAt)) / 86_400_000) / 28) : 0.5), 0);
    merged.set(key, {
      id: "",
      term: prev?.term ?? p.term,
      valueId: value?.id ?? null,
      valueName: value?.name ?? null,
      factor: value?.factor ?? null,
      similarity: Math.round(Math.max(sim, prev?.similarity ?? 0) * 1000) / 1000,
      docIds: ids,
      sources: [...new Set(ds.map((d) => d.source))].sort(),
      categoryIds: [...new Set(ds.flatMap((d) => d.categoryIds))].filter((c) => relevantCategories.has(c)).sort(),
      weight: Math.round(weight * 1000) / 1000,
      isNew: !value,
    });
  }
  return [...merged.values()]
    .filter((p) => !p.isNew || p.sources.length >= 2)
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .map((p, i) => ({ ...p, id: `sp:${i + 1}` }));
}

export async function runTrendExtractor(
  { deps, cfg }: RoleContext,
  input: { asOf: string; trendPlan: TrendPlan; tuples: Tuple[] },
): Promise<{ trends: Trends; report: StepReport }> {
  const { asOf } = input;
  const vocab = await vocabularyOf(deps);
  const portrait = analyticPortrait(input.tuples, vocab, asOf);
  const all = await runCalls(deps, cfg, input.trendPlan, asOf, vocab);
  const relevant = new Set(portrait.mainCategories.flatMap((c) => ancestorIds(vocab, c.categoryId)));
  const setAside: Trends["setAside"] = [];
  const kept: TrendDoc[] = [];
  const candidates: { d: TrendDoc; text: string }[] = [];
  for (const d of all.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))) {
    const text = `${d.title}\n${d.text}`;
    const verdict = injectionVerdict(text);
    if (verdict.injected) setAside.push({ id: d.id, source: d.source, reason: `instruction-like text: ${verdict.reason}` });
    else if (d.categoryIds.some((c) => relevant.has(c))) candidates.push({ d, text });
  }
  const margins = deps.injectionCheck ? await deps.injectionCheck.margins(candidates.slice(0, MAX_DOCS * 2).map((c) => c.text)) : [];
  for (const [i, { d, text }] of candidates.entries()) {
    const verdict = i < margins.length ? injectionVerdict(text, { embeddingMargin: margins[i] }) : undefined;
    if (verdict?.injected) setAside.push({ id: d.id, source: d.source, reason: `instruction-like text: ${verdict.reason}` });
    else if (!deps.injectionCheck || i < margins.length) kept.push(d);
  }
  const docs = kept.slice(0, MAX_DOCS);
  const role = "trendExtractor" as const;
  const analytic = analyticSellingPoints(docs, vocab);
  const out =
    docs.length === 0
      ? { value: { points: [] }, report: { role, reasoner: "analytic" as const, degraded: false, llmCalls: 0, promptTokens: 0 } }
      : await deps.runStep({
          role,
          schema: TrendPointsSchema,
          reasoner: reasonerFor(role, cfg, deps),
          model: chatModelFor(role, cfg, deps),
          maxRetries: cfg.maxRetries,
          prompt: () => trendExtractorMessages({ docs, vocab, categoryIds: portrait.mainCategories.map((c) => c.categoryId) }),
          analytic: () => analytic,
        });
  const sellingPoints = await normalisePoints(deps, vocab, out.value.points, docs, relevant, asOf);
  return {
    trends: {
      docs: docs.map(({ text, ...d }) => ({ ...d, snippet: text.slice(0, 120) })),
      setAside,
      sellingPoints,
    },
    report: out.report,
  };
}

/**
 * The KG-path U-Q relevance scorer and its weight fitter.
 *
 * `createUqScorer(driver)` scores all candidate queries of one user: the buyer's behaviour in the
 * history window comes from the caller (`behaviour`, the events the run already read) or from one
 * Cypher read; paired categories and trend documents per query from one Cypher round trip
 * (`UNWIND $queries`); category subtrees from the catalog statistics. Path types, each a raw feature:
 * - `cat`: the user's behaviour on items in the query's category subtree;
 * - `val`: behaviour on items carrying the query's values (share of the values each item has);
 * - `pair`: behaviour in categories `PAIRS_WITH` the query's category, × lift;
 * - `trend`: trend documents (last `trendDays`) mentioning the query's values, recency-weighted;
 * - `cooc`: share of catalog items with a query value that also carry one of the user's ten
 *   strongest values (co-occurrence with preferred values), 0..1 — computed from the per-process
 *   catalog statistics (kg/catalog-stats.ts) on the user's top values the Cypher returns, so its
 *   cost does not grow with the catalog.
 * Behaviour weight = type weight (order 5, inquiry 3, cart 3, collect 2, view 1) ×
 * 2^(−age/halfLifeDays). Features enter a logistic model on log1p(raw) (cooc as is):
 * p = σ(bias + Σ w·f). The strongest contributions, with example item / document ids, are the
 * explanation. `fitUqWeights` fits the weights by L2-regularised logistic regression.
 */
import { z } from "zod";
import { readQuery, type Driver } from "./driver.js";
import { createCatalogStats, type CatalogStats } from "./catalog-stats.js";
import { type UqFeatures, type UqWeights, DEFAULT_UQ_WEIGHTS, UQ_FEATURES, type UqFeature, type UqScorer, type UqScoreArgs, type UqScore, DEFAULT_TYPE_WEIGHTS, type UqQueryInput, type UqBehaviour } from "../contracts/uq.js";

const BEHAVIOUR_CYPHER = `
MATCH (u:User {id: $userId})-[b:BEHAVED]->(i:Item)-[:IN]->(c:Category)
WHERE b.at >= datetime($since) AND b.at < datetime($asOf)
RETURN i.id AS itemId, c.id AS categoryId, b.type AS type, b.at.epochMillis AS atMs,
       COLLECT { MATCH (i)-[:HAS]->(v:Value) RETURN v.id ORDER BY v.id } AS valueIds
ORDER BY b.at, b.id`;

const PATHS_CYPHER = `
UNWIND $queries AS q
CALL (q) {
  OPTIONAL MATCH (:Category {id: q.categoryId})-[p:PAIRS_WITH]->(o:Category)
  WITH o, p ORDER BY p.lift DESC, o.id
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {cat: o.id, lift: p.lift} END) AS pairs
}
CALL (q) {
  UNWIND q.valueIds AS valueId
  MATCH (v:Value {id: valueId})<-[:MENTIONS]-(d:TrendDoc)
  USING INDEX v:Value(id)
  WHERE d.publishedAt < datetime($asOf) AND d.publishedAt >= datetime($trendSince)
  WITH DISTINCT d ORDER BY d.publishedAt DESC, d.id
  RETURN sum(2.0 ^ (toFloat(d.publishedAt.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / 28.0)) AS trend,
         collect(d.id)[..3] AS trendDocs
}
RETURN q.id AS queryId, pairs, trend, trendDocs
`;

const PathsRowSchema = z.object({
  queryId: z.string(),
  pairs: z.array(z.object({ cat: z.string(), lift: z.number() })),
  trend: z.number(),
  trendDocs: z.array(z.string()),
});

const BehaviourRowSchema = z.object({
  itemId: z.string(),
  categoryId: z.string(),
  type: z.string(),
  atMs: z.number(),
  valueIds: z.array(z.string()),
});

/** One engaged item of the buyer: its category, values and decayed, type-weighted behaviour. */
export interface EngagedItem {
  item: string;
  cat: string;
  w: number;
  values: string[];
}

/**
 * Per-item behaviour weights (Σ type weight × 2^(−age/halfLifeDays), age in whole seconds as
 * Neo4j's `epochSeconds`), items in order of first behaviour, and the buyer's ten strongest values
 * (Σ item weight, ties by id).
 */
export function behaviourAggregates(
  behaviour: UqBehaviour[],
  asOf: string,
  halfLifeDays: number,
  typeWeights: Record<string, number>,
): { items: EngagedItem[]; userTop: string[] } {
  const asOfSec = Math.floor(Date.parse(asOf) / 1000);
  const byItem = new Map<string, EngagedItem>();
  for (const b of behaviour) {
    const ageDays = (Math.floor(Date.parse(b.at) / 1000) - asOfSec) / 86400;
    const w = (typeWeights[b.type] ?? 1) * 2 ** (ageDays / halfLifeDays);
    const e = byItem.get(b.itemId);
    if (e) e.w += w;
    else byItem.set(b.itemId, { item: b.itemId, cat: b.categoryId, w, values: b.valueIds });
  }
  const items = [...byItem.values()];
  const byValue = new Map<string, number>();
  for (const x of items) for (const v of new Set(x.values)) byValue.set(v, (byValue.get(v) ?? 0) + x.w);
  const userTop = [...byValue.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 10)
    .map(([v]) => v);
  return { items, userTop };
}

/** The behaviour paths of one query: category subtree, query values (share carried), paired categories × lift. */
export function behaviourPaths(items: EngagedItem[], subtree: ReadonlySet<string>, valueIds: string[], pairs: { cat: string; lift: number }[]) {
  const inCat = items.filter((x) => subtree.has(x.cat));
  const wanted = new Set(valueIds);
  const withVals = items
    .map((x) => ({ item: x.item, n: x.values.filter((v) => wanted.has(v)).length, w: x.w }))
    .filter((x) => x.n > 0)
    .map((x) => ({ item: x.item, w: (x.w * x.n) / valueIds.length }));
  const inPair = (cat: string) => items.filter((x) => x.cat === cat);
  return {
    cat: inCat.reduce((s, x) => s + x.w, 0),
    catItems: inCat.slice(0, 3).map((x) => x.item),
    val: withVals.reduce((s, x) => s + x.w, 0),
    valItems: withVals.slice(0, 3).map((x) => x.item),
    pair: pairs.reduce((s, p) => s + p.lift * inPair(p.cat).reduce((t, x) => t + x.w, 0), 0),
    pairCats: pairs.filter((p) => inPair(p.cat).length > 0).slice(0, 3).map((p) => p.cat),
  };
}

/** log1p of the raw path strengths (cooc is already a share). */
export function transformFeatures(raw: UqFeatures): UqFeatures {
  return { cat: Math.log1p(raw.cat), val: Math.log1p(raw.val), pair: Math.log1p(raw.pair), trend: Math.log1p(raw.trend), cooc: raw.cooc };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** σ(bias + Σ w·f) over transformed features. */
export function combineUq(features: UqFeatures, weights: UqWeights = DEFAULT_UQ_WEIGHTS): number {
  return sigmoid(UQ_FEATURES.reduce((s, k) => s + weights[k] * features[k], weights.bias));
}

const DESCRIBE: Record<UqFeature, (raw: number) => string> = {
  cat: (r) => `在该类目下的行为（加权 ${r.toFixed(1)}）`,
  val: (r) => `对带有这些属性值的商品的行为（加权 ${r.toFixed(1)}）`,
  pair: (r) => `在搭配类目（PAIRS_WITH）的行为 × lift（${r.toFixed(1)}）`,
  trend: (r) => `近期趋势文档提到这些属性值（加权 ${r.toFixed(1)}）`,
  cooc: (r) => `与买家偏好属性值共现的商品占比 ${(r * 100).toFixed(0)}%`,
};

export interface UqScorerOptions {
  /** Catalog statistics shared with the KG reader of the same driver (default: the scorer's own). */
  catalog?: CatalogStats;
}

export function createUqScorer(driver: Driver, options: UqScorerOptions = {}): UqScorer {
  const catalog = options.catalog ?? createCatalogStats(driver);
  return {
    async score(args: UqScoreArgs): Promise<UqScore[]> {
      if (args.queries.length === 0) return [];
      const weights: UqWeights = { ...DEFAULT_UQ_WEIGHTS, ...(args.weights ?? {}) };
      const asOfMs = Date.parse(args.asOf);
      const day = 86_400_000;
      const since = new Date(asOfMs - (args.historyDays ?? 364) * day).toISOString();
      const readBehaviour = async (): Promise<UqBehaviour[]> =>
        (await readQuery(driver, BEHAVIOUR_CYPHER, { userId: args.userId, asOf: args.asOf, since }))
          .map((r) => BehaviourRowSchema.parse(r))
          .map((r) => ({ itemId: r.itemId, categoryId: r.categoryId, type: r.type, at: new Date(r.atMs).toISOString(), valueIds: r.valueIds }));
      const [behaviour, pathRows, snapshot] = await Promise.all([
        args.behaviour ? Promise.resolve(args.behaviour) : readBehaviour(),
        readQuery(driver, PATHS_CYPHER, {
          asOf: args.asOf,
          trendSince: new Date(asOfMs - (args.trendDays ?? 84) * day).toISOString(),
          queries: args.queries.map((q) => ({ id: q.id, categoryId: q.categoryId, valueIds: q.valueIds })),
        }),
        catalog.snapshot(),
      ]);
      const { items, userTop } = behaviourAggregates(behaviour, args.asOf, args.halfLifeDays ?? 91, args.typeWeights ?? DEFAULT_TYPE_WEIGHTS);
      const byId = new Map(
        pathRows.map((r) => PathsRowSchema.parse(r)).map((r) => {
          const q = args.queries.find((x) => x.id === r.queryId)!;
          return [r.queryId, { ...behaviourPaths(items, new Set(snapshot.subtreeIds(q.categoryId)), q.valueIds, r.pairs), trend: r.trend, trendDocs: r.trendDocs, userTop }];
        }),
      );
      return args.queries.map((q) => {
        const r = byId.get(q.id);
        const cooc = r ? snapshot.cooccurrence(q.valueIds, r.userTop, args.asOf) : 0;
        const raw: UqFeatures = r ? { cat: r.cat, val: r.val, pair: r.pair, trend: r.trend, cooc } : { cat: 0, val: 0, pair: 0, trend: 0, cooc: 0 };
        const features = transformFeatures(raw);
        const refs: Record<UqFeature, string[]> = {
          cat: r?.catItems ?? [],
          val: r?.valItems ?? [],
          pair: r?.pairCats ?? [],
          trend: r?.trendDocs ?? [],
          cooc: r?.userTop.slice(0, 3) ?? [],
        };
        const paths = UQ_FEATURES.map((k) => ({
          type: k,
          weight: Math.round(weights[k] * features[k] * 1000) / 1000,
          description: DESCRIBE[k](raw[k]),
          refs: refs[k],
        }))
          .filter((p) => p.weight > 0)
          .sort((a, b) => b.weight - a.weight)
          .slice(0, 3);
        return { queryId: q.id, score: Math.round(combineUq(features, weights) * 10_000) / 10_000, features, paths };
      });
    },
  };
}

export interface UqSample {
  features: UqFeatures;
  relevant: boolean;
}

export interface FitOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
}

/** Logistic regression (batch gradient descent, L2 on the non-bias weights) over transformed features. */
export function fitUqWeights(samples: UqSample[], opts: FitOptions = {}): UqWeights {
  if (samples.length === 0) throw new Error("fitUqWeights needs at least one labelled sample");
  const iterations = opts.iterations ?? 2000;
  const lr = opts.learningRate ?? 0.1;
  const l2 = opts.l2 ?? 0.01;
  const w: UqWeights = { bias: 0, cat: 0, val: 0, pair: 0, trend: 0, cooc: 0 };
  const n = samples.length;
  for (let it = 0; it < iterations; it++) {
    const g: UqWeights = { bias: 0, cat: 0, val: 0, pair: 0, trend: 0, cooc: 0 };
    for (const s of samples) {
      const err = combineUq(s.features, w) - (s.relevant ? 1 : 0);
      g.bias += err;
      for (const k of UQ_FEATURES) g[k] += err * s.features[k];
    }
    w.bias -= (lr * g.bias) / n;
    for (const k of UQ_FEATURES) w[k] -= lr * (g[k] / n + l2 * w[k]);
  }
  return w;
}

/** Fits weights from labelled (user, query, relevant) pairs, scoring their features with `scorer`. */
export async function fitUqWeightsFromPairs(
  scorer: UqScorer,
  pairs: { userId: string; asOf: string; query: UqQueryInput; relevant: boolean }[],
  opts: FitOptions = {},
): Promise<UqWeights> {
  const samples: UqSample[] = [];
  for (const p of pairs) {
    const [s] = await scorer.score({ userId: p.userId, asOf: p.asOf, queries: [p.query] });
    samples.push({ features: s.features, relevant: p.relevant });
  }
  return fitUqWeights(samples, opts);
}

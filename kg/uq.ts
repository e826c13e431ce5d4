/**
 * The KG-path U-Q relevance scorer and its weight fitter.
 *
 * `createUqScorer(driver)` scores all candidate queries of one user in one Cypher round trip
 * (`UNWIND $queries`). Path types, each a raw feature:
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
import { type UqFeatures, type UqWeights, DEFAULT_UQ_WEIGHTS, UQ_FEATURES, type UqFeature, type UqScorer, type UqScoreArgs, type UqScore, DEFAULT_TYPE_WEIGHTS, type UqQueryInput } from "../contracts/uq.js";

const CYPHER = `
OPTIONAL MATCH (u:User {id: $userId})-[b:BEHAVED]->(i:Item)-[:IN]->(c:Category)
WHERE b.at >= datetime($since) AND b.at < datetime($asOf)
WITH i, c, sum(coalesce($typeWeights[b.type], 1.0) * 2.0 ^ (toFloat(b.at.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / $halfLifeDays)) AS w
WITH collect(CASE WHEN i IS NULL THEN null ELSE {item: i.id, cat: c.id, w: w, values: [(i)-[:HAS]->(v:Value) | v.id]} END) AS beh
CALL (beh) {
  UNWIND beh AS x
  UNWIND x.values AS v
  WITH v, sum(x.w) AS vw
  ORDER BY vw DESC LIMIT 10
  RETURN collect(v) AS userTop
}
UNWIND $queries AS q
CALL (q) {
  OPTIONAL MATCH (d:Category)-[:PARENT*0..]->(:Category {id: q.categoryId})
  RETURN collect(d.id) AS subtree
}
CALL (q) {
  OPTIONAL MATCH (:Category {id: q.categoryId})-[p:PAIRS_WITH]->(o:Category)
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {cat: o.id, lift: p.lift} END) AS pairs
}
CALL (q) {
  OPTIONAL MATCH (d:TrendDoc)-[:MENTIONS]->(v:Value)
  WHERE v.id IN q.valueIds AND d.publishedAt < datetime($asOf) AND d.publishedAt >= datetime($trendSince)
  WITH DISTINCT d
  RETURN sum(2.0 ^ (toFloat(d.publishedAt.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / 28.0)) AS trend,
         collect(d.id)[..3] AS trendDocs
}
WITH q, beh, userTop, subtree, pairs, trend, trendDocs,
     [x IN beh WHERE x.cat IN subtree] AS inCat,
     [x IN beh WHERE size([v IN x.values WHERE v IN q.valueIds]) > 0 |
        {item: x.item, w: x.w * size([v IN x.values WHERE v IN q.valueIds]) / toFloat(size(q.valueIds))}] AS withVals
RETURN q.id AS queryId,
       reduce(s = 0.0, x IN inCat | s + x.w) AS cat,
       [x IN inCat | x.item][..3] AS catItems,
       reduce(s = 0.0, x IN withVals | s + x.w) AS val,
       [x IN withVals | x.item][..3] AS valItems,
       reduce(s = 0.0, p IN pairs | s + p.lift * reduce(t = 0.0, x IN [y IN beh WHERE y.cat = p.cat] | t + x.w)) AS pair,
       [p IN pairs WHERE size([x IN beh WHERE x.cat = p.cat]) > 0 | p.cat][..3] AS pairCats,
       trend, trendDocs, userTop
`;

const RowSchema = z.object({
  queryId: z.string(),
  cat: z.number(),
  catItems: z.array(z.string()),
  val: z.number(),
  valItems: z.array(z.string()),
  pair: z.number(),
  pairCats: z.array(z.string()),
  trend: z.number(),
  trendDocs: z.array(z.string()),
  userTop: z.array(z.string()),
});

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
      const [rows, snapshot] = await Promise.all([readQuery(driver, CYPHER, {
        userId: args.userId,
        asOf: args.asOf,
        since: new Date(asOfMs - (args.historyDays ?? 364) * day).toISOString(),
        trendSince: new Date(asOfMs - (args.trendDays ?? 84) * day).toISOString(),
        halfLifeDays: args.halfLifeDays ?? 91,
        typeWeights: args.typeWeights ?? DEFAULT_TYPE_WEIGHTS,
        queries: args.queries.map((q) => ({ id: q.id, categoryId: q.categoryId, valueIds: q.valueIds })),
      }), catalog.snapshot()]);
      const byId = new Map(rows.map((r) => RowSchema.parse(r)).map((r) => [r.queryId, r]));
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

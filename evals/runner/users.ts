/**
 * The `users-ci` evaluation: each system (baselines, the graph, its ablations) produces a list per
 * golden buyer; the list is scored against the buyer's held-out interactions and frozen discovery
 * targets. For the graph, its raw results also give hallucination, JSON validity, latency and cost.
 */
import { RecommendationResult } from "../../contracts/result.js";
import { BEHAVIOUR_WEIGHT, footprintOf, type HistoryIndex } from "../baselines/history-index.js";
import type { Recommender } from "../baselines/recommender.js";
import {
  categoryWidthEvaluator,
  costEvaluators,
  degradedByRoleEvaluators,
  coverageEvaluator,
  discoveryRecallEvaluator,
  diversityEvaluator,
  giniEvaluator,
  hitRateEvaluator,
  jsonValidityEvaluator,
  latencyEvaluators,
  ndcgEvaluator,
  newCategoryShareEvaluator,
  newItemShareEvaluator,
  noveltyEvaluator,
  recallEvaluator,
  serendipityEvaluators,
  strictDiscoveryRecallEvaluator,
  type DiscoveryCase,
  type EvalResult,
  type GroundingVocabulary,
  type RankedCase,
} from "../metrics/index.js";
import type { SystemMetrics } from "../report/markdown.js";
import { hallucinationEvaluators, type JudgedQuery } from "../metrics/catalog-judge.js";
import { catalogFacts } from "../metrics/catalog-facts.js";
import { degradedShare, TypedRecommendationResult } from "./typed-result.js";
import type { GoldenBuyer, UsersGolden } from "../golden/schema.js";
import type { WorldData } from "../world-data.js";

/** One buyer's run of one system. */
export interface BuyerRun {
  userId: string;
  itemIds: string[];
  ms: number;
  /** The graph's raw result (systems only). */
  raw?: unknown;
  /** Every query the generator wrote, before the critic (systems only). */
  generated?: JudgedQuery[];
  error?: string;
}

/** A producer of buyer runs: a baseline wrapped as one, or the graph. */
export interface RunnableSystem {
  name: string;
  kind: SystemMetrics["kind"];
  run(userId: string, k: number): Promise<BuyerRun>;
}

export function fromRecommender(r: Recommender, kind: SystemMetrics["kind"] = "baseline"): RunnableSystem {
  return {
    name: r.name,
    kind,
    async run(userId, k) {
      const t0 = performance.now();
      const itemIds = await r.recommend(userId, k);
      return { userId, itemIds, ms: performance.now() - t0 };
    },
  };
}

export function groundingVocabulary(world: WorldData): GroundingVocabulary {
  return {
    categoryAllows: new Map(world.categories.map((c) => [c.id, c.allows])),
    valueFactor: new Map(world.values.map((v) => [v.id, v.factor])),
  };
}

function gainsOf(b: GoldenBuyer): Map<string, number> {
  const g = new Map<string, number>();
  for (const h of b.heldOut) g.set(h.itemId, Math.max(g.get(h.itemId) ?? 0, BEHAVIOUR_WEIGHT[h.type]));
  return g;
}

export interface UsersContext {
  golden: UsersGolden;
  world: WorldData;
  index: HistoryIndex;
  k: number;
  /** The primitive model's list per buyer (the cocoon's) for serendipity and unexpectedness. */
  primitive?: { name: string; lists: ReadonlyMap<string, readonly string[]> };
}

/** Scores the runs of one system. */
export function scoreUsers(ctx: UsersContext, system: Pick<RunnableSystem, "name" | "kind">, runs: readonly BuyerRun[]): SystemMetrics {
  const { golden, world, index, k } = ctx;
  const byUser = new Map(runs.map((r) => [r.userId, r]));
  const known = (id: string) => world.itemById.has(id);
  const lists = golden.buyers.map((b) => (byUser.get(b.userId)?.itemIds ?? []).filter(known).slice(0, k));
  const ranked: RankedCase[] = golden.buyers.map((b, i) => ({ list: lists[i], gains: gainsOf(b) }));
  const disc: DiscoveryCase[] = golden.buyers.map((b, i) => ({
    listIds: lists[i],
    list: lists[i].map(index.facts),
    targets: b.discovery,
    history: footprintOf(index, b.userId),
    asOf: golden.header.asOf,
  }));
  const metrics: EvalResult[] = [
    recallEvaluator(ranked, k),
    recallEvaluator(ranked, 10),
    ndcgEvaluator(ranked, k),
    hitRateEvaluator(ranked, 10),
    discoveryRecallEvaluator(disc),
    strictDiscoveryRecallEvaluator(disc),
    categoryWidthEvaluator(disc),
    newItemShareEvaluator(disc),
    newCategoryShareEvaluator(disc),
    diversityEvaluator(disc.map((d) => d.list)),
    noveltyEvaluator(lists, index.buyersTouching, index.buyerCount),
    coverageEvaluator(lists, index.candidates.length),
    giniEvaluator(lists, index.candidates),
  ];
  if (ctx.primitive) {
    const pm = ctx.primitive;
    metrics.push(
      ...serendipityEvaluators(
        golden.buyers.map((b, i) => ({ list: lists[i], primitive: pm.lists.get(b.userId) ?? [], relevant: new Set(b.heldOut.map((h) => h.itemId)) })),
        k,
        pm.name,
      ),
    );
  }
  const raws = runs.filter((r) => r.raw !== undefined || r.error !== undefined);
  if (raws.length > 0) {
    const parsed = raws.map((r) => RecommendationResult.safeParse(r.raw)).filter((p) => p.success).map((p) => p.data!);
    metrics.push(jsonValidityEvaluator(raws.map((r) => r.raw), (x) => TypedRecommendationResult.safeParse(x).success));
    const steps = parsed.flatMap((p) => p.steps);
    metrics.push({ key: "degraded_step_rate", score: degradedShare(steps), comment: `${steps.filter((s) => s.degraded).length} of ${steps.length} reasoning steps fell back to the analytic reasoner after an LLM failure` });
    metrics.push(...degradedByRoleEvaluators(steps));
    metrics.push(
      ...hallucinationEvaluators(
        raws.flatMap((r) => r.generated ?? []),
        parsed.flatMap((p) => p.queries.map((q) => ({ text: q.text, categoryId: q.categoryId, valueIds: q.valueIds }))),
        catalogFacts(world, golden.header.asOf),
      ),
    );
    const before = parsed.map((p) => p.hallucination.before);
    metrics.push({
      key: "critic_flag_rate_before",
      score: before.length ? before.reduce((a, b) => a + b, 0) / before.length : 0,
      comment: "share of candidate queries the critic failed before its loop (system's own count)",
    });
    const rounds = parsed.map((p) => p.hallucination.loops);
    metrics.push({
      key: "critic_rounds_per_buyer",
      score: rounds.length ? rounds.reduce((a, b) => a + b, 0) / rounds.length : 0,
      comment: `mean critic rounds per buyer (first round included), max ${rounds.length ? Math.max(...rounds) : 0}`,
    });
    metrics.push(...latencyEvaluators(runs.map((r) => r.ms)));
    metrics.push(
      ...costEvaluators(
        parsed.map((p) => ({
          llmCalls: p.steps.reduce((s, x) => s + x.llmCalls, 0),
          promptTokens: p.steps.reduce((s, x) => s + x.promptTokens, 0),
          completionTokens: p.steps.reduce((s, x) => s + (x.completionTokens ?? 0), 0),
        })),
      ),
    );
    const errors = runs.filter((r) => r.error).length;
    metrics.push({ key: "errors", score: errors, comment: `${errors} of ${runs.length} buyers failed` });
  }
  return { name: system.name, kind: system.kind, metrics };
}

/** Runs every system over every golden buyer (sequentially), reporting progress, and scores them. */
export async function evaluateUsers(
  ctx: UsersContext,
  systems: readonly RunnableSystem[],
  onProgress?: (done: number, total: number, label: string) => void,
): Promise<{ systems: SystemMetrics[]; runs: Record<string, BuyerRun[]> }> {
  const total = systems.length * ctx.golden.buyers.length;
  let done = 0;
  const out: SystemMetrics[] = [];
  const allRuns: Record<string, BuyerRun[]> = {};
  for (const s of systems) {
    const runs: BuyerRun[] = [];
    for (const b of ctx.golden.buyers) {
      try {
        runs.push(await s.run(b.userId, ctx.k));
      } catch (e) {
        runs.push({ userId: b.userId, itemIds: [], ms: 0, error: e instanceof Error ? e.message : String(e) });
      }
      onProgress?.(++done, total, s.name);
    }
    allRuns[s.name] = runs;
    out.push(scoreUsers(ctx, s, runs));
  }
  return { systems: out, runs: allRuns };
}

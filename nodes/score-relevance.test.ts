import { describe, expect, it } from "vitest";
import { scoreRelevance } from "./score-relevance.js";
import type { GraphDeps } from "../contracts/deps.js";
import type { Dropped, Query, ScoredQuery } from "../contracts/queries.js";
import type { GraphState } from "../contracts/state.js";
import type { UqScoreArgs, UqScorer } from "../contracts/uq.js";
import type { UserEvent } from "../contracts/kg.js";
import { createMemo } from "../lib/deps.js";

const events: UserEvent[] = [
  { id: "e1", type: "view", at: "2025-05-01T00:00:00.000Z", itemId: "i-1", title: "t", shortTitle: "t", categoryId: "c-dress", categoryName: "连衣裙", values: [{ id: "v-french", factor: "风格", name: "法式" }], searchTerm: null, dwellS: 10, quantity: null, amount: null },
  { id: "e2", type: "search", at: "2025-05-02T00:00:00.000Z", itemId: null, title: null, shortTitle: null, categoryId: null, categoryName: null, values: [], searchTerm: "连衣裙", dwellS: null, quantity: null, amount: null },
];

/** Deps with the scorer, a KG that knows the buyer's events, and a memo. */
const depsWith = (uq: UqScorer) => ({ uq, kg: { userEvents: async () => events }, memo: createMemo() }) as unknown as GraphDeps;

const query = (id: string): Query => ({
  id, text: `${id} 批发`, categoryId: "c-dress", categoryName: "连衣裙", valueIds: ["v-french"], values: ["法式"], unknownValues: [],
  horizon: "long", evidence: [{ kind: "cfv", id: "cfv:long:c-dress:v-french" }], reason: "", round: 0,
});

/** Scores by query id; records the weights each call received. */
function scorer(scores: Record<string, number>, seen: UqScoreArgs["weights"][]): UqScorer {
  return {
    score: async (args) => {
      seen.push(args.weights);
      return args.queries.map((q) => ({ queryId: q.id, score: scores[q.id], features: { cat: 0, val: 0, pair: 0, trend: 0, cooc: 0 }, paths: [] }));
    },
  };
}

function state(ids: string[]): GraphState {
  return {
    userId: "u-1",
    asOf: "2025-06-01T00:00:00.000Z",
    candidates: ids.map(query),
    verdicts: Object.fromEntries(ids.map((id) => [id, { queryId: id, verdict: "pass", issues: [], feedback: "", round: 1 }])),
  } as unknown as GraphState;
}

describe("score_relevance", () => {
  const scores = { a: 0.9, b: 0.35, c: 0.1 };

  it("keeps the queries at or above uqThreshold and drops the rest with the reason", async () => {
    const seen: UqScoreArgs["weights"][] = [];
    const run = async (uqThreshold: number) => {
      const out = await scoreRelevance(state(["a", "b", "c"]), { configurable: { deps: depsWith(scorer(scores, seen)), uqThreshold } });
      return { kept: (out.scored as ScoredQuery[]).map((q) => q.id), reasons: (out.dropped as Dropped[]).map((d) => d.reason) };
    };
    const strict = await run(0.4);
    expect(strict.kept).toEqual(["a"]);
    expect(strict.reasons).toEqual(["U-Q score 0.35 below 0.4", "U-Q score 0.1 below 0.4"]);
    expect((await run(0.2)).kept).toEqual(["a", "b"]);
    expect((await run(0)).kept).toEqual(["a", "b", "c"]);
  });

  it("passes the configured U-Q weights to the scorer, with the trend path off when no trend source is configured", async () => {
    const seen: UqScoreArgs["weights"][] = [];
    const uqWeights = { bias: -1, cat: 1, val: 1, pair: 1, trend: 1, cooc: 1 };
    const deps = depsWith(scorer(scores, seen));
    await scoreRelevance(state(["a"]), { configurable: { deps, uqWeights } });
    await scoreRelevance(state(["a"]), { configurable: { deps, uqWeights, trendSources: [] } });
    expect(seen).toEqual([uqWeights, { ...uqWeights, trend: 0 }]);
  });

  it("gives the scorer the buyer's behaviour from the history events the run read (searches left out)", async () => {
    const given: UqScoreArgs[] = [];
    const uq: UqScorer = { score: async (args) => (given.push(args), args.queries.map((q) => ({ queryId: q.id, score: 0.9, features: { cat: 0, val: 0, pair: 0, trend: 0, cooc: 0 }, paths: [] }))) };
    await scoreRelevance(state(["a"]), { configurable: { deps: depsWith(uq) } });
    expect(given[0].behaviour).toEqual([{ itemId: "i-1", categoryId: "c-dress", valueIds: ["v-french"], type: "view", at: "2025-05-01T00:00:00.000Z" }]);
  });
});

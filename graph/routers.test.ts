import { describe, expect, it } from "vitest";
import { AFTER_CRITIC, routeAfterCritic } from "./routers.js";
import { add, append, mergeRecord, replace } from "../contracts/state.js";
import { readConfiguration, resolveConfiguration } from "../contracts/configuration.js";

const q = (id: string) => ({ id }) as never;
const v = (verdict: "pass" | "fail") => ({ verdict }) as never;

describe("routeAfterCritic", () => {
  it("sends failures back while rounds are within the cap", () => {
    const state = { candidates: [q("a"), q("b")], verdicts: { a: v("pass"), b: v("fail") }, criticRounds: 1 };
    expect(routeAfterCritic(state, 2)).toBe("regenerate");
    expect(AFTER_CRITIC[routeAfterCritic(state, 2)]).toBe("generate_queries");
  });

  it("stops at the cap even with failures", () => {
    const state = { candidates: [q("b")], verdicts: { b: v("fail") }, criticRounds: 3 };
    expect(routeAfterCritic(state, 2)).toBe("score");
    expect(routeAfterCritic({ ...state, criticRounds: 1 }, 0)).toBe("score");
  });

  it("moves on when everything passed", () => {
    const state = { candidates: [q("a")], verdicts: { a: v("pass") }, criticRounds: 1 };
    expect(routeAfterCritic(state, 2)).toBe("score");
    expect(AFTER_CRITIC.score).toBe("score_relevance");
  });

  it("ignores verdicts of queries no longer among the candidates", () => {
    const state = { candidates: [q("c")], verdicts: { b: v("fail"), c: v("pass") }, criticRounds: 1 };
    expect(routeAfterCritic(state, 2)).toBe("score");
  });
});

describe("reducers", () => {
  it("replace keeps the last write", () => expect(replace([1], [2])).toEqual([2]));
  it("append concatenates single values and lists", () => {
    expect(append([1], [2, 3])).toEqual([1, 2, 3]);
    expect(append([1], 2)).toEqual([1, 2]);
  });
  it("mergeRecord overrides per key", () => expect(mergeRecord({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 }));
  it("add counts", () => expect(add(add(0, 1), 1)).toBe(2));
});

describe("configuration", () => {
  it("has the documented defaults", () => {
    const c = resolveConfiguration();
    expect(c.maxCriticLoops).toBe(2);
    expect(c.queryCount).toBe(24);
    expect(c.finalQueryCount).toBe(14);
    expect(c.discoverySlotShare).toBe(0.3);
    expect(c.finalListSize).toBe(50);
    expect(c.historyWeeks).toBe(52);
    expect(c.reasoner.critic).toBe("auto");
    expect(c.excludeRecentlyOrdered).toBe(true);
  });

  it("keeps zeros (?? not ||) and per-role reasoners", () => {
    const c = resolveConfiguration({ maxCriticLoops: 0, uqThreshold: 0, defaultReasoner: "analytic", reasoner: { critic: "llm" } });
    expect(c.maxCriticLoops).toBe(0);
    expect(c.uqThreshold).toBe(0);
    expect(c.reasoner.portrait).toBe("analytic");
    expect(c.reasoner.critic).toBe("llm");
  });

  it("reads configurable and ignores foreign keys", () => {
    const c = readConfiguration({ configurable: { thread_id: "t", queryCount: 5, deps: {} } });
    expect(c.queryCount).toBe(5);
  });

  it("rejects invalid values", () => {
    expect(() => resolveConfiguration({ queryCount: -1 })).toThrow();
  });
});

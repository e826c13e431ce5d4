/**
 * Views of a buyer's history and of the catalog shared by several nodes and roles: the events of
 * the history window and the recent trend documents of a set of categories (memoised per deps),
 * and a category's ancestors.
 */
import type { GraphDeps } from "../contracts/deps.js";
import type { Configuration } from "../contracts/configuration.js";
import type { TrendDocHit, UserEvent, Vocabulary } from "../contracts/kg.js";
import { addDays } from "./time.js";

/** The user's events in the history window, memoised per deps (several nodes read them). */
export function historyEvents(deps: GraphDeps, userId: string, asOf: string, historyWeeks: number): Promise<UserEvent[]> {
  const since = addDays(asOf, -7 * historyWeeks);
  return deps.memo.get(`events:${userId}:${since}:${asOf}`, () => deps.kg.userEvents(userId, { asOf, since }));
}

/** Trend documents of the last `trendWeeks` mentioning these categories (memoised). */
export function categoryTrendDocs(deps: GraphDeps, cfg: Configuration, asOf: string, categoryIds: string[]): Promise<TrendDocHit[]> {
  const ids = [...new Set(categoryIds)].sort();
  return deps.memo.get(`trends:${asOf}:${cfg.trendWeeks}:${ids.join(",")}`, () =>
    deps.kg.trendDocsByMentions({ categoryIds: ids }, { asOf, since: addDays(asOf, -7 * cfg.trendWeeks), limit: 200 }),
  );
}

export function ancestorIds(vocab: Vocabulary, categoryId: string): string[] {
  const cat = new Map(vocab.categories.map((c) => [c.id, c]));
  const out: string[] = [];
  let c = cat.get(categoryId);
  while (c) {
    out.push(c.id);
    c = c.parentId ? cat.get(c.parentId) : undefined;
  }
  return out;
}


/**
 * load_context — reads `userId`, `asOf`; writes `asOf` (normalised), `context` (history window,
 * behaviour counts per type, categories touched, items ordered recently). Fails with a clear
 * error for an unknown user or a bad date. No reasoning step.
 */
import { z } from "zod";
import { Overwrite } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { EVENT_TYPES } from "../world/schema.js";
import type { UserEvent } from "../kg/types.js";
import { getDeps, type GraphDeps } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { addDays, normaliseAsOf } from "./time.js";

export const ContextSchema = z.object({
  historyStart: z.string(),
  totalEvents: z.number().int().nonnegative(),
  eventCounts: z.record(z.enum(EVENT_TYPES), z.number().int().nonnegative()),
  categoriesTouched: z.array(z.object({ categoryId: z.string(), name: z.string(), events: z.number().int() })),
  /** Items the buyer ordered within `recentOrderWeeks` before `asOf`. */
  recentlyOrderedItemIds: z.array(z.string()),
});
export type Context = z.infer<typeof ContextSchema>;

export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`unknown user "${userId}"`);
  }
}

/** The user's events in the history window, memoised per deps (several nodes read them). */
export function historyEvents(deps: GraphDeps, userId: string, asOf: string, historyWeeks: number): Promise<UserEvent[]> {
  const since = addDays(asOf, -7 * historyWeeks);
  return deps.memo.get(`events:${userId}:${since}:${asOf}`, () => deps.kg.userEvents(userId, { asOf, since }));
}

export function summariseContext(events: UserEvent[], historyStart: string, asOf: string, recentOrderWeeks: number): Context {
  const eventCounts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Context["eventCounts"];
  const cats = new Map<string, { name: string; events: number }>();
  const recentFrom = addDays(asOf, -7 * recentOrderWeeks);
  const ordered = new Set<string>();
  for (const e of events) {
    eventCounts[e.type] += 1;
    if (e.categoryId) {
      const c = cats.get(e.categoryId) ?? { name: e.categoryName ?? e.categoryId, events: 0 };
      c.events += 1;
      cats.set(e.categoryId, c);
    }
    if (e.type === "order" && e.itemId && e.at >= recentFrom) ordered.add(e.itemId);
  }
  return {
    historyStart,
    totalEvents: events.length,
    eventCounts,
    categoriesTouched: [...cats.entries()]
      .map(([categoryId, c]) => ({ categoryId, name: c.name, events: c.events }))
      .sort((a, b) => b.events - a.events || a.categoryId.localeCompare(b.categoryId)),
    recentlyOrderedItemIds: [...ordered].sort(),
  };
}

export async function loadContext(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const asOf = normaliseAsOf(state.asOf);
  if (!(await deps.kg.userExists(state.userId))) throw new UnknownUserError(state.userId);
  const historyStart = addDays(asOf, -7 * cfg.historyWeeks);
  const events = await historyEvents(deps, state.userId, asOf, cfg.historyWeeks);
  return { asOf, context: summariseContext(events, historyStart, asOf, cfg.recentOrderWeeks), ...freshRun() };
}

/**
 * Resets every channel that accumulates across nodes (counters, appended lists, merged maps), so a
 * second run on the same thread (LangGraph Studio, a checkpointer) starts clean instead of
 * inheriting the previous run's critic rounds, verdicts, candidates and reports.
 */
export function freshRun(): GraphUpdate {
  return {
    candidates: [],
    rejectedTexts: new Overwrite([]),
    verdicts: new Overwrite({}),
    criticRounds: new Overwrite(0),
    hallucination: null,
    dropped: new Overwrite([]),
    retrieved: new Overwrite({}),
    explanations: new Overwrite({}),
    steps: new Overwrite([]),
    timings: new Overwrite([]),
  } as unknown as GraphUpdate;
}

/**
 * load_context — reads `userId`, `asOf`; writes `asOf` (normalised), `context` (history window,
 * behaviour counts per type, categories touched, items ordered recently). Fails with a clear
 * error for an unknown user or a bad date. No reasoning step.
 */
import { z } from "zod";
import { Overwrite } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { EVENT_TYPES } from "../contracts/records.js";
import type { UserEvent } from "../contracts/kg.js";
import { getDeps } from "../lib/deps.js";
import { readConfiguration } from "../contracts/configuration.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { addDays, normaliseAsOf } from "../lib/time.js";
import { type GraphDeps } from "../contracts/deps.js";
import { type Context } from "../contracts/behaviour.js";
import { historyEvents } from "../lib/history.js";

export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`unknown user "${userId}"`);
  }
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
  const [exists, events] = await Promise.all([deps.kg.userExists(state.userId), historyEvents(deps, state.userId, asOf, cfg.historyWeeks)]);
  if (!exists) throw new UnknownUserError(state.userId);
  const historyStart = addDays(asOf, -7 * cfg.historyWeeks);
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

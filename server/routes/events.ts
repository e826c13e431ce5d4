/**
 * `POST /v1/events`: a batch of behaviour events. Each event is validated on its own; the valid
 * ones are written (idempotently by `eventId`: the first write wins) before the answer, the
 * invalid and conflicting ones are listed with their index, and the newly stored ones go to the
 * near-line trigger engine.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { EventRecord } from "../../contracts/records.js";
import { ApiError, ErrorBody } from "../errors.js";
import { createKeyBuckets, type AppEnv } from "../middleware.js";
import { ApiEvent, EventsBody, EventsResponse, type RejectedEvent } from "../schemas.js";
import type { AppDeps } from "../deps.js";

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((s) => [s, { description: "error", content: { "application/json": { schema: ErrorBody } } }]));

const eventsRoute = createRoute({
  method: "post",
  path: "/v1/events",
  tags: ["events"],
  summary: "Ingest a batch of behaviour events",
  description:
    "Valid events are stored before the answer; invalid ones are listed by index and the rest are still stored. The first write of an `eventId` wins: a retry with the same content is listed under `duplicates` and changes nothing, other content under a used id is rejected with `event_id_conflict`; `stored` counts only new events. Unknown buyers are created; events on unknown items are rejected.",
  security: [{ bearerAuth: [] }],
  request: { body: { content: { "application/json": { schema: EventsBody } }, required: true } },
  responses: {
    200: { description: "what was stored and what was rejected", content: { "application/json": { schema: EventsResponse } } },
    ...errors(400, 401, 413, 429, 500, 503),
  },
});

const toRecord = (e: ApiEvent): EventRecord => ({
  id: e.eventId,
  userId: e.userId,
  type: e.type,
  at: e.at,
  ...(e.itemId !== undefined ? { itemId: e.itemId } : {}),
  ...(e.searchTerm !== undefined ? { searchTerm: e.searchTerm } : {}),
  ...(e.dwellS !== undefined ? { dwellS: e.dwellS } : {}),
  ...(e.quantity !== undefined ? { quantity: e.quantity } : {}),
  ...(e.amount !== undefined ? { amount: e.amount } : {}),
});

const eventIdOf = (raw: unknown): string | null => {
  if (raw && typeof raw === "object" && "eventId" in raw) {
    const v = (raw as { eventId: unknown }).eventId;
    if (typeof v === "string") return v.slice(0, 64);
  }
  return null;
};

export function registerEventRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openAPIRegistry.register("Event", ApiEvent);
  const ingested = deps.metrics.counter("chrysalis_events_total", "Events received by outcome");
  const budget = createKeyBuckets({ perSecond: deps.limits.eventsRatePerSecond, burst: deps.limits.eventsRateBurst, unit: "events" });

  app.openapi(eventsRoute, async (c) => {
    const { events } = c.req.valid("json");
    const max = deps.limits.eventsMaxBatch;
    if (events.length > max) throw new ApiError("batch_too_large", `a batch holds at most ${max} events; got ${events.length}`, { max, got: events.length });
    budget.take(c.get("apiKey"), events.length);

    const rejected: RejectedEvent[] = [];
    const valid: { index: number; event: ApiEvent }[] = [];
    events.forEach((raw, index) => {
      const parsed = ApiEvent.safeParse(raw);
      if (parsed.success) valid.push({ index, event: parsed.data });
      else {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
        rejected.push({ index, eventId: eventIdOf(raw), code: "invalid_event", message: `${where}${issue?.message ?? "invalid"}` });
      }
    });

    const sunk = valid.length > 0 ? await deps.events.write(valid.map((v) => toRecord(v.event))) : { duplicates: [], rejected: [] };
    const notStored = new Set<number>(sunk.duplicates);
    const duplicates = sunk.duplicates.map((i) => ({ index: valid[i].index, eventId: valid[i].event.eventId }));
    for (const r of sunk.rejected) {
      const original = valid[r.index];
      if (!original) continue;
      notStored.add(r.index);
      rejected.push({ index: original.index, eventId: original.event.eventId, code: r.code, message: r.message });
    }
    rejected.sort((a, b) => a.index - b.index);
    const stored = valid.filter((_, i) => !notStored.has(i)).map((v) => v.event);

    ingested.inc({ outcome: "stored" }, stored.length);
    ingested.inc({ outcome: "duplicate" }, duplicates.length);
    ingested.inc({ outcome: "rejected" }, rejected.length);
    const triggered = await deps.triggers.onEvents(stored.map((e) => ({ eventId: e.eventId, userId: e.userId, type: e.type })));
    return c.json({ received: events.length, stored: stored.length, duplicates, rejected, triggered }, 200);
  });
}

/**
 * The API's wire schemas (zod, described for OpenAPI): path parameters, the behaviour event of
 * `POST /v1/events`, invoke bodies, and the responses. Every identifier is checked by pattern and
 * length; free text by length and the absence of control characters.
 */
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../contracts/records.js";
import { RecommendationResult } from "../contracts/result.js";
import { neo4jDateTimeIssue } from "../kg/datetime.js";

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const CONTROL = /\p{Cc}/u;

/**
 * A date-time Neo4j will parse (`kg/datetime.ts`), built here with the OpenAPI-aware `z`: a zod 4
 * schema created before `@hono/zod-openapi` was loaded has no `.openapi` (npm start loads the KG
 * modules first).
 */
const ApiDateTime = z.iso.datetime({ offset: true }).superRefine((value, ctx) => {
  const issue = neo4jDateTimeIssue(value);
  if (issue) ctx.addIssue({ code: "custom", message: issue });
});

export const Id = z.string().min(1).max(64).regex(ID_PATTERN, "1-64 characters: letters, digits, _ . : - (starting with a letter or digit)");

export const UserIdParam = z.object({
  userId: Id.openapi({ param: { name: "userId", in: "path" }, example: "b0001" }),
});

/** One behaviour event as posted by clients. */
export const ApiEvent = z
  .object({
    eventId: Id.openapi({
      description: "client-chosen unique id; the first write wins: a retry with the same content is a duplicate and changes nothing, other content is rejected (event_id_conflict)",
      example: "ev-20250601-0001",
    }),
    userId: Id.openapi({ description: "buyer id; unknown buyers are created", example: "b0001" }),
    type: z.enum(EVENT_TYPES),
    at: ApiDateTime.openapi({ description: "ISO 8601 with offset (within ±18:00), at most 9 fraction digits, year 1970-2100", example: "2025-06-01T10:15:00Z" }),
    itemId: Id.optional().openapi({ description: "required for every type except search; must be a known item" }),
    searchTerm: z.string().trim().min(1).max(100).refine((s) => !CONTROL.test(s), "no control characters").optional().openapi({ description: "required for search" }),
    dwellS: z.number().nonnegative().max(86_400).optional(),
    quantity: z.number().int().positive().max(10_000_000).optional(),
    amount: z.number().nonnegative().max(1e10).optional(),
  })
  .strict()
  .refine((e) => (e.type === "search" ? e.searchTerm !== undefined && e.itemId === undefined : e.itemId !== undefined), {
    message: "search events need searchTerm (and no itemId); other events need itemId",
  })
  .openapi("Event");
export type ApiEvent = z.infer<typeof ApiEvent>;

export const EventsBody = z
  .object({
    events: z
      .array(z.unknown())
      .min(1)
      .openapi({ type: "array", items: { $ref: "#/components/schemas/Event" }, description: "a batch of events; each is validated on its own" }),
  })
  .openapi("EventBatch");

export const RejectedEvent = z
  .object({
    index: z.number().int().nonnegative(),
    eventId: z.string().nullable(),
    code: z.enum(["invalid_event", "unknown_item", "event_id_conflict"]),
    message: z.string(),
  })
  .openapi("RejectedEvent");
export type RejectedEvent = z.infer<typeof RejectedEvent>;

export const EventsResponse = z
  .object({
    received: z.number().int(),
    stored: z.number().int().openapi({ description: "events newly written by this request" }),
    duplicates: z
      .array(z.object({ index: z.number().int().nonnegative(), eventId: z.string() }))
      .openapi({ description: "events already stored with the same content (retries): nothing changed" }),
    rejected: z.array(RejectedEvent),
    triggered: z.array(Id).openapi({ description: "buyers whose near-line run this batch scheduled" }),
  })
  .openapi("EventsResponse");

export const InvokeBody = z
  .object({
    asOf: ApiDateTime.optional().openapi({ description: "exclusive end of visible history; default now" }),
    config: z.record(z.string(), z.unknown()).optional().openapi({ description: "configuration overrides (the graph's configuration schema)" }),
  })
  .strict()
  .openapi("InvokeBody");

export const ResultSchema = z.object(RecommendationResult.shape).openapi("RecommendationResult");

export const LatestResponse = z
  .object({
    result: ResultSchema,
    source: z.enum(["invoke", "nearline"]),
    storedAt: z.string(),
    ageSeconds: z.number().nonnegative(),
  })
  .openapi("LatestRecommendations");

export const HealthResponse = z.object({ status: z.literal("ok") }).openapi("Health");

export const ReadyResponse = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), ms: z.number(), detail: z.string().optional(), error: z.string().optional() })),
  })
  .openapi("Ready");

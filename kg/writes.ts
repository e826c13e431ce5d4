/**
 * Batched, idempotent graph writes (`UNWIND` + `MERGE` on ids, event ids included), shared by
 * the loader, the importer and serving. A rewrite of a record replaces its relationships (an
 * item's category, seller and values; a category's parent and factors).
 * Events are the exception: an event id is written once (the first write wins; a retry with the
 * same content is a duplicate, other content a conflict). `writeEvents` and the coalescing
 * `createEventWriter` are the entry points for live behaviour: they validate events (date-times
 * Neo4j cannot parse included), create unknown users, and report (do not write) events whose item
 * is unknown, all in one statement per transaction.
 */
import { z } from "zod";
import {
  CategoryRecord,
  EventRecord,
  SellerRecord,
  BuyerRecord,
  TrendDocRecord,
  ValueRecord,
} from "../contracts/records.js";
import { txRun, writeTransaction, type Driver, type ManagedTransaction } from "./driver.js";
import { neo4jDateTimeIssue } from "./datetime.js";
import { toNative } from "./mapping.js";

/** An item row as written: ids of values resolved, short title present, embedding computed. */
export interface ItemRow {
  id: string;
  title: string;
  shortTitle: string;
  categoryId: string;
  valueIds: string[];
  price: number;
  moq: number;
  priceTiers: { minQty: number; price: number }[];
  launchedAt: string;
  sellerId: string;
  embedding: number[] | null;
}

/** A trend document row with its vocabulary mentions. */
export interface TrendDocRow extends TrendDocRecord {
  valueMentions: { id: string; weight: number }[];
  categoryMentions: { id: string; weight: number }[];
}

export async function writeCategories(tx: ManagedTransaction, rows: CategoryRecord[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (c:Category {id: row.id})
     SET c.name = row.name, c.level = row.level, c.noun = coalesce(row.noun, row.name), c.parentId = row.parentId
     WITH c, row
     CALL (c, row) {
       OPTIONAL MATCH (c)-[stale:ALLOWS|PARENT]->(other)
       WHERE (other:Factor AND NOT other.name IN row.allows) OR (other:Category AND other.id <> coalesce(row.parentId, ''))
       DELETE stale
     }
     WITH c, row
     UNWIND row.allows AS factor
     MERGE (f:Factor {name: factor})
     MERGE (c)-[:ALLOWS]->(f)`,
    { rows },
  );
  await tx.run(
    `UNWIND $rows AS row
     WITH row WHERE row.parentId IS NOT NULL
     MATCH (c:Category {id: row.id})
     MATCH (p:Category {id: row.parentId})
     MERGE (c)-[:PARENT]->(p)`,
    { rows },
  );
  await bumpCatalogVersion(tx);
}

export async function writeFactors(tx: ManagedTransaction, names: string[]): Promise<void> {
  await tx.run("UNWIND $names AS name MERGE (:Factor {name: name})", { names });
}

export async function writeValues(tx: ManagedTransaction, rows: ValueRecord[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (v:Value {id: row.id})
     SET v.factor = row.factor, v.name = row.name, v.aliases = row.aliases
     MERGE (f:Factor {name: row.factor})
     MERGE (v)-[:OF]->(f)`,
    { rows },
  );
}

export async function writeSellers(tx: ManagedTransaction, rows: SellerRecord[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (s:Seller {id: row.id})
     SET s.name = row.name, s.type = row.type, s.joinedAt = datetime(row.joinedAt)`,
    { rows },
  );
  await bumpCatalogVersion(tx);
}

let catalogWritesInProcess = 0;

/** How many catalog-changing transactions this process has run (catalog statistics re-check the version when it moves). */
export function catalogWritesSeen(): number {
  return catalogWritesInProcess;
}

/** Bumps the catalog version that per-process catalog statistics watch (kg/catalog-stats.ts); run in every transaction that changes items, sellers or categories. */
export async function bumpCatalogVersion(tx: ManagedTransaction): Promise<void> {
  await tx.run("MERGE (m:CatalogVersion {key: 'catalog'}) SET m.version = coalesce(m.version, 0) + 1");
  catalogWritesInProcess += 1;
}

export async function writeItems(tx: ManagedTransaction, rows: ItemRow[]): Promise<void> {
  const params = rows.map((r) => ({
    ...r,
    tierQty: r.priceTiers.map((t) => t.minQty),
    tierPrice: r.priceTiers.map((t) => t.price),
  }));
  await tx.run(
    `UNWIND $rows AS row
     MATCH (c:Category {id: row.categoryId})
     MATCH (s:Seller {id: row.sellerId})
     MERGE (i:Item {id: row.id})
     SET i.title = row.title, i.shortTitle = row.shortTitle, i.price = row.price, i.moq = row.moq,
         i.priceTierQty = row.tierQty, i.priceTierPrice = row.tierPrice,
         i.launchedAt = datetime(row.launchedAt), i.categoryId = row.categoryId, i.sellerId = row.sellerId
     FOREACH (_ IN CASE WHEN row.embedding IS NULL THEN [] ELSE [1] END | SET i.embedding = row.embedding)
     WITH i, c, s, row
     CALL (i, c, s, row) {
       OPTIONAL MATCH (i)-[stale:IN|SOLD_BY|HAS]->(other)
       WHERE (other:Category AND other <> c) OR (other:Seller AND other <> s)
          OR (other:Value AND NOT other.id IN row.valueIds)
       DELETE stale
     }
     MERGE (i)-[:IN]->(c)
     MERGE (i)-[:SOLD_BY]->(s)
     WITH i, row
     CALL (i, row) {
       UNWIND row.valueIds AS valueId
       MATCH (v:Value {id: valueId})
       MERGE (i)-[:HAS]->(v)
     }`,
    { rows: params },
  );
  await bumpCatalogVersion(tx);
}

export async function writeUsers(tx: ManagedTransaction, rows: BuyerRecord[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (u:User {id: row.id})
     SET u.name = row.name, u.joinedAt = datetime(row.joinedAt), u.region = row.region`,
    { rows },
  );
}

/** An event as sent to Cypher: every optional field present (null when absent). */
interface EventParam {
  id: string;
  userId: string;
  type: string;
  at: string;
  itemId: string | null;
  searchTerm: string | null;
  dwellS: number | null;
  quantity: number | null;
  amount: number | null;
}

const toEventParam = (e: EventRecord): EventParam => ({
  id: e.id,
  userId: e.userId,
  type: e.type,
  at: e.at,
  itemId: e.itemId ?? null,
  searchTerm: e.searchTerm ?? null,
  dwellS: e.dwellS ?? null,
  quantity: e.quantity ?? null,
  amount: e.amount ?? null,
});

/** What became of an event that was not newly stored. */
export type EventOutcome = "duplicate" | "conflict" | "missing";

/** An event's outcome; for a conflict, the content key (`contentKey`) of the event stored under its id. */
export interface StoreOutcome {
  outcome: EventOutcome;
  storedKey?: string;
}

/**
 * One statement for a whole batch of events with distinct ids. Event ids are one namespace
 * across `BEHAVED` and `SEARCHED` (both looked up through their relationship uniqueness
 * constraints): the first write of an id wins. An id already stored with the same content is a
 * `duplicate`, with other content a `conflict`; neither changes anything. A new item event whose
 * item does not exist is `missing` (not written, its user not created). Returns only the rows
 * that were not newly stored.
 */
const EVENT_WRITE = `
UNWIND $rows AS row
OPTIONAL MATCH (bu:User)-[b:BEHAVED {id: row.id}]->(bi:Item)
OPTIONAL MATCH (su:User)-[s:SEARCHED {id: row.id}]->(st:SearchTerm)
WITH row, b, bu, bi, s, su, st, datetime(row.at) AS at
WITH row, at, CASE
  WHEN b IS NOT NULL THEN
    CASE WHEN row.type <> 'search' AND b.type = row.type AND bu.id = row.userId AND bi.id = row.itemId
           AND b.at.epochSeconds = at.epochSeconds AND b.at.nanosecond = at.nanosecond
           AND coalesce(b.dwellS = row.dwellS, b.dwellS IS NULL AND row.dwellS IS NULL)
           AND coalesce(b.quantity = row.quantity, b.quantity IS NULL AND row.quantity IS NULL)
           AND coalesce(b.amount = row.amount, b.amount IS NULL AND row.amount IS NULL)
         THEN 'duplicate' ELSE 'conflict' END
  WHEN s IS NOT NULL THEN
    CASE WHEN row.type = 'search' AND su.id = row.userId AND st.text = row.searchTerm
           AND s.at.epochSeconds = at.epochSeconds AND s.at.nanosecond = at.nanosecond
         THEN 'duplicate' ELSE 'conflict' END
  ELSE 'new' END AS status
OPTIONAL MATCH (i:Item {id: row.itemId})
WITH row, at, i, CASE WHEN status = 'new' AND row.type <> 'search' AND i IS NULL THEN 'missing' ELSE status END AS status
CALL (row, at, status) {
  WITH row, at, status WHERE status = 'new' AND row.type = 'search'
  MERGE (u:User {id: row.userId})
  MERGE (t:SearchTerm {text: row.searchTerm})
  CREATE (u)-[:SEARCHED {id: row.id, at: at}]->(t)
}
CALL (row, at, i, status) {
  WITH row, at, i, status WHERE status = 'new' AND row.type <> 'search'
  MERGE (u:User {id: row.userId})
  CREATE (u)-[:BEHAVED {id: row.id, type: row.type, at: at, dwellS: row.dwellS, quantity: row.quantity, amount: row.amount}]->(i)
}
WITH row, status WHERE status <> 'new'
OPTIONAL MATCH (bu:User)-[b:BEHAVED {id: row.id}]->(bi:Item) WHERE status = 'conflict'
OPTIONAL MATCH (su:User)-[s:SEARCHED {id: row.id}]->(st:SearchTerm) WHERE status = 'conflict'
RETURN row.id AS id, status, CASE
  WHEN b IS NOT NULL THEN [bu.id, b.type, bi.id, null, b.at.epochSeconds, b.at.nanosecond, b.dwellS, b.quantity, b.amount]
  WHEN s IS NOT NULL THEN [su.id, 'search', null, st.text, s.at.epochSeconds, s.at.nanosecond, null, null, null]
  ELSE null END AS stored`;

/**
 * Writes a batch of events in one statement. When an id occurs more than once in `rows`, only its
 * first occurrence is sent. Returns the outcome of every id that was not newly stored.
 */
async function writeEventStatement(tx: ManagedTransaction, rows: EventRecord[]): Promise<Map<string, StoreOutcome>> {
  const seen = new Set<string>();
  const params: EventParam[] = [];
  for (const e of rows) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    params.push(toEventParam(e));
  }
  if (params.length === 0) return new Map();
  const result = await tx.run(EVENT_WRITE, { rows: params });
  return new Map(
    result.records.map((r) => {
      const stored = toNative(r.get("stored")) as [string, string, string | null, string | null, number, number, number | null, number | null, number | null] | null;
      const outcome: StoreOutcome = { outcome: r.get("status") as EventOutcome };
      if (stored) {
        const [userId, type, itemId, searchTerm, seconds, nanos, dwellS, quantity, amount] = stored;
        outcome.storedKey = JSON.stringify([userId, type, itemId, searchTerm, `${seconds * 1000}.${String(nanos).padStart(9, "0")}`, dwellS, quantity, amount]);
      }
      return [r.get("id") as string, outcome];
    }),
  );
}

/**
 * Writes events (first write of an id wins; see `EVENT_WRITE`); users are created when missing.
 * Returns how many rows reference an existing item (or are searches): stored now or before.
 */
export async function writeEventRows(tx: ManagedTransaction, rows: EventRecord[]): Promise<number> {
  const outcomes = await writeEventStatement(tx, rows);
  return rows.filter((e) => outcomes.get(e.id)?.outcome !== "missing").length;
}

export async function writeTrendDocs(tx: ManagedTransaction, rows: TrendDocRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MERGE (d:TrendDoc {id: row.id})
     SET d.source = row.source, d.title = row.title, d.text = row.text,
         d.publishedAt = datetime(row.publishedAt), d.url = row.url
     WITH d, row
     CALL (d, row) {
       OPTIONAL MATCH (d)-[stale:MENTIONS]->(m)
       WHERE NOT m.id IN [x IN row.valueMentions + row.categoryMentions | x.id]
       DELETE stale
     }
     CALL (d, row) {
       UNWIND row.valueMentions AS m
       MATCH (v:Value {id: m.id})
       MERGE (d)-[r:MENTIONS]->(v)
       SET r.weight = m.weight
     }
     CALL (d, row) {
       UNWIND row.categoryMentions AS m
       MATCH (c:Category {id: m.id})
       MERGE (d)-[r:MENTIONS]->(c)
       SET r.weight = m.weight
     }`,
    { rows },
  );
}

/** Why an event was not stored: invalid, on an unknown item, or its id holds another event. */
export type RejectionCode = "invalid_event" | "unknown_item" | "event_id_conflict";

export interface WriteEventsResult {
  /** Events newly stored by this call. */
  written: number;
  /** Events already stored with the same content (retries): nothing changed. */
  duplicates: { index: number; eventId: string }[];
  /** Events that were not written, with their index in the input and the reason. */
  rejected: { index: number; eventId: string | null; code: RejectionCode; reason: string }[];
}

interface PreparedEvents {
  valid: { index: number; event: EventRecord }[];
  rejected: WriteEventsResult["rejected"];
}

function prepareEvents(events: unknown[]): PreparedEvents {
  const rejected: WriteEventsResult["rejected"] = [];
  const valid: PreparedEvents["valid"] = [];
  events.forEach((raw, index) => {
    const parsed = EventRecord.safeParse(raw);
    const atIssue = parsed.success ? neo4jDateTimeIssue(parsed.data.at) : null;
    if (parsed.success && atIssue === null) valid.push({ index, event: parsed.data });
    else {
      const id = z.object({ id: z.string() }).safeParse(raw);
      const reason = parsed.success ? `at: ${atIssue}` : (parsed.error.issues[0]?.message ?? "invalid");
      rejected.push({ index, eventId: id.success ? id.data.id : null, code: "invalid_event", reason });
    }
  });
  return { valid, rejected };
}

/** The instant of an ISO date-time as `<epoch ms of the whole second>.<9 fraction digits>` (offset-independent). */
function instantKey(at: string): string {
  const fraction = /\.(\d+)/.exec(at)?.[1] ?? "";
  const ms = Date.parse(at.replace(/\.\d+/, ""));
  return `${ms}.${fraction.padEnd(9, "0")}`;
}

/** The content of an event that a retry must repeat exactly (the same key as `StoreOutcome.storedKey`). */
const contentKey = (e: EventRecord): string =>
  JSON.stringify([e.userId, e.type, e.itemId ?? null, e.searchTerm ?? null, instantKey(e.at), e.dwellS ?? null, e.quantity ?? null, e.amount ?? null]);

/** The outcome of each event object of a group, given the store's outcomes of first occurrences. */
type Settled = "stored" | EventOutcome;

/**
 * Resolves every event of a group against the first occurrence of its id in the group (the one
 * the store saw): the first takes the store's outcome; a later one with the same content is a
 * duplicate of it (or shares its rejection); with other content it is a duplicate of what the
 * database already held under the id when it matches that, else a conflict.
 */
function settleGroup(groups: PreparedEvents[], outcomes: Map<string, StoreOutcome>): Map<EventRecord, Settled> {
  const first = new Map<string, { event: EventRecord; key: string }>();
  const settled = new Map<EventRecord, Settled>();
  for (const { valid } of groups) {
    for (const { event } of valid) {
      const key = contentKey(event);
      const head = first.get(event.id);
      if (!head) {
        first.set(event.id, { event, key });
        settled.set(event, outcomes.get(event.id)?.outcome ?? "stored");
        continue;
      }
      const headOutcome = settled.get(head.event) as Settled;
      if (key === head.key) settled.set(event, headOutcome === "stored" ? "duplicate" : headOutcome);
      else settled.set(event, key === outcomes.get(event.id)?.storedKey ? "duplicate" : "conflict");
    }
  }
  return settled;
}

function resultOf({ valid, rejected }: PreparedEvents, settled: Map<EventRecord, Settled>): WriteEventsResult {
  const out = [...rejected];
  const duplicates: WriteEventsResult["duplicates"] = [];
  let written = 0;
  for (const { index, event } of valid) {
    const outcome = settled.get(event) ?? "stored";
    if (outcome === "stored") written += 1;
    else if (outcome === "duplicate") duplicates.push({ index, eventId: event.id });
    else if (outcome === "missing") out.push({ index, eventId: event.id, code: "unknown_item", reason: `unknown item ${event.itemId}` });
    else out.push({ index, eventId: event.id, code: "event_id_conflict", reason: `event id ${event.id} is already used by an event with other content` });
  }
  out.sort((a, b) => a.index - b.index);
  return { written, duplicates, rejected: out };
}

/**
 * Stores a batch of events in one transaction; resolves with the outcome of each id not newly
 * stored. When an id occurs more than once, only its first occurrence counts.
 */
export type EventStore = (rows: EventRecord[]) => Promise<Map<string, StoreOutcome>>;

/** The Neo4j `EventStore`: one managed write transaction, one statement. */
export function neo4jEventStore(driver: Driver): EventStore {
  return (rows) => writeTransaction(driver, (tx) => writeEventStatement(tx, rows));
}

/** Stores the groups' events in one call of `store`; one result per group. */
async function storeGroups(store: EventStore, groups: PreparedEvents[]): Promise<WriteEventsResult[]> {
  const outcomes = await store(groups.flatMap((g) => g.valid.map((v) => v.event)));
  const settled = settleGroup(groups, outcomes);
  return groups.map((g) => resultOf(g, settled));
}

/**
 * Stores live behaviour events idempotently: the first write of an event id wins, a retry with
 * the same content is reported as a duplicate and changes nothing, other content under a used id
 * is rejected (`event_id_conflict`). Invalid events (a date-time Neo4j cannot parse included)
 * and events on unknown items are rejected by index; unknown users are created.
 */
export async function writeEvents(driver: Driver, events: unknown[]): Promise<WriteEventsResult> {
  const prepared = prepareEvents(events);
  if (prepared.valid.length === 0) return resultOf(prepared, new Map());
  const [result] = await storeGroups(neo4jEventStore(driver), [prepared]);
  return result;
}

export const EventWriterOptions = z.object({
  /** Most events in one coalesced transaction (a single larger batch still goes alone). */
  maxEvents: z.number().int().positive().default(5000),
  /** Transactions in flight at once (1: our own transactions never wait on each other's locks). */
  concurrency: z.number().int().positive().default(1),
  /**
   * Errors that fail every batch of a group at once instead of retrying each batch alone (the
   * database is unreachable: retrying cannot help). Default: none.
   */
  isUnavailable: z.custom<(error: unknown) => boolean>((v) => typeof v === "function").optional(),
});
export type EventWriterOptions = z.input<typeof EventWriterOptions>;

export interface EventWriter {
  /** Same contract as `writeEvents`; resolves once this batch's transaction has committed. */
  write(events: unknown[]): Promise<WriteEventsResult>;
}

interface Pending {
  prepared: PreparedEvents;
  size: number;
  resolve(result: WriteEventsResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for concurrent callers: a batch that arrives while `concurrency` transactions are
 * in flight waits, and the waiting batches are then stored together in one transaction (up to
 * `maxEvents`). Each caller gets its own result. When a group's transaction fails, each of its
 * batches is retried alone, so one bad batch fails only its own caller (unless the error says the
 * database is unavailable: then every batch of the group fails at once).
 */
export function createEventWriter(store: EventStore, options: EventWriterOptions = {}): EventWriter {
  const { maxEvents, concurrency, isUnavailable } = EventWriterOptions.parse(options);
  const queue: Pending[] = [];
  let inFlight = 0;

  const flush = async (group: Pending[]): Promise<void> => {
    try {
      const results = await storeGroups(store, group.map((p) => p.prepared));
      group.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (group.length === 1 || isUnavailable?.(error)) {
        for (const p of group) p.reject(error);
        return;
      }
      for (const p of group) {
        try {
          const [result] = await storeGroups(store, [p.prepared]);
          p.resolve(result);
        } catch (alone) {
          p.reject(alone);
        }
      }
    }
  };

  const pump = (): void => {
    while (inFlight < concurrency && queue.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + queue[0].size <= maxEvents)) {
        const next = queue.shift() as Pending;
        group.push(next);
        size += next.size;
      }
      inFlight += 1;
      void flush(group).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return {
    write(events) {
      const prepared = prepareEvents(events);
      if (prepared.valid.length === 0) return Promise.resolve(resultOf(prepared, new Map()));
      return new Promise<WriteEventsResult>((resolve, reject) => {
        queue.push({ prepared, size: prepared.valid.length, resolve, reject });
        pump();
      });
    },
  };
}

/** Runs one batch writer in its own transaction. */
export async function writeBatch<T, R = void>(
  driver: Driver,
  writer: (tx: ManagedTransaction, rows: T[]) => Promise<R>,
  rows: T[],
): Promise<R | undefined> {
  if (rows.length === 0) return undefined;
  return writeTransaction(driver, (tx) => writer(tx, rows));
}

export { txRun };

/**
 * Batched, idempotent graph writes (`UNWIND` + `MERGE` on ids, event ids included), shared by
 * the loader, the importer and serving. A rewrite of a record replaces its relationships (an
 * item's category, seller and values; a category's parent and factors; an event's endpoints).
 * `writeEvents` and the coalescing `createEventWriter` are the entry points for live behaviour:
 * they validate events, create unknown users, and report (do not write) events whose item is
 * unknown, all in one statement per transaction.
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

/**
 * One statement for a whole batch: searches, then item events whose item exists (looked up by
 * the `Item.id` constraint). Every relationship is found by its id through the relationship
 * uniqueness constraint's index: moved when its endpoints changed, merged otherwise. Returns the
 * item ids that do not exist (their events are not written, their users not created).
 */
const EVENT_WRITE = `
CALL () {
  UNWIND $searches AS row
  MERGE (u:User {id: row.userId})
  MERGE (t:SearchTerm {text: row.searchTerm})
  WITH u, t, row
  CALL (u, t, row) {
    OPTIONAL MATCH (a)-[moved:SEARCHED {id: row.id}]->(b)
    WHERE a <> u OR b <> t
    DELETE moved
  }
  MERGE (u)-[r:SEARCHED {id: row.id}]->(t)
  SET r.at = datetime(row.at)
}
UNWIND $behaviours AS row
OPTIONAL MATCH (i:Item {id: row.itemId})
CALL (row, i) {
  WITH row, i WHERE i IS NOT NULL
  MERGE (u:User {id: row.userId})
  WITH u, i, row
  CALL (u, i, row) {
    OPTIONAL MATCH (a)-[moved:BEHAVED {id: row.id}]->(b)
    WHERE a <> u OR b <> i
    DELETE moved
  }
  MERGE (u)-[r:BEHAVED {id: row.id}]->(i)
  SET r.type = row.type, r.at = datetime(row.at), r.dwellS = row.dwellS,
      r.quantity = row.quantity, r.amount = row.amount
}
WITH row, i WHERE i IS NULL
RETURN collect(DISTINCT row.itemId) AS missing`;

/** Writes a batch of events in one statement; returns the ids of unknown items (not written). */
async function writeEventStatement(tx: ManagedTransaction, rows: EventRecord[]): Promise<Set<string>> {
  const searches: EventParam[] = [];
  const behaviours: EventParam[] = [];
  for (const e of rows) (e.type === "search" ? searches : behaviours).push(toEventParam(e));
  if (searches.length === 0 && behaviours.length === 0) return new Set();
  const result = await tx.run(EVENT_WRITE, { searches, behaviours });
  return new Set(toNative(result.records[0]?.get("missing") ?? []) as string[]);
}

/**
 * Writes events; users are created when missing. Returns how many were written: an event whose
 * item does not exist is skipped (callers check items first or compare the count).
 */
export async function writeEventRows(tx: ManagedTransaction, rows: EventRecord[]): Promise<number> {
  const missing = await writeEventStatement(tx, rows);
  return rows.filter((e) => e.type === "search" || !missing.has(e.itemId as string)).length;
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

export interface WriteEventsResult {
  written: number;
  /** Events that were not written, with their index in the input and the reason. */
  rejected: { index: number; eventId: string | null; reason: string }[];
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
    if (parsed.success) valid.push({ index, event: parsed.data });
    else {
      const id = z.object({ id: z.string() }).safeParse(raw);
      rejected.push({ index, eventId: id.success ? id.data.id : null, reason: parsed.error.issues[0]?.message ?? "invalid" });
    }
  });
  return { valid, rejected };
}

function settleEvents({ valid, rejected }: PreparedEvents, missing: Set<string>): WriteEventsResult {
  const out = [...rejected];
  let written = 0;
  for (const { index, event } of valid) {
    if (event.type !== "search" && missing.has(event.itemId as string)) {
      out.push({ index, eventId: event.id, reason: `unknown item ${event.itemId}` });
    } else written += 1;
  }
  out.sort((a, b) => a.index - b.index);
  return { written, rejected: out };
}

/** Stores a batch of events in one transaction; resolves with the ids of unknown items. */
export type EventStore = (rows: EventRecord[]) => Promise<Set<string>>;

/** The Neo4j `EventStore`: one managed write transaction, one statement. */
export function neo4jEventStore(driver: Driver): EventStore {
  return (rows) => writeTransaction(driver, (tx) => writeEventStatement(tx, rows));
}

/**
 * Stores live behaviour events idempotently (a retry with the same event ids changes nothing).
 * Invalid events and events on unknown items are rejected by index; unknown users are created.
 */
export async function writeEvents(driver: Driver, events: unknown[]): Promise<WriteEventsResult> {
  const prepared = prepareEvents(events);
  const missing = prepared.valid.length > 0 ? await neo4jEventStore(driver)(prepared.valid.map((v) => v.event)) : new Set<string>();
  return settleEvents(prepared, missing);
}

export const EventWriterOptions = z.object({
  /** Most events in one coalesced transaction (a single larger batch still goes alone). */
  maxEvents: z.number().int().positive().default(5000),
  /** Transactions in flight at once (1: our own transactions never wait on each other's locks). */
  concurrency: z.number().int().positive().default(1),
});
export type EventWriterOptions = z.input<typeof EventWriterOptions>;

export interface EventWriter {
  /** Same contract as `writeEvents`; resolves once this batch's transaction has committed. */
  write(events: unknown[]): Promise<WriteEventsResult>;
}

interface Pending {
  prepared: PreparedEvents;
  rows: EventRecord[];
  resolve(result: WriteEventsResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for concurrent callers: a batch that arrives while `concurrency` transactions are
 * in flight waits, and the waiting batches are then stored together in one transaction (up to
 * `maxEvents`). Each caller gets its own result; a failed transaction fails every batch in it.
 */
export function createEventWriter(store: EventStore, options: EventWriterOptions = {}): EventWriter {
  const { maxEvents, concurrency } = EventWriterOptions.parse(options);
  const queue: Pending[] = [];
  let inFlight = 0;

  const flush = async (group: Pending[]): Promise<void> => {
    try {
      const missing = await store(group.flatMap((p) => p.rows));
      for (const p of group) p.resolve(settleEvents(p.prepared, missing));
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  };

  const pump = (): void => {
    while (inFlight < concurrency && queue.length > 0) {
      const group: Pending[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + queue[0].rows.length <= maxEvents)) {
        const next = queue.shift() as Pending;
        group.push(next);
        size += next.rows.length;
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
      if (prepared.valid.length === 0) return Promise.resolve(settleEvents(prepared, new Set()));
      return new Promise<WriteEventsResult>((resolve, reject) => {
        queue.push({ prepared, rows: prepared.valid.map((v) => v.event), resolve, reject });
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

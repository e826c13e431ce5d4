/**
 * Batched, idempotent graph writes (`UNWIND` + `MERGE` on ids, event ids included), shared by
 * the loader, the importer and serving. A rewrite of a record replaces its relationships (an
 * item's category, seller and values; a category's parent and factors; an event's endpoints). `writeEvents` is the entry point for live behaviour: it
 * validates events, creates unknown users, and reports (does not write) events whose item is
 * unknown.
 */
import { z } from "zod";
import {
  CategoryRecord,
  EventRecord,
  SellerRecord,
  BuyerRecord,
  TrendDocRecord,
  ValueRecord,
} from "../world/schema.js";
import { readQuery, txRun, writeTransaction, type Driver, type ManagedTransaction } from "./driver.js";
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

/**
 * Writes events; users are created when missing. Returns how many were written: an event whose
 * item does not exist is skipped (callers check items first or compare the count).
 */
export async function writeEventRows(tx: ManagedTransaction, rows: EventRecord[]): Promise<number> {
  const searches = rows.filter((e) => e.type === "search");
  const behaviours = rows.filter((e) => e.type !== "search");
  let written = 0;
  if (behaviours.length > 0) {
    const result = await tx.run(
      `UNWIND $rows AS row
       MERGE (u:User {id: row.userId})
       WITH u, row
       MATCH (i:Item {id: row.itemId})
       CALL (u, i, row) {
         OPTIONAL MATCH (a)-[moved:BEHAVED {id: row.id}]->(b)
         WHERE a <> u OR b <> i
         DELETE moved
       }
       MERGE (u)-[r:BEHAVED {id: row.id}]->(i)
       SET r.type = row.type, r.at = datetime(row.at), r.dwellS = row.dwellS,
           r.quantity = row.quantity, r.amount = row.amount
       RETURN count(r) AS n`,
      { rows: behaviours },
    );
    written += Number(toNative(result.records[0]?.get("n") ?? 0));
  }
  if (searches.length > 0) {
    await tx.run(
      `UNWIND $rows AS row
       MERGE (u:User {id: row.userId})
       MERGE (t:SearchTerm {text: row.searchTerm})
       WITH u, t, row
       CALL (u, t, row) {
         OPTIONAL MATCH (a)-[moved:SEARCHED {id: row.id}]->(b)
         WHERE a <> u OR b <> t
         DELETE moved
       }
       MERGE (u)-[r:SEARCHED {id: row.id}]->(t)
       SET r.at = datetime(row.at)`,
      { rows: searches },
    );
    written += searches.length;
  }
  return written;
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

/**
 * Stores live behaviour events idempotently (a retry with the same event ids changes nothing).
 * Invalid events and events on unknown items are rejected by index; unknown users are created.
 */
export async function writeEvents(driver: Driver, events: unknown[]): Promise<WriteEventsResult> {
  const rejected: WriteEventsResult["rejected"] = [];
  const valid: { index: number; event: EventRecord }[] = [];
  events.forEach((raw, index) => {
    const parsed = EventRecord.safeParse(raw);
    if (parsed.success) valid.push({ index, event: parsed.data });
    else {
      const id = z.object({ id: z.string() }).safeParse(raw);
      rejected.push({ index, eventId: id.success ? id.data.id : null, reason: parsed.error.issues[0]?.message ?? "invalid" });
    }
  });
  const itemIds = [...new Set(valid.flatMap(({ event }) => (event.itemId ? [event.itemId] : [])))];
  const known = new Set(
    (await readQuery(driver, "UNWIND $ids AS id MATCH (i:Item {id: id}) RETURN i.id AS id", { ids: itemIds })).map(
      (r) => r.id as string,
    ),
  );
  const writable: EventRecord[] = [];
  for (const { index, event } of valid) {
    if (event.type !== "search" && !known.has(event.itemId as string)) {
      rejected.push({ index, eventId: event.id, reason: `unknown item ${event.itemId}` });
    } else writable.push(event);
  }
  if (writable.length > 0) await writeTransaction(driver, (tx) => writeEventRows(tx, writable));
  rejected.sort((a, b) => a.index - b.index);
  return { written: writable.length, rejected };
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

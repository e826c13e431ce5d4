import { describe, expect, it } from "vitest";
import type { EventRecord } from "../contracts/records.js";
import { createEventWriter, type EventStore } from "./writes.js";

const view = (id: string, itemId: string) => ({ id, userId: "u-1", type: "view", at: "2025-07-01T10:00:00Z", itemId });

/** A store that records each call and holds it until released; events on `missing` items are missing. */
function heldStore(missing: string[] = []) {
  const calls: EventRecord[][] = [];
  const releases: Array<(error?: Error) => void> = [];
  const store: EventStore = (rows) =>
    new Promise((resolve, reject) => {
      calls.push(rows);
      const outcomes = new Map(rows.filter((e) => missing.includes(e.itemId ?? "")).map((e) => [e.id, { outcome: "missing" as const }]));
      releases.push((error) => (error ? reject(error) : resolve(outcomes)));
    });
  return { store, calls, releases };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("createEventWriter", () => {
  it("stores batches that wait behind a running transaction together, each caller getting its own rejections", async () => {
    const { store, calls, releases } = heldStore(["gone"]);
    const writer = createEventWriter(store, { concurrency: 1 });
    const first = writer.write([view("a1", "i-1")]);
    await tick();
    const second = writer.write([view("b1", "i-1"), { id: "b2", type: "view" }, view("b3", "gone")]);
    const third = writer.write([view("c1", "i-2")]);
    await tick();
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a1"]]);
    releases[0]();
    await tick();
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a1"], ["b1", "b3", "c1"]]);
    releases[1]();
    expect(await first).toEqual({ written: 1, duplicates: [], rejected: [] });
    const b = await second;
    expect(b.written).toBe(1);
    expect(b.rejected.map((r) => [r.index, r.eventId])).toEqual([
      [1, "b2"],
      [2, "b3"],
    ]);
    expect(b.rejected[1].reason).toBe("unknown item gone");
    expect(await third).toEqual({ written: 1, duplicates: [], rejected: [] });
  });

  it("runs up to `concurrency` transactions at once and bounds a group by maxEvents", async () => {
    const { store, calls, releases } = heldStore();
    const writer = createEventWriter(store, { concurrency: 2, maxEvents: 2 });
    const writes = ["a", "b", "c", "d", "e"].map((id) => writer.write([view(id, "i-1")]));
    await tick();
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a"], ["b"]]);
    releases[1]();
    await tick();
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a"], ["b"], ["c", "d"]]);
    releases[0]();
    releases[2]();
    await tick();
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a"], ["b"], ["c", "d"], ["e"]]);
    releases[3]();
    expect((await Promise.all(writes)).map((r) => r.written)).toEqual([1, 1, 1, 1, 1]);
  });

  it("fails every batch of a transaction that failed for unavailability and keeps serving later batches", async () => {
    const { store, calls, releases } = heldStore();
    const writer = createEventWriter(store, { concurrency: 1, isUnavailable: (e) => e instanceof Error && e.message === "lost connection" });
    const first = writer.write([view("a", "i-1")]);
    await tick();
    const second = writer.write([view("b", "i-1")]);
    const third = writer.write([view("c", "i-1")]);
    releases[0](new Error("deadlock"));
    await expect(first).rejects.toThrow("deadlock");
    await tick();
    releases[1](new Error("lost connection"));
    await expect(second).rejects.toThrow("lost connection");
    await expect(third).rejects.toThrow("lost connection");
    const fourth = writer.write([view("d", "i-1")]);
    await tick();
    releases[2]();
    expect(await fourth).toEqual({ written: 1, duplicates: [], rejected: [] });
    expect(calls.map((c) => c.map((e) => e.id))).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("answers a batch with no valid event without a transaction", async () => {
    const { store, calls } = heldStore();
    const writer = createEventWriter(store);
    const result = await writer.write([{ id: "x", type: "view" }, 42]);
    expect(result.written).toBe(0);
    expect(result.rejected.map((r) => [r.index, r.eventId])).toEqual([
      [0, "x"],
      [1, null],
    ]);
    expect(calls).toEqual([]);
  });
});

/** A store that fails any call holding an event with id `poison`, and otherwise records what it stored. */
function poisonStore() {
  const stored = new Map<string, EventRecord>();
  const calls: string[][] = [];
  const store: EventStore = async (rows) => {
    calls.push(rows.map((e) => e.id));
    await new Promise((r) => setTimeout(r, 5));
    if (rows.some((e) => e.id === "poison")) throw new Error("Neo.ClientError.Statement.ArgumentError");
    const outcomes = new Map<string, { outcome: "duplicate" | "conflict" }>();
    const seen = new Set<string>();
    for (const e of rows) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      const before = stored.get(e.id);
      if (!before) stored.set(e.id, e);
      else outcomes.set(e.id, { outcome: JSON.stringify(before) === JSON.stringify(e) ? "duplicate" : "conflict" });
    }
    return outcomes;
  };
  return { store, stored, calls };
}

describe("createEventWriter isolation", () => {
  it("retries the other batches of a failed group alone, so only the bad batch fails", async () => {
    const { store, stored, calls } = poisonStore();
    const writer = createEventWriter(store, { concurrency: 1 });
    const first = writer.write([view("a", "i-1")]);
    const waiting = [writer.write([view("b1", "i-1"), view("b2", "i-1")]), writer.write([view("poison", "i-1")]), writer.write([view("c", "i-1")])];
    const [good1, bad, good2] = await Promise.allSettled(waiting);
    await first;
    expect(good1).toEqual({ status: "fulfilled", value: { written: 2, duplicates: [], rejected: [] } });
    expect(bad.status).toBe("rejected");
    expect(good2).toEqual({ status: "fulfilled", value: { written: 1, duplicates: [], rejected: [] } });
    expect(calls).toEqual([["a"], ["b1", "b2", "poison", "c"], ["b1", "b2"], ["poison"], ["c"]]);
    expect([...stored.keys()].sort()).toEqual(["a", "b1", "b2", "c"]);
  });
});

describe("event id idempotency in the writer", () => {
  it("within one batch: the first occurrence wins, a same-content repeat is a duplicate, other content a conflict", async () => {
    const { store, stored, calls } = poisonStore();
    const writer = createEventWriter(store);
    const result = await writer.write([
      { ...view("m", "i-1"), dwellS: 30 },
      { ...view("m", "i-1"), dwellS: 999 },
      { ...view("m", "i-1"), dwellS: 30, at: "2025-07-01T12:00:00+02:00" },
      { id: "m", userId: "u-1", type: "search", at: "2025-07-01T10:00:00Z", searchTerm: "裙" },
    ]);
    expect(calls).toEqual([["m", "m", "m", "m"]]);
    expect(result.written).toBe(1);
    expect(result.duplicates).toEqual([{ index: 2, eventId: "m" }]);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "event_id_conflict"],
      [3, "event_id_conflict"],
    ]);
    expect(stored.get("m")?.dwellS).toBe(30);
  });

  it("across batches of one group: the earlier batch wins and the later is told so", async () => {
    const { store } = poisonStore();
    const writer = createEventWriter(store, { concurrency: 1 });
    const first = writer.write([view("z", "i-1")]);
    const a = writer.write([{ ...view("k", "i-1"), userId: "buyer-a" }]);
    const b = writer.write([{ ...view("k", "i-1"), userId: "buyer-b" }]);
    const again = writer.write([{ ...view("k", "i-1"), userId: "buyer-a" }]);
    await first;
    expect(await a).toEqual({ written: 1, duplicates: [], rejected: [] });
    expect((await b).rejected.map((r) => r.code)).toEqual(["event_id_conflict"]);
    expect(await again).toEqual({ written: 0, duplicates: [{ index: 0, eventId: "k" }], rejected: [] });
  });

  it("rejects date-times Neo4j cannot parse before any transaction", async () => {
    const { store, calls } = poisonStore();
    const writer = createEventWriter(store);
    const result = await writer.write([
      { ...view("t1", "i-1"), at: "2025-05-20T10:00:00+23:59" },
      { ...view("t2", "i-1"), at: "2025-05-20T10:00:00.1234567891Z" },
      { ...view("t3", "i-1"), at: "0000-01-01T00:00:00Z" },
      { ...view("t4", "i-1"), at: "2025-05-20T10:00:00.123456789+18:00" },
    ]);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, "invalid_event"],
      [1, "invalid_event"],
      [2, "invalid_event"],
    ]);
    expect(result.rejected[0].reason).toMatch(/18:00/);
    expect(calls).toEqual([["t4"]]);
  });
});

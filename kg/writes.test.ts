import { describe, expect, it } from "vitest";
import type { EventRecord } from "../contracts/records.js";
import { createEventWriter, type EventStore } from "./writes.js";

const view = (id: string, itemId: string) => ({ id, userId: "u-1", type: "view", at: "2025-07-01T10:00:00Z", itemId });

/** A store that records each call and holds it until released. */
function heldStore(missing: string[] = []) {
  const calls: EventRecord[][] = [];
  const releases: Array<(error?: Error) => void> = [];
  const store: EventStore = (rows) =>
    new Promise((resolve, reject) => {
      calls.push(rows);
      releases.push((error) => (error ? reject(error) : resolve(new Set(missing))));
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
    expect(await first).toEqual({ written: 1, rejected: [] });
    const b = await second;
    expect(b.written).toBe(1);
    expect(b.rejected.map((r) => [r.index, r.eventId])).toEqual([
      [1, "b2"],
      [2, "b3"],
    ]);
    expect(b.rejected[1].reason).toBe("unknown item gone");
    expect(await third).toEqual({ written: 1, rejected: [] });
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

  it("fails every batch of a failed transaction and keeps serving later batches", async () => {
    const { store, calls, releases } = heldStore();
    const writer = createEventWriter(store, { concurrency: 1 });
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
    expect(await fourth).toEqual({ written: 1, rejected: [] });
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

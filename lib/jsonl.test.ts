import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJsonl } from "./jsonl.js";
import { EventRecord, FactorRecord } from "../contracts/records.js";

const dir = mkdtempSync(join(tmpdir(), "read-jsonl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readJsonl", () => {
  it("yields valid records and names each bad line with its reason, then goes on", async () => {
    const file = join(dir, "events.jsonl");
    writeFileSync(
      file,
      [
        `{"id":"e-1","userId":"b-1","type":"search","at":"2025-01-01T00:00:00.000Z","searchTerm":"法式碎花连衣裙 批发"}`,
        `{"id":"e-2","userId":"b-1","type":"view","at":"2025-01-01T00:01:00.000Z"}`,
        ``,
        `{not json`,
        `{"id":"e-3","userId":"b-1","type":"teleport","at":"2025-01-01T00:02:00.000Z","itemId":"i-1"}`,
        `{"id":"e-4","userId":"b-1","type":"order","at":"2025-01-01T00:03:00.000Z","itemId":"i-1","quantity":2,"amount":19.8}`,
      ].join("\n"),
    );
    const results = [];
    for await (const r of readJsonl(file, EventRecord)) results.push(r);
    expect(results.map((r) => [r.line, r.ok])).toEqual([[1, true], [2, false], [4, false], [5, false], [6, true]]);
    const bad = results.filter((r) => !r.ok);
    expect(bad[0]).toMatchObject({ error: expect.stringContaining("itemId") });
    expect(bad[1]).toMatchObject({ error: expect.stringContaining("invalid JSON") });
    expect(bad[2]).toMatchObject({ error: expect.stringContaining("type") });
    const last = results[4];
    expect(last.ok && last.record.amount).toBe(19.8);
  });

  it("ignores a UTF-8 byte-order mark at the start of a file, so the first line is kept", async () => {
    const file = join(dir, "factors.jsonl");
    writeFileSync(file, '\uFEFF{"name":"风格"}\n{"name":"图案"}\r\n');
    const results = [];
    for await (const r of readJsonl(file, FactorRecord)) results.push(r);
    expect(results.map((r) => (r.ok ? [r.line, r.record.name] : [r.line, r.error]))).toEqual([[1, "风格"], [2, "图案"]]);
  });
});

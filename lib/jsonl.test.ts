import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FactorRecord } from "../contracts/records.js";
import { readJsonl } from "./jsonl.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jsonl-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(text: string) {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.jsonl`);
  fs.writeFileSync(file, text);
  const out: Array<{ ok: boolean; line: number; name?: string; error?: string }> = [];
  for await (const r of readJsonl(file, FactorRecord)) out.push(r.ok ? { ok: true, line: r.line, name: r.record.name } : { ok: false, line: r.line, error: r.error });
  return out;
}

describe("readJsonl", () => {
  it("ignores a UTF-8 byte-order mark at the start of a file, so the first line is kept", async () => {
    expect(await readAll('\uFEFF{"name":"风格"}\n{"name":"图案"}\n')).toEqual([
      { ok: true, line: 1, name: "风格" },
      { ok: true, line: 2, name: "图案" },
    ]);
  });

  it("reports a bad line with its number and goes on", async () => {
    const rows = await readAll('{"name":"风格"}\n\n{"name":\n{"name":""}\n{"name":"颜色"}\r\n');
    expect(rows.map((r) => [r.ok, r.line])).toEqual([[true, 1], [false, 3], [false, 4], [true, 5]]);
    expect(rows[1].error).toMatch(/^invalid JSON/);
    expect(rows[2].error).toMatch(/^name: /);
  });
});

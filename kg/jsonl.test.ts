import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FactorRecord } from "../contracts/records.js";
import { readJsonlBatches } from "./jsonl.js";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "kg-jsonl-")), "factors.jsonl");
  writeFileSync(path, text);
  return path;
}

async function collect(path: string, size: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of readJsonlBatches(path, FactorRecord, size)) out.push(batch.map((f) => f.name));
  return out;
}

describe("readJsonlBatches", () => {
  it("streams validated records in batches, skipping blank lines", async () => {
    const path = file('{"name":"风格"}\n\n{"name":"图案"}\n{"name":"颜色"}\n');
    expect(await collect(path, 2)).toEqual([["风格", "图案"], ["颜色"]]);
  });

  it("stops at the first bad line, naming file and line", async () => {
    const path = file('{"name":"风格"}\n{"name":""}\n{"name":"颜色"}\n');
    await expect(collect(path, 10)).rejects.toThrow(new RegExp(`factors\\.jsonl:2: name`));
    const broken = file('{"name":"风格"}\n{"name":\n');
    await expect(collect(broken, 10)).rejects.toThrow(/factors\.jsonl:2: invalid JSON/);
  });
});

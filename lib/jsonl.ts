/**
 * Streaming JSONL readers validated with the zod schemas of `contracts/records.ts`. `readJsonl` yields
 * one result per non-empty line — `{ ok: true, line, record }` or `{ ok: false, line, error }`, a
 * leading UTF-8 byte-order mark ignored — so a loader can report bad lines (file, line, reason) and keep going. `readManifest` reads and
 * validates `manifest.json`.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { WORLD_FILES, WorldManifest } from "../contracts/records.js";

export type JsonlResult<T> =
  | { ok: true; line: number; record: T }
  | { ok: false; line: number; error: string };

/** Yields each non-empty line of `file` parsed and validated with `schema` (1-based line numbers). */
export async function* readJsonl<S extends z.ZodType>(file: string, schema: S): AsyncGenerator<JsonlResult<z.output<S>>> {
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const read of rl) {
      line++;
      const text = line === 1 ? read.replace(/^\uFEFF/, "") : read;
      if (text.trim() === "") continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        yield { ok: false, line, error: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      const parsed = schema.safeParse(raw);
      if (parsed.success) yield { ok: true, line, record: parsed.data };
      else {
        const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(record)"}: ${i.message}`).join("; ");
        yield { ok: false, line, error: reason };
      }
    }
  } finally {
    rl.close();
  }
}

/** Reads and validates `manifest.json` of the world in `dir`. */
export async function readManifest(dir: string): Promise<WorldManifest> {
  return WorldManifest.parse(JSON.parse(await readFile(join(dir, WORLD_FILES.manifest), "utf8")));
}

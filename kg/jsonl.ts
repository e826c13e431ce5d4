/**
 * Line-numbered JSONL reading with zod validation, streaming: each line yields either a record
 * or a reason (bad JSON, schema error). Blank lines are skipped. The loader stops at the first
 * bad line; the importer collects them all.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";

export type JsonlLine<T> = { line: number; ok: true; record: T } | { line: number; ok: false; reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** Streams the lines of `file` parsed with `schema`. */
export async function* readJsonlLines<S extends z.ZodType>(
  file: string,
  schema: S,
): AsyncGenerator<JsonlLine<z.infer<S>>> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      yield { line, ok: false, reason: `bad JSON: ${(error as Error).message}` };
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) yield { line, ok: true, record: parsed.data };
    else yield { line, ok: false, reason: `schema: ${describeIssues(parsed.error)}` };
  }
}

/** Streams validated records in batches of `size`; throws on the first bad line. */
export async function* readJsonlBatches<S extends z.ZodType>(
  file: string,
  schema: S,
  size: number,
): AsyncGenerator<z.infer<S>[]> {
  let batch: z.infer<S>[] = [];
  for await (const entry of readJsonlLines(file, schema)) {
    if (!entry.ok) throw new Error(`${file}:${entry.line}: ${entry.reason}`);
    batch.push(entry.record);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

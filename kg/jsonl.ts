/**
 * Batched streaming of validated JSONL records for the loader, over `lib/jsonl.ts`'s
 * line-numbered reader: stops at the first bad line with file, line and reason.
 */
import type { z } from "zod";
import { readJsonl } from "../lib/jsonl.js";

/** Streams validated records in batches of `size`; throws on the first bad line. */
export async function* readJsonlBatches<S extends z.ZodType>(
  file: string,
  schema: S,
  size: number,
): AsyncGenerator<z.output<S>[]> {
  let batch: z.output<S>[] = [];
  for await (const entry of readJsonl(file, schema)) {
    if (!entry.ok) throw new Error(`${file}:${entry.line}: ${entry.error}`);
    batch.push(entry.record);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

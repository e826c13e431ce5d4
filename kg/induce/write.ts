/**
 * Writes a value's provenance (`source`, `support`, `confidence`) onto its `Value` node, so the KG
 * tells curated values from induced and trend ones. Values must already be merged (`writeValues`).
 */
import type { ManagedTransaction } from "../driver.js";
import type { ValueWithProvenance } from "./records.js";

export async function writeValueProvenance(tx: ManagedTransaction, rows: readonly ValueWithProvenance[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.run(
    `UNWIND $rows AS row
     MATCH (v:Value {id: row.id})
     SET v.source = row.source, v.support = row.support, v.confidence = row.confidence`,
    { rows: rows.map((r) => ({ id: r.id, source: r.source, support: r.support ?? null, confidence: r.confidence ?? null })) },
  );
}

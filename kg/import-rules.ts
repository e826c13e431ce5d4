/**
 * Import-only rules on top of the record schemas of `world/schema.ts`, applied by `kg/import.ts`
 * before validation and after it:
 * - date-times written `2025-03-05 10:00:00+0800` (a space for `T`, no colon in the offset) are
 *   normalised to ISO 8601 (`2025-03-05T10:00:00+08:00`); any other shape is left for the schema
 *   to report;
 * - a title of only white space is reported (`title: blank`); an item's `valueIds: []` means the
 *   same as no `valueIds` (values are extracted from the title);
 * - a category that is its own parent, or part of a parent cycle, is reported;
 * - a value's factor and a category's `allows` must name a factor of the factors file or of the
 *   graph (an unknown factor is reported, never created silently).
 */
import { z } from "zod";

const TIME_FIELDS = ["joinedAt", "launchedAt", "at", "publishedAt"] as const;
const LENIENT_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/;

/** `2025-03-05 10:00:00+0800` → `2025-03-05T10:00:00+08:00`; other strings unchanged. */
export function normaliseDateTime(value: string): string {
  const m = LENIENT_DATE_TIME.exec(value.trim());
  if (!m) return value;
  const [, date, time, offset] = m;
  const zone = offset === "Z" ? "Z" : offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return `${date}T${time.length === 5 ? `${time}:00` : time}${zone}`;
}

function normaliseRaw(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const record = { ...(raw as Record<string, unknown>) };
  for (const field of TIME_FIELDS) {
    const v = record[field];
    if (typeof v === "string") record[field] = normaliseDateTime(v);
  }
  if (Array.isArray(record.valueIds) && record.valueIds.length === 0) delete record.valueIds;
  return record;
}

/** Wraps a record schema with the import's normalisation and the blank-title check. */
export function importSchema<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>> {
  return z.preprocess(normaliseRaw, schema).superRefine((record, ctx) => {
    const title = (record as { title?: unknown }).title;
    if (typeof title === "string" && title.trim() === "") ctx.addIssue({ code: "custom", path: ["title"], message: "blank" });
  }) as unknown as z.ZodType<z.output<S>>;
}

/**
 * Categories (by id → parent id, file records only) that are their own parent or lie on a parent
 * cycle, each with the reason to report.
 */
export function parentCycles(parents: ReadonlyMap<string, string | null>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, parent] of parents) {
    if (parent === id) {
      out.set(id, `category ${id} is its own parent`);
      continue;
    }
    const path = [id];
    let at = parent;
    while (at !== null && at !== undefined && parents.has(at) && !path.includes(at)) {
      path.push(at);
      at = parents.get(at) ?? null;
    }
    if (at === id) out.set(id, `parent cycle ${[...path, id].join(" → ")}`);
  }
  return out;
}

/**
 * Date-times that Neo4j's `datetime()` will parse, checked before they reach the database: an ISO
 * 8601 date-time with an offset (`Z` or ±hh:mm within ±18:00), at most 9 fraction digits
 * (nanoseconds), and a year in a sane range for behaviour data. `Neo4jDateTime` is the zod schema
 * the API and the event writer validate with; `neo4jDateTimeIssue` names what is wrong.
 * Reads and writes nothing.
 */
import { z } from "zod";

/** Earliest and latest accepted year (inclusive). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;
/** Neo4j's zone offsets are limited to ±18:00. */
export const MAX_OFFSET_MINUTES = 18 * 60;
/** Neo4j keeps nanoseconds: at most 9 fraction digits. */
export const MAX_FRACTION_DIGITS = 9;

const SHAPE = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Why Neo4j would reject (or we refuse) an ISO date-time with offset, or null when it is fine. */
export function neo4jDateTimeIssue(value: string): string | null {
  const m = SHAPE.exec(value);
  if (!m) return "not an ISO 8601 date-time with offset";
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return `year ${m[1]} is outside ${MIN_YEAR}-${MAX_YEAR}`;
  if (m[2] !== undefined && m[2].length > MAX_FRACTION_DIGITS) return `at most ${MAX_FRACTION_DIGITS} fraction digits (nanoseconds); got ${m[2].length}`;
  if (m[3] !== "Z") {
    const minutes = Number(m[5]) * 60 + Number(m[6]);
    if (Number(m[6]) > 59 || minutes > MAX_OFFSET_MINUTES) return `offset ${m[3]} is beyond ±18:00`;
  }
  return null;
}

/** An ISO date-time with offset that Neo4j parses, in the accepted year range. */
export const Neo4jDateTime = z.iso.datetime({ offset: true }).superRefine((value, ctx) => {
  const issue = neo4jDateTimeIssue(value);
  if (issue) ctx.addIssue({ code: "custom", message: issue });
});

/**
 * The one place where Neo4j driver values become plain JavaScript: Integers to numbers (or
 * bigint-safe strings when out of range), temporal values to UTC ISO strings, nodes and
 * relationships to their properties, records to objects, lists and maps recursively.
 */
import neo4j from "neo4j-driver";
import type { Record as NeoRecord } from "neo4j-driver";

/** A JSON-like value as returned by {@link toNative}. */
export type Native = null | boolean | number | string | Native[] | { [key: string]: Native };

interface DateTimeFields {
  year: unknown;
  month: unknown;
  day: unknown;
  hour: unknown;
  minute: unknown;
  second: unknown;
  nanosecond: unknown;
  timeZoneOffsetSeconds?: unknown;
}

const num = (x: unknown): number => (typeof x === "number" ? x : neo4j.isInt(x) ? (x as { toNumber(): number }).toNumber() : NaN);

/**
 * A DateTime with a fixed offset as a UTC ISO string, computed from its fields (the driver's
 * `toStandardDate` formats and re-parses a string with 64-bit integer arithmetic, which dominates
 * the cost of large results). Null when the fast path does not apply (named zone without offset,
 * years outside 1000..9999): the caller falls back to the driver.
 */
export function dateTimeToIso(dt: DateTimeFields): string | null {
  const offset = num(dt.timeZoneOffsetSeconds);
  const year = num(dt.year);
  if (!Number.isFinite(offset) || !(year >= 1000 && year <= 9999)) return null;
  const ms = Date.UTC(year, num(dt.month) - 1, num(dt.day), num(dt.hour), num(dt.minute), num(dt.second), Math.floor(num(dt.nanosecond) / 1e6)) - offset * 1000;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function temporalToIso(value: { toString(): string }): string {
  if (neo4j.isDuration(value as never)) {
    const d = value as unknown as { months: unknown; days: unknown; seconds: unknown; nanoseconds: unknown };
    const n = (x: unknown) => Number(toNative(x));
    const seconds = n(d.seconds) + n(d.nanoseconds) / 1e9;
    return `P${n(d.months)}M${n(d.days)}DT${seconds}S`;
  }
  if (neo4j.isDateTime(value as never)) {
    const fast = dateTimeToIso(value as unknown as DateTimeFields);
    if (fast !== null) return fast;
    const dt = value as unknown as { toStandardDate(): Date };
    return dt.toStandardDate().toISOString();
  }
  return value.toString();
}

/** Converts any value returned by the driver into a plain JSON-like value. */
export function toNative(value: unknown): Native {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) {
    return neo4j.integer.inSafeRange(value) ? value.toNumber() : value.toString();
  }
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (
    neo4j.isDateTime(value as never) ||
    neo4j.isDate(value as never) ||
    neo4j.isLocalDateTime(value as never) ||
    neo4j.isTime(value as never) ||
    neo4j.isLocalTime(value as never) ||
    neo4j.isDuration(value as never)
  ) {
    return temporalToIso(value as { toString(): string });
  }
  if (neo4j.isNode(value as never) || neo4j.isRelationship(value as never)) {
    return toNative((value as { properties: unknown }).properties);
  }
  if (neo4j.isPoint(value as never)) {
    const p = value as unknown as { x: number; y: number; z?: number };
    return p.z === undefined ? { x: p.x, y: p.y } : { x: p.x, y: p.y, z: p.z };
  }
  if (Array.isArray(value)) return value.map(toNative);
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  if (typeof value === "object") {
    const maybeRecord = value as Partial<NeoRecord>;
    if (typeof maybeRecord.toObject === "function" && Array.isArray(maybeRecord.keys)) {
      return toNative(maybeRecord.toObject());
    }
    const out: { [key: string]: Native } = {};
    for (const [k, v] of Object.entries(value as object)) out[k] = toNative(v);
    return out;
  }
  return String(value);
}

/** Maps driver records to plain objects. */
export function recordsToNative(records: NeoRecord[]): Record<string, Native>[] {
  return records.map((r) => toNative(r.toObject()) as Record<string, Native>);
}

/** Date helpers shared by the nodes: week buckets (Monday 00:00 UTC), week codes, day offsets. */

const DAY_MS = 86_400_000;

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

export function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS;
}

/** Monday 00:00 UTC of the week containing `iso`, as an ISO date-time. */
export function weekStart(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY_MS;
  return new Date(monday).toISOString();
}

/** `YYMMDD` of an ISO date-time (UTC), the week field of the compact tuple form. */
export function weekCode(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

/** Parses and normalises an ISO date or date-time; throws a readable error when invalid. */
export function normaliseAsOf(asOf: string | undefined, now: () => Date = () => new Date()): string {
  if (asOf === undefined || asOf === "") return now().toISOString();
  const t = Date.parse(asOf);
  if (!Number.isFinite(t)) throw new Error(`invalid asOf "${asOf}": expected an ISO date such as 2025-06-30`);
  return new Date(t).toISOString();
}

/**
 * Neo4j driver creation and the two query helpers every KG module uses: `readQuery` (READ
 * routing) and `writeQuery` / `writeTransaction` (WRITE routing, managed transactions). One
 * driver per process, created by the caller and passed in; sessions are closed in `finally`;
 * results come back through `toNative`. Integers arrive as JavaScript numbers
 * (`disableLosslessIntegers`: no Integer object per value; every integer the graph holds — counts,
 * quantities, epoch milliseconds — is far inside the safe range).
 */
import neo4j from "neo4j-driver";
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { z } from "zod";
import { recordsToNative, type Native } from "./mapping.js";

export type { Driver, ManagedTransaction } from "neo4j-driver";

export const DriverOptions = z.object({
  uri: z.string().min(1),
  user: z.string().optional(),
  password: z.string().optional(),
  /** Time limit of opening a connection and of waiting for a pooled one (fail fast when the server is gone). */
  connectionTimeoutMs: z.number().int().positive().default(3000),
  /** How long a managed transaction is retried on transient or connection errors. */
  maxRetryMs: z.number().int().nonnegative().default(3000),
});
export type DriverOptions = z.input<typeof DriverOptions>;

export type Params = Record<string, unknown>;
export type Row = Record<string, Native>;

/** A Cypher INTEGER parameter (JavaScript numbers are sent as FLOAT). */
export function int(value: number): ReturnType<typeof neo4j.int> {
  return neo4j.int(Math.trunc(value));
}

/** Creates a driver; auth is basic when a user is given, none otherwise (the embedded server). */
export function createDriver(options: DriverOptions): Driver {
  const { uri, user, password, connectionTimeoutMs, maxRetryMs } = DriverOptions.parse(options);
  const auth = user ? neo4j.auth.basic(user, password ?? "") : undefined;
  return neo4j.driver(uri, auth, {
    maxConnectionPoolSize: 20,
    connectionTimeout: connectionTimeoutMs,
    connectionAcquisitionTimeout: connectionTimeoutMs * 2,
    maxTransactionRetryTime: maxRetryMs,
    telemetryDisabled: true,
    disableLosslessIntegers: true,
  });
}

/** Called after every `readQuery` / `writeQuery` round trip with its wall time (benchmark profiling). */
export type QueryObserver = (ms: number) => void;
let observer: QueryObserver | null = null;

/** Sets (or clears, with null) the process's query observer; one at a time. */
export function observeQueries(fn: QueryObserver | null): void {
  observer = fn;
}

async function observed<T>(run: () => Promise<T>): Promise<T> {
  if (observer === null) return run();
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    observer?.(performance.now() - t0);
  }
}

/** Runs a read-only query with READ routing and returns native rows. */
export async function readQuery(driver: Driver, cypher: string, params: Params = {}): Promise<Row[]> {
  const result = await observed(() => driver.executeQuery(cypher, params, { routing: neo4j.routing.READ }));
  return recordsToNative(result.records);
}

/** Runs a write query with WRITE routing; returns native rows and the update counters. */
export async function writeQuery(
  driver: Driver,
  cypher: string,
  params: Params = {},
): Promise<{ rows: Row[]; updates: Record<string, number> }> {
  const result = await observed(() => driver.executeQuery(cypher, params, { routing: neo4j.routing.WRITE }));
  return { rows: recordsToNative(result.records), updates: result.summary.counters.updates() };
}

/** Runs `work` in one managed write transaction (retried by the driver on transient errors). */
export async function writeTransaction<T>(
  driver: Driver,
  work: (tx: ManagedTransaction) => Promise<T>,
): Promise<T> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    return await session.executeWrite(work);
  } finally {
    await session.close();
  }
}

/** Runs one query inside a managed transaction and returns native rows. */
export async function txRun(tx: ManagedTransaction, cypher: string, params: Params = {}): Promise<Row[]> {
  const result = await tx.run(cypher, params);
  return recordsToNative(result.records);
}

/** Resolves when the server answers `RETURN 1`. */
export async function verifyConnectivity(driver: Driver): Promise<void> {
  await readQuery(driver, "RETURN 1 AS ok");
}

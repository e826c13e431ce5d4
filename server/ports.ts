/**
 * What the app needs from the outside world, as small interfaces: storing events, knowing
 * buyers, probing dependencies. `server/adapters.ts` implements them on Neo4j and the embedding
 * server; unit tests use in-memory fakes.
 */
import type { EventRecord } from "../contracts/records.js";

export interface SinkRejection {
  /** Index into the array given to `write`. */
  index: number;
  code: "invalid_event" | "unknown_item" | "event_id_conflict";
  message: string;
}

export interface EventSink {
  /**
   * Stores events idempotently by id (creating unknown buyers; the first write of an id wins);
   * returns the indexes of retries already stored with the same content and the events it rejected.
   */
  write(events: EventRecord[]): Promise<{ duplicates: number[]; rejected: SinkRejection[] }>;
}

export interface UserDirectory {
  exists(userId: string): Promise<boolean>;
}

export interface ReadinessProbe {
  name: string;
  /** Resolves (optionally with a detail such as warm-up progress) when the dependency is usable; rejects when not. */
  check(signal: AbortSignal): Promise<void | string>;
}

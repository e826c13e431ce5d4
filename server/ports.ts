/**
 * What the app needs from the outside world, as small interfaces: storing events, knowing
 * buyers, probing dependencies. `server/adapters.ts` implements them on Neo4j and the embedding
 * server; unit tests use in-memory fakes.
 */
import type { EventRecord } from "../contracts/records.js";

export interface SinkRejection {
  /** Index into the array given to `write`. */
  index: number;
  code: "invalid_event" | "unknown_item";
  message: string;
}

export interface EventSink {
  /** Stores events idempotently by id (creating unknown buyers); returns those it did not store. */
  write(events: EventRecord[]): Promise<{ rejected: SinkRejection[] }>;
}

export interface UserDirectory {
  exists(userId: string): Promise<boolean>;
}

export interface ReadinessProbe {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}

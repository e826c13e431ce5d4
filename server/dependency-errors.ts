/**
 * Recognises errors that mean a dependency is unreachable (Neo4j gone or not answering, the
 * embedding server refusing connections) anywhere in an error's `cause` chain, and turns them
 * into the API's 503 `dependency_unavailable` with `Retry-After`. Reads nothing else.
 */
import { ApiError } from "./errors.js";

/** Seconds a client should wait before retrying after a dependency outage. */
export const RETRY_AFTER_SECONDS = 2;

const NEO4J_UNAVAILABLE_CODES = new Set(["ServiceUnavailable", "SessionExpired"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
const CONNECTION_ERROR_NAMES = new Set(["APIConnectionError", "APIConnectionTimeoutError"]);

/** The errors of a cause chain (and of an AggregateError's members), outermost first. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue = [err];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (e === null || e === undefined || out.includes(e)) continue;
    out.push(e);
    if (typeof e === "object") {
      const { cause, errors } = e as { cause?: unknown; errors?: unknown };
      queue.push(cause);
      if (Array.isArray(errors)) queue.push(...errors);
    }
  }
  return out;
}

/** Which dependency an error says is unreachable (`neo4j`, `embeddings`), or null when it is another error. */
export function unavailableDependency(err: unknown): "neo4j" | "embeddings" | null {
  let network = false;
  for (const e of chain(err)) {
    if (typeof e !== "object" || e === null) continue;
    const { name, code, message, constructor } = e as { name?: unknown; code?: unknown; message?: unknown; constructor?: { name?: string } };
    if (name === "Neo4jError" && (NEO4J_UNAVAILABLE_CODES.has(String(code)) || /Connection acquisition timed out/.test(String(message)))) return "neo4j";
    if (CONNECTION_ERROR_NAMES.has(String(name)) || CONNECTION_ERROR_NAMES.has(constructor?.name ?? "")) return "embeddings";
    if (name === "TimeoutError" && message === "Request timed out.") return "embeddings";
    if (NETWORK_CODES.has(String(code)) || /^(fetch failed|Connection error\.)$/.test(String(message))) network = true;
  }
  return network ? "embeddings" : null;
}

/** A 503 `dependency_unavailable` for an unreachable-dependency error, or null for any other error. */
export function dependencyError(err: unknown): ApiError | null {
  const dependency = unavailableDependency(err);
  if (!dependency) return null;
  return new ApiError(
    "dependency_unavailable",
    `${dependency === "neo4j" ? "the graph database" : "the embedding server"} is not reachable; retry in ${RETRY_AFTER_SECONDS} s`,
    { dependency },
    { "Retry-After": String(RETRY_AFTER_SECONDS) },
  );
}

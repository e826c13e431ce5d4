/**
 * Request-scoped middleware: structured access logs with request ids, bearer API-key auth
 * (constant-time comparison; key also accepted from a cookie set by the page's `?key=` link),
 * a per-key token-bucket rate limit (429 + `Retry-After`) and the body size limit.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { getCookie, setCookie } from "hono/cookie";
import type { Logger } from "pino";
import { ApiError } from "./errors.js";
import type { Counter, Histogram } from "./metrics.js";

export const KEY_COOKIE = "chrysalis_key";

export type AppEnv = { Variables: { requestId: string; apiKey: string } };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Logs one line per request (no query strings: they may carry keys) and counts it. */
export function accessLog(logger: Logger, requests?: Counter, seconds?: Histogram): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const ms = performance.now() - t0;
    const route = c.req.routePath || "unmatched";
    requests?.inc({ method: c.req.method, route, status: String(c.res.status) });
    seconds?.observe(ms / 1000, { route });
    logger.info(
      { requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms * 10) / 10 },
      "request",
    );
  };
}

/** Checks a bearer key against the configured keys in constant time per key. */
export function createKeyChecker(keys: readonly string[]): (candidate: string) => boolean {
  const digests = keys.map(digest);
  return (candidate) => {
    const d = digest(candidate);
    let ok = false;
    for (const k of digests) ok = timingSafeEqual(k, d) || ok;
    return ok;
  };
}

/** Requires `Authorization: Bearer <key>` (or, when `allowCookie`, the page's key cookie). */
export function bearerAuth(keys: readonly string[], opts: { allowCookie?: boolean } = {}): MiddlewareHandler<AppEnv> {
  const check = createKeyChecker(keys);
  return async (c, next) => {
    const header = c.req.header("authorization");
    let key: string | undefined;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw new ApiError("unauthorized", "the Authorization header must be `Bearer <key>`");
      key = m[1];
    } else if (opts.allowCookie) {
      key = getCookie(c, KEY_COOKIE);
    }
    if (!key) throw new ApiError("unauthorized", "an API key is required: send `Authorization: Bearer <key>`", undefined, { "WWW-Authenticate": "Bearer" });
    if (!check(key)) throw new ApiError("unauthorized", "the API key is not valid", undefined, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    c.set("apiKey", key);
    await next();
  };
}

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  now?: () => number;
  /** Buckets kept at most (least recently used dropped). */
  maxKeys?: number;
}

/**
 * Token buckets per API key: `take(key, cost)` spends `cost` tokens (capped at the burst, so any
 * cost can pass once the bucket is full) or throws 429 `rate_limited` with `Retry-After`.
 */
export function createKeyBuckets(opts: RateLimitOptions & { unit?: string }): { take(apiKey: string | undefined, cost?: number): void } {
  const now = opts.now ?? (() => performance.now());
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(apiKey, cost = 1) {
      const id = digest(apiKey ?? "anonymous").toString("hex");
      const need = Math.min(Math.max(cost, 1), opts.burst);
      const t = now();
      const b = buckets.get(id) ?? { tokens: opts.burst, at: t };
      buckets.delete(id);
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      buckets.set(id, b);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (b.tokens < need) {
        const retryAfter = Math.max(1, Math.ceil((need - b.tokens) / opts.perSecond));
        throw new ApiError("rate_limited", `too many ${opts.unit ?? "requests"} for this API key; retry after ${retryAfter}s`, { retryAfterSeconds: retryAfter }, {
          "Retry-After": String(retryAfter),
        });
      }
      b.tokens -= need;
    },
  };
}

/** A token bucket per API key, one token per request; requests matching `skip` are not counted. */
export function rateLimit(opts: RateLimitOptions & { skip?: (method: string, path: string) => boolean }): MiddlewareHandler<AppEnv> {
  const buckets = createKeyBuckets(opts);
  return async (c, next) => {
    if (!opts.skip?.(c.req.method, c.req.path)) buckets.take(c.get("apiKey"));
    await next();
  };
}

/** Rejects bodies larger than `maxSize` bytes with 413 `payload_too_large`. */
export function bodyLimit(maxSize: number): MiddlewareHandler<AppEnv> {
  return honoBodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("payload_too_large", `the request body exceeds ${maxSize} bytes`, { maxBytes: maxSize });
    },
  });
}

/**
 * Lets a person open the page from a printed link: `?key=<key>` is checked, stored in an
 * HttpOnly cookie scoped to `/ui`, and the browser is redirected to the same URL without it.
 */
export function keyLink(keys: readonly string[]): MiddlewareHandler<AppEnv> {
  const check = createKeyChecker(keys);
  return async (c, next) => {
    const key = c.req.query("key");
    if (key === undefined) return next();
    if (!check(key)) throw new ApiError("unauthorized", "the API key is not valid");
    const url = new URL(c.req.url);
    url.searchParams.delete("key");
    setCookie(c, KEY_COOKIE, key, { path: "/ui", httpOnly: true, sameSite: "Strict", secure: url.protocol === "https:" });
    return c.redirect(`${url.pathname}${url.search}`, 303);
  };
}

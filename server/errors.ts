/**
 * The API's error vocabulary: stable codes, the `ApiError` that handlers throw, the JSON body
 * `{code, message, details?}` every error answers with, and the one `onError` handler that maps
 * anything thrown (framework exceptions included) onto it without leaking stack traces.
 */
import { HTTPException } from "hono/http-exception";
import type { Context, ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";
import type { Logger } from "pino";

export const ERROR_CODES = {
  unauthorized: 401,
  rate_limited: 429,
  payload_too_large: 413,
  batch_too_large: 413,
  malformed_json: 400,
  invalid_request: 400,
  invalid_config: 400,
  llm_not_configured: 400,
  unknown_user: 404,
  no_recommendations: 404,
  not_found: 404,
  invoke_timeout: 504,
  run_failed: 500,
  not_ready: 503,
  dependency_unavailable: 503,
  invoke_queue_full: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorBody = z
  .object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).openapi({ description: "stable machine-readable code" }),
    message: z.string().openapi({ description: "human-readable explanation" }),
    details: z.unknown().optional().openapi({ description: "structured context (validation issues, finished nodes, ...)" }),
    requestId: z.string().optional(),
  })
  .openapi("Error");
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An error with a stable code; the status follows from the code. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

/** Answers an `ApiError` as JSON with the request id. */
export function errorResponse(c: Context, err: ApiError): Response {
  const body: ErrorBody = { code: err.code, message: err.message, requestId: c.get("requestId") as string | undefined };
  if (err.details !== undefined) body.details = err.details;
  return c.json(body, err.status, err.headers);
}

/** Maps a framework `HTTPException` onto an `ApiError`. */
function fromHttpException(err: HTTPException): ApiError {
  if (err.status === 400 && /json/i.test(err.message)) return new ApiError("malformed_json", "the request body is not valid JSON");
  if (err.status === 413) return new ApiError("payload_too_large", "the request body is too large");
  if (err.status === 401) return new ApiError("unauthorized", err.message || "missing or invalid API key");
  if (err.status === 404) return new ApiError("not_found", "no such route");
  if (err.status >= 400 && err.status < 500) return new ApiError("invalid_request", err.message || "bad request");
  return new ApiError("internal_error", "internal error");
}

/**
 * The app's one error handler. Errors that say a dependency is unreachable answer 503 (see
 * `classify`); other unknown errors are logged with their stack and answered as 500.
 */
export function createErrorHandler(logger: Logger, classify: (err: unknown) => ApiError | null = () => null): ErrorHandler {
  return (err, c) => {
    const api = err instanceof ApiError ? err : err instanceof HTTPException ? fromHttpException(err) : classify(err);
    if (api) {
      if (api.status >= 500) logger.warn({ requestId: c.get("requestId"), code: api.code, msg: api.message }, "request failed");
      return errorResponse(c, api);
    }
    logger.error({ requestId: c.get("requestId"), err }, "unhandled error");
    return errorResponse(c, new ApiError("internal_error", "internal error"));
  };
}

/**
 * Answers requests that Node's HTTP parser rejects before the app sees them (a path or headers
 * beyond the header-size limit, malformed HTTP, a header timeout) with the API's JSON error body
 * instead of a bare status line: 431 `headers_too_large`, 408 `request_timeout`, 400
 * `malformed_request`. Writes to the rejected socket only.
 */
import type { Server } from "node:http";
import type { Duplex } from "node:stream";

const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

function answer(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Installs the `clientError` handler on a Node HTTP server. */
export function answerClientErrorsAsJson(server: Pick<Server, "on">): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === "HPE_HEADER_OVERFLOW") answer(socket, 431, "headers_too_large", "the request line and headers exceed the server's limit (a path this long is not a route)");
    else if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") answer(socket, 408, "request_timeout", "the request was not received in time");
    else answer(socket, 400, "malformed_request", "the request is not valid HTTP");
  });
}

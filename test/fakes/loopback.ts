/**
 * Serves a Hono app on 127.0.0.1 at a random free port (for mock HTTP servers in tests) and
 * returns its base URL and a `close` that waits for the server to stop.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { AddressInfo } from "node:net";

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export function listenLoopback(app: Hono): Promise<LoopbackServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined;
    const onListen = (info: AddressInfo) => {
      const s = server!;
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            if ("closeAllConnections" in s && typeof s.closeAllConnections === "function") s.closeAllConnections();
            s.close((err?: Error) => (err ? fail(err) : done()));
          }),
      });
    };
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => queueMicrotask(() => onListen(info)));
    server.once("error", reject);
  });
}

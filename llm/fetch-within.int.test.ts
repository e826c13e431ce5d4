/**
 * `fetchWithin`: the chat client's connection waits for slow response headers as long as the
 * request timeout says (Node's built-in fetch stops at 300 s), and no longer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWithin } from "./chat-models.js";

let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((_req, res) => setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), 2_500));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("fetchWithin", () => {
  it("waits for headers up to its timeout", async () => {
    const res = await fetchWithin(10_000)(url, { method: "POST", body: "{}" });
    expect(await res.json()).toEqual({ ok: true });
  });
  it("gives up when the headers take longer than its timeout", async () => {
    await expect(fetchWithin(100)(url, { method: "POST", body: "{}" })).rejects.toThrow();
  });
});

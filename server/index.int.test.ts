import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./index.js";
import { createTestApp, sampleResult } from "../test/support/server.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("startServer", () => {
  it("listens and prints URL, docs and a curl example that works", async () => {
    const t = createTestApp();
    t.deps.store.putLatest(sampleResult("b1"), "invoke");
    const lines: string[] = [];
    const server: RunningServer = await startServer({ deps: t.deps, port: 0, host: "127.0.0.1", print: (l) => lines.push(l), exampleUserId: "b1" });
    cleanups.push(async () => {
      await server.close();
      await t.close();
    });
    expect(lines[0]).toBe(`Chrysalis API on ${server.url}`);
    expect(lines.join("\n")).toContain(`${server.url}/docs`);
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);

    const curl = lines.find((l) => l.includes("curl -s -X POST")) ?? "";
    const url = /(http:\/\/\S+\/invoke)/.exec(curl)?.[1] ?? "";
    const auth = /-H "(Authorization: Bearer [^"]+)"/.exec(curl)?.[1] ?? "";
    expect(url).toBe(`${server.url}/v1/users/b1/invoke`);
    const res = await fetch(url, { method: "POST", headers: { Authorization: auth.slice("Authorization: ".length), "Content-Type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { userId: string }).userId).toBe("b1");
  });

  it("answers a path beyond the header limit with a JSON 431, not a bare status line", async () => {
    const t = createTestApp();
    const server = await startServer({ deps: t.deps, port: 0, host: "127.0.0.1", print: () => undefined });
    cleanups.push(async () => {
      await server.close();
      await t.close();
    });
    const res = await fetch(`${server.url}/v1/users/${"x".repeat(100_000)}/invoke`);
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ code: "headers_too_large" });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

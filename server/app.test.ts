import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RecommendationResult } from "../contracts/result.js";
import type { RecommendationRunner } from "./runner.js";
import { openSqliteResultStore } from "./store.js";
import { createFakeRunner, createMemorySink, createMemoryUsers, createTestApp, FAKE_NODES, TEST_KEY } from "../test/support/server.js";

type TestApp = ReturnType<typeof createTestApp>;
const open: TestApp[] = [];
const make = (opts: Parameters<typeof createTestApp>[0] = {}) => {
  const t = createTestApp(opts);
  open.push(t);
  return t;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}`, ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const view = (i: number, userId = "b1", itemId = "i-100") => ({
  eventId: `ev-${userId}-${i}`,
  userId,
  type: "view",
  itemId,
  at: "2025-06-01T10:00:00Z",
  dwellS: 12,
});

/** Parses a server-sent-event stream into `{event, data}` records. */
async function readSse(res: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      return { event, data: JSON.parse(data) };
    });
}

describe("open routes", () => {
  it("answers /healthz without a key and sets a request id", async () => {
    const { app } = make();
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes a well-formed incoming request id and replaces a malformed one", async () => {
    const { app } = make();
    expect((await app.request("/healthz", { headers: { "X-Request-Id": "abc-123" } })).headers.get("x-request-id")).toBe("abc-123");
    expect((await app.request("/healthz", { headers: { "X-Request-Id": "a b<c>" } })).headers.get("x-request-id")).not.toBe("a b<c>");
  });

  it("publishes an OpenAPI document describing every /v1 route with bearer security", async () => {
    const { app } = make();
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/healthz", "/metrics", "/readyz", "/v1/events", "/v1/users/{userId}/invoke", "/v1/users/{userId}/recommendations"].sort(),
    );
    expect(doc.paths["/v1/events"].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Event", "Error", "RecommendationResult"]));
  });

  it("serves the interactive docs page and its assets from this server", async () => {
    const { app } = make();
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(html).not.toMatch(/https?:\/\//);
    expect(await (await app.request("/docs/init.js")).text()).toContain('url: "/openapi.json"');
    const bundle = await app.request("/docs/swagger-ui-bundle.js");
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await app.request("/docs/swagger-ui.css")).status).toBe(200);
  });

  it("answers unknown routes with a not_found code", async () => {
    const { app } = make();
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
  });
});

describe("auth and limits", () => {
  it("requires a bearer key on /v1 routes", async () => {
    const { app } = make();
    const missing = await app.request("/v1/users/b1/recommendations");
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: "unauthorized" });
    const wrong = await app.request("/v1/users/b1/recommendations", { headers: { Authorization: "Bearer not-the-key-at-all-000" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: "unauthorized", message: "the API key is not valid" });
    const basic = await app.request("/v1/users/b1/recommendations", { headers: { Authorization: "Basic Zm9vOmJhcg==" } });
    expect(basic.status).toBe(401);
  });

  it("rate-limits per key with 429 and Retry-After", async () => {
    const { app, auth } = make({ limits: { rateLimitBurst: 2, rateLimitPerSecond: 0.5 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await app.request("/v1/users/b1/recommendations", { headers: auth });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 429]);
    expect(last?.headers.get("retry-after")).toBe("2");
    expect(await last?.json()).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: 2 } });
  });

  it("rejects bodies over the size limit with 413 payload_too_large", async () => {
    const { app } = make({ limits: { bodyLimitBytes: 2048 } });
    const events = Array.from({ length: 40 }, (_, i) => view(i));
    const res = await app.request("/v1/events", json({ events }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "payload_too_large" });
  });
});

describe("POST /v1/events", () => {
  it("stores valid events, lists invalid ones by index, and still stores the rest", async () => {
    const sink = createMemorySink(["i-100", "i-200"]);
    const { app } = make({ events: sink, triggers: { enabled: false } });
    const res = await app.request(
      "/v1/events",
      json({
        events: [
          view(1),
          { ...view(2), type: "teleport" },
          { eventId: "ev-s", userId: "new-buyer", type: "search", searchTerm: "法式连衣裙", at: "2025-06-01T10:00:00Z" },
          { ...view(3), itemId: "i-unknown" },
          { ...view(4), userId: "bad id with spaces" },
          { ...view(5), at: "yesterday" },
          "not an object",
        ],
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { received: number; stored: number; rejected: { index: number; code: string; eventId: string | null }[] };
    expect(body.received).toBe(7);
    expect(body.stored).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "invalid_event"],
      [3, "unknown_item"],
      [4, "invalid_event"],
      [5, "invalid_event"],
      [6, "invalid_event"],
    ]);
    expect(body.rejected[0].eventId).toBe("ev-b1-2");
    expect(body.rejected[4].eventId).toBeNull();
    expect([...sink.stored.keys()].sort()).toEqual(["ev-b1-1", "ev-s"]);
    expect(sink.users.has("new-buyer")).toBe(true);
  });

  it("makes a retried batch harmless", async () => {
    const sink = createMemorySink(["i-100"]);
    const { app } = make({ events: sink, triggers: { enabled: false } });
    const batch = { events: [view(1), view(2)] };
    const first = await (await app.request("/v1/events", json(batch))).json();
    const second = await (await app.request("/v1/events", json(batch))).json();
    expect(first).toMatchObject({ stored: 2, duplicates: [], rejected: [] });
    expect(second).toMatchObject({ stored: 0, duplicates: [{ index: 0, eventId: "ev-b1-1" }, { index: 1, eventId: "ev-b1-2" }], rejected: [] });
    expect(sink.stored.size).toBe(2);
  });

  it("answers a used event id with other content as event_id_conflict and keeps the first event", async () => {
    const sink = createMemorySink(["i-100"]);
    const { app } = make({ events: sink, triggers: { enabled: false } });
    await app.request("/v1/events", json({ events: [view(1)] }));
    const res = await app.request("/v1/events", json({ events: [{ ...view(1), userId: "someone-else" }, view(2)] }));
    expect(await res.json()).toMatchObject({ stored: 1, duplicates: [], rejected: [{ index: 0, eventId: "ev-b1-1", code: "event_id_conflict" }] });
    expect(sink.stored.get("ev-b1-1")?.userId).toBe("b1");
  });

  it("rejects per event every date-time Neo4j would not parse, and stores the rest", async () => {
    const sink = createMemorySink(["i-100"]);
    const { app } = make({ events: sink, triggers: { enabled: false } });
    const bad = ["2025-05-20T10:00:00+23:59", "2025-05-20T10:00:00-18:01", "2025-05-20T10:00:00.1234567891Z", "0000-05-20T10:00:00Z", "9999-05-20T10:00:00Z"];
    const good = ["2025-05-20T10:00:00+18:00", "2025-05-20T10:00:00.123456789-18:00"];
    const events = [...bad, ...good].map((at, n) => ({ ...view(n + 1), at }));
    const body = (await (await app.request("/v1/events", json({ events }))).json()) as { stored: number; rejected: { index: number; code: string; message: string }[] };
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual(bad.map((_, i) => [i, "invalid_event"]));
    expect(body.rejected.every((r) => r.message.startsWith("at: "))).toBe(true);
    expect(body.stored).toBe(2);
  });

  it("rejects a batch over the configured maximum with 413 batch_too_large", async () => {
    const sink = createMemorySink(["i-100"]);
    const { app } = make({ events: sink, limits: { eventsMaxBatch: 3 } });
    const res = await app.request("/v1/events", json({ events: [view(1), view(2), view(3), view(4)] }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "batch_too_large", details: { max: 3, got: 4 } });
    expect(sink.stored.size).toBe(0);
  });

  it("answers malformed JSON with malformed_json and wrong shapes with invalid_request", async () => {
    const { app } = make();
    const bad = await app.request("/v1/events", json("{ not json"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "malformed_json" });
    const wrongType = await app.request("/v1/events", json({ events: "lots" }));
    expect(wrongType.status).toBe(400);
    const body = (await wrongType.json()) as { code: string; details: { path: string }[] };
    expect(body.code).toBe("invalid_request");
    expect(body.details[0].path).toBe("events");
    const empty = await app.request("/v1/events", json({ events: [] }));
    expect(empty.status).toBe(400);
  });
});

describe("POST /v1/users/{userId}/invoke", () => {
  it("runs the graph and answers the result contract, then serves it as the latest", async () => {
    const runner = createFakeRunner();
    const { app, auth } = make({ runner });
    const before = await app.request("/v1/users/b1/recommendations", { headers: auth });
    expect(before.status).toBe(404);
    expect(await before.json()).toMatchObject({ code: "no_recommendations" });

    const res = await app.request("/v1/users/b1/invoke", json({ asOf: "2025-05-01T00:00:00Z", config: { maxCriticLoops: 1 } }));
    expect(res.status).toBe(200);
    const result = RecommendationResult.parse(await res.json());
    expect(result.userId).toBe("b1");
    expect(result.asOf).toBe("2025-05-01T00:00:00Z");
    expect(runner.calls[0].opts.config).toEqual({ maxCriticLoops: 1 });

    const latest = await app.request("/v1/users/b1/recommendations", { headers: auth });
    expect(latest.status).toBe(200);
    const body = (await latest.json()) as { result: { runId: string }; source: string; ageSeconds: number };
    expect(body.result.runId).toBe(result.runId);
    expect(body.source).toBe("invoke");
    expect(body.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(body.ageSeconds).toBeLessThan(60);
  });

  it("accepts an empty body", async () => {
    const { app, auth } = make();
    const res = await app.request("/v1/users/b1/invoke", { method: "POST", headers: auth });
    expect(res.status).toBe(200);
  });

  it("rejects unknown buyers, bad ids, bad dates and bad configuration", async () => {
    const runner = createFakeRunner();
    const { app } = make({ runner });
    const unknown = await app.request("/v1/users/nobody/invoke", json({}));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "unknown_user" });
    const badId = await app.request(`/v1/users/${"x".repeat(65)}/invoke`, json({}));
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ code: "invalid_request" });
    const badDate = await app.request("/v1/users/b1/invoke", json({ asOf: 20250501 }));
    expect(badDate.status).toBe(400);
    const extra = await app.request("/v1/users/b1/invoke", json({ asof: "2025-05-01T00:00:00Z" }));
    expect(extra.status).toBe(400);
    const badConfig = await app.request("/v1/users/b1/invoke", json({ config: { maxCriticLoops: "many" } }));
    expect(badConfig.status).toBe(400);
    const cfgBody = (await badConfig.json()) as { code: string; details: { path: string }[] };
    expect(cfgBody.code).toBe("invalid_config");
    expect(cfgBody.details[0].path).toBe("maxCriticLoops");
    expect(runner.calls).toHaveLength(0);
  });

  it("streams one SSE event per node, then the result", async () => {
    const { app } = make({ runner: createFakeRunner({ stepMs: 5 }) });
    const res = await app.request("/v1/users/b1/invoke", json({}, { Accept: "text/event-stream" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toEqual([...FAKE_NODES.map(() => "node"), "result"]);
    expect(events.slice(0, -1).map((e) => (e.data as { node: string }).node)).toEqual([...FAKE_NODES]);
    expect(RecommendationResult.parse(events.at(-1)?.data).userId).toBe("b1");
  });

  it("sends keep-alive comments during long runs", async () => {
    const t = make({ runner: createFakeRunner({ stepMs: 30 }) });
    t.deps.sseKeepAliveMs = 10;
    const text = await (await t.app.request("/v1/users/b1/invoke", json({}, { Accept: "text/event-stream" }))).text();
    expect(text).toContain(": keep-alive");
    expect(text.trim().split("\n\n").filter((b) => b.startsWith("event: result"))).toHaveLength(1);
  });

  it("runs at most INVOKE_CONCURRENCY invokes at once; later ones wait and all succeed", async () => {
    const runner = createFakeRunner({ stepMs: 5 });
    const { app } = make({ runner, users: createMemoryUsers(["b1", "b2", "b3", "b4", "b5"]), limits: { invokeConcurrency: 2, invokeQueueMax: 10 } });
    const answers = await Promise.all(["b1", "b2", "b3", "b4", "b5"].map((u) => app.request(`/v1/users/${u}/invoke`, json({}))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(runner.maxActive).toBe(2);
  });

  it("answers 503 invoke_queue_full with Retry-After when the invoke queue is full", async () => {
    const runner = createFakeRunner({ stepMs: 20 });
    const { app } = make({ runner, users: createMemoryUsers(["b1", "b2", "b3"]), limits: { invokeConcurrency: 1, invokeQueueMax: 1 } });
    const answers = await Promise.all(["b1", "b2", "b3"].map((u) => app.request(`/v1/users/${u}/invoke`, json({}))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 503]);
    const body = (await answers[2].json()) as { code: string; message: string; details: { running: number; queued: number; maxQueued: number } };
    expect(body.code).toBe("invoke_queue_full");
    expect(body.details).toEqual({ running: 1, queued: 1, maxQueued: 1 });
    expect(Number(answers[2].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(runner.calls.map((c) => c.userId)).toEqual(["b1", "b2"]);
  });

  it("tells an SSE client its queue position while its run waits, then streams the run", async () => {
    const runner = createFakeRunner({ stepMs: 10 });
    const { app } = make({ runner, users: createMemoryUsers(["b1", "b2", "b3"]), limits: { invokeConcurrency: 1, invokeQueueMax: 10 } });
    const first = app.request("/v1/users/b1/invoke", json({}));
    const second = Promise.resolve(app.request("/v1/users/b2/invoke", json({}, { Accept: "text/event-stream" })));
    const third = Promise.resolve(app.request("/v1/users/b3/invoke", json({}, { Accept: "text/event-stream" })));
    const [, events2, events3] = await Promise.all([first, second.then(readSse), third.then(readSse)]);
    expect(events2.map((e) => e.event)).toEqual(["queued", ...FAKE_NODES.map(() => "node"), "result"]);
    expect(events2[0].data).toMatchObject({ position: 1, running: 1 });
    expect(events3.filter((e) => e.event === "queued").map((e) => (e.data as { position: number }).position)).toEqual([2, 1]);
    expect(events3.at(-1)?.event).toBe("result");
  });

  it("counts the time queued in the time limit and says so", async () => {
    const fake = createFakeRunner();
    const slow: RecommendationRunner = { configSchema: fake.configSchema, run: (userId, opts) => new Promise((r) => setTimeout(() => r(fake.run(userId, opts)), 400)) };
    const { app } = make({ runner: slow, users: createMemoryUsers(["b1", "b2"]), limits: { invokeTimeoutMs: 150, invokeConcurrency: 1, invokeQueueMax: 10 } });
    const [a, b] = await Promise.all([app.request("/v1/users/b1/invoke", json({})), app.request("/v1/users/b2/invoke", json({}))]);
    const bodies = (await Promise.all([a.json(), b.json()])) as { code: string; message: string; details: { queuedMs: number } }[];
    expect([a.status, b.status]).toEqual([504, 504]);
    const waited = bodies.find((x) => x.message.includes("waited in the invoke queue"));
    expect(waited?.code).toBe("invoke_timeout");
    expect(waited!.details.queuedMs).toBeGreaterThanOrEqual(140);
    expect(bodies.find((x) => x !== waited)?.message).toContain("exceeded the time limit of 150 ms");
  });

  it("answers 504 with the finished nodes when the time limit passes", async () => {
    const runner = createFakeRunner({ stepMs: 40 });
    const { app } = make({ runner, limits: { invokeTimeoutMs: 100 } });
    const res = await app.request("/v1/users/b1/invoke", json({}));
    expect(res.status).toBe(504);
    const body = (await res.json()) as { code: string; details: { finished: { node: string }[]; timeoutMs: number } };
    expect(body.code).toBe("invoke_timeout");
    expect(body.details.timeoutMs).toBe(100);
    expect(body.details.finished.map((f) => f.node)).toEqual(FAKE_NODES.slice(0, body.details.finished.length));
    expect(body.details.finished.length).toBeGreaterThanOrEqual(1);
    expect(body.details.finished.length).toBeLessThan(FAKE_NODES.length);
    expect(runner.calls[0].opts.signal?.aborted).toBe(true);
  });

  it("sends an SSE error event with the finished nodes on timeout", async () => {
    const { app } = make({ runner: createFakeRunner({ stepMs: 40 }), limits: { invokeTimeoutMs: 100 } });
    const events = await readSse(await app.request("/v1/users/b1/invoke", json({}, { Accept: "text/event-stream" })));
    const last = events.at(-1);
    expect(last?.event).toBe("error");
    expect(last?.data).toMatchObject({ code: "invoke_timeout" });
    expect(events.filter((e) => e.event === "node").length).toBe((last?.data as { details: { finished: unknown[] } }).details.finished.length);
  });

  it("cancels the run when the SSE client disconnects", async () => {
    const runner = createFakeRunner({ stepMs: 30 });
    const { app } = make({ runner });
    const res = await app.request("/v1/users/b1/invoke", json({}, { Accept: "text/event-stream" }));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("event: node");
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 100));
    expect(runner.calls[0].opts.signal?.aborted).toBe(true);
    expect(runner.active.get("b1")).toBe(0);
  });

  it("cancels the run when a JSON client has gone, without unhandled rejections", async () => {
    const runner = createFakeRunner({ stepMs: 5 });
    const { app } = make({ runner });
    const gone = new AbortController();
    gone.abort(new Error("client went away"));
    const req = new Request("http://localhost/v1/users/b1/invoke", { ...json({}), signal: gone.signal });
    const res = await app.request(req);
    expect(res.status).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(runner.calls[0].opts.signal?.aborted).toBe(true);
    expect(runner.active.get("b1")).toBe(0);
  });

  it("hides internal errors behind run_failed without a stack trace", async () => {
    const { app } = make({ runner: createFakeRunner({ fail: () => true }) });
    const res = await app.request("/v1/users/b1/invoke", json({}));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: "run_failed", message: "the graph run failed" });
    expect(text).not.toContain("scripted failure");
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("GET /readyz and /metrics", () => {
  it("names the dependencies that do not answer", async () => {
    const { app } = make({
      probes: [
        { name: "neo4j", check: async () => undefined },
        { name: "embeddings", check: async () => Promise.reject(new Error("ECONNREFUSED")) },
      ],
    });
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; message: string; details: { checks: { name: string; ok: boolean }[] } };
    expect(body.code).toBe("not_ready");
    expect(body.message).toBe("not reachable: embeddings");
    expect(body.details.checks.map((c) => [c.name, c.ok])).toEqual([
      ["neo4j", true],
      ["embeddings", false],
    ]);
  });

  it("is ready when every probe answers", async () => {
    const { app } = make({ probes: [{ name: "neo4j", check: async () => undefined }] });
    const res = await app.request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ready" });
  });

  it("exposes request counts, queue depth and run latency in Prometheus text", async () => {
    const { app } = make();
    await app.request("/v1/users/b1/invoke", json({}));
    const text = await (await app.request("/metrics")).text();
    expect(text).toContain('chrysalis_http_requests_total{method="POST",route="/v1/users/:userId/invoke",status="200"} 1');
    expect(text).toContain("chrysalis_nearline_queue_depth 0");
    expect(text).toMatch(/chrysalis_invoke_seconds_count\{outcome="ok"\} 1/);
  });
});

describe("persistence", () => {
  it("serves the latest result after a restart over the same SQLite file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-server-"));
    const file = path.join(dir, "server.sqlite");
    try {
      const first = createTestApp({ store: openSqliteResultStore(file) });
      const ran = (await (await first.app.request("/v1/users/b2/invoke", json({}))).json()) as { runId: string };
      await first.close();

      const second = createTestApp({ store: openSqliteResultStore(file) });
      const res = await second.app.request("/v1/users/b2/recommendations", { headers: second.auth });
      await second.close();
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: { runId: string } }).result.runId).toBe(ran.runId);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

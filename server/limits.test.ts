import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, TEST_KEY } from "../test/support/server.js";

const open: ReturnType<typeof createTestApp>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

const post = (app: ReturnType<typeof createTestApp>["app"], path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` }, body: JSON.stringify(body) });

const batch = (from: number, n: number) => ({
  events: Array.from({ length: n }, (_, i) => ({ eventId: `rl-${from + i}`, userId: "b1", type: "view", itemId: "i-100", at: "2025-06-01T10:00:00Z" })),
});

describe("ingestion budget", () => {
  it("counts events, not requests, on POST /v1/events, and keeps the request limit elsewhere", async () => {
    const t = createTestApp({ limits: { rateLimitPerSecond: 0.001, rateLimitBurst: 2, eventsRatePerSecond: 0.001, eventsRateBurst: 250 }, triggers: { enabled: false } });
    open.push(t);
    const statuses: number[] = [];
    for (let b = 0; b < 12; b++) statuses.push((await post(t.app, "/v1/events", batch(b * 20, 20))).status);
    expect(statuses).toEqual([...Array(12).fill(200)]);
    const over = await post(t.app, "/v1/events", batch(1000, 20));
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await over.json()).toMatchObject({ code: "rate_limited", message: expect.stringContaining("events") });

    const invokes = [];
    for (let i = 0; i < 3; i++) invokes.push((await post(t.app, "/v1/users/b1/invoke", {})).status);
    expect(invokes).toEqual([200, 200, 429]);
  });
});

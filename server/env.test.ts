import { describe, expect, it } from "vitest";
import { parseApiKeys, parseServerEnv, SERVER_ENV_VARS, ServerEnvError } from "./env.js";

describe("parseServerEnv", () => {
  it("applies the documented defaults", () => {
    const env = parseServerEnv({});
    expect(env.port).toBe(8787);
    expect(env.apiKeys).toEqual([]);
    expect(env.limits).toEqual({ bodyLimitBytes: 1048576, eventsMaxBatch: 1000, rateLimitPerSecond: 20, rateLimitBurst: 60, eventsRatePerSecond: 10000, eventsRateBurst: 20000, invokeTimeoutMs: 120000, invokeConcurrency: 2, invokeQueueMax: 256 });
    expect(env.triggers).toEqual({ enabled: true, views: 5, minIntervalMs: 30000, concurrency: 2 });
    expect(env.defaultAsOf).toBeUndefined();
    for (const v of SERVER_ENV_VARS) expect(v.meaning.length).toBeGreaterThan(10);
  });

  it("reads overrides and treats blank values as unset", () => {
    const env = parseServerEnv({ PORT: "9000", TRIGGER_VIEWS: "3", TRIGGER_ENABLED: "false", API_KEYS: " key-aaaaaaaaaaaaaaaa , key-bbbbbbbbbbbbbbbb ", EVENTS_MAX_BATCH: " ", DEFAULT_AS_OF: "2025-06-01T00:00:00Z" });
    expect(env.port).toBe(9000);
    expect(env.triggers.views).toBe(3);
    expect(env.triggers.enabled).toBe(false);
    expect(env.apiKeys).toEqual(["key-aaaaaaaaaaaaaaaa", "key-bbbbbbbbbbbbbbbb"]);
    expect(env.limits.eventsMaxBatch).toBe(1000);
    expect(env.defaultAsOf).toBe("2025-06-01T00:00:00Z");
  });

  it("names every bad variable", () => {
    expect(() => parseServerEnv({ PORT: "http", TRIGGER_CONCURRENCY: "0", DEFAULT_AS_OF: "June" })).toThrow(ServerEnvError);
    try {
      parseServerEnv({ PORT: "http", TRIGGER_CONCURRENCY: "0" });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/TRIGGER_CONCURRENCY/);
    }
  });

  it("rejects short or spaced API keys", () => {
    expect(() => parseApiKeys("short")).toThrow(/16-256/);
    expect(parseApiKeys("a-valid-key-123456,a-valid-key-123456")).toEqual(["a-valid-key-123456"]);
  });
});

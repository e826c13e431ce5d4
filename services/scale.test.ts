import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseServerEnv } from "../server/env.js";
import { ConfigError, loadServicesConfig } from "./config.js";
import { postgresBinDir, postgresTarget, redisTarget } from "./scale.js";

describe("scale-out configuration", () => {
  it("selects Postgres by POSTGRES_URL, else DATABASE_URL, and Redis by REDIS_URL", () => {
    const none = loadServicesConfig({});
    expect(none.postgres).toEqual({ url: undefined, poolMax: 10, port: 55432 });
    expect(none.redis).toEqual({ url: undefined, port: 6389 });
    expect(loadServicesConfig({ DATABASE_URL: "postgres://d@h/db" }).postgres.url).toBe("postgres://d@h/db");
    expect(loadServicesConfig({ DATABASE_URL: "postgres://d@h/db", POSTGRES_URL: "postgres://p@h/db" }).postgres.url).toBe("postgres://p@h/db");
    expect(loadServicesConfig({ REDIS_URL: "redis://r:6379", POSTGRES_POOL_MAX: "25" })).toMatchObject({ redis: { url: "redis://r:6379" }, postgres: { poolMax: 25 } });
  });

  it("names a bad variable", () => {
    expect(() => loadServicesConfig({ POSTGRES_POOL_MAX: "0" })).toThrow(ConfigError);
    expect(() => loadServicesConfig({ POSTGRES_POOL_MAX: "0" })).toThrow(/POSTGRES_POOL_MAX/);
    expect(() => loadServicesConfig({ REDIS_PORT: "70000" })).toThrow(/REDIS_PORT/);
    expect(() => parseServerEnv({ REDIS_PREFIX: "a:b" })).toThrow(/REDIS_PREFIX/);
    expect(() => parseServerEnv({ TRIGGER_LOCK_MS: "10" })).toThrow(/TRIGGER_LOCK_MS/);
  });

  it("parses the queue settings", () => {
    expect(parseServerEnv({}).queue).toEqual({ attempts: 3, backoffMs: 2000, lockMs: 30_000 });
    expect(parseServerEnv({ TRIGGER_ATTEMPTS: "5", TRIGGER_BACKOFF_MS: "100", TRIGGER_LOCK_MS: "5000" }).queue).toEqual({ attempts: 5, backoffMs: 100, lockMs: 5000 });
  });

  it("puts the local engines' data and run files under DATA_DIR by port", () => {
    const cfg = loadServicesConfig({ DATA_DIR: "/tmp/chrysalis-x", POSTGRES_PORT: "55499", REDIS_PORT: "6499" });
    expect(postgresTarget(cfg)).toMatchObject({ dataDir: "/tmp/chrysalis-x/postgres-55499", url: "postgres://chrysalis@127.0.0.1:55499/postgres" });
    expect(redisTarget(cfg)).toMatchObject({ dataDir: "/tmp/chrysalis-x/redis-6499", url: "redis://127.0.0.1:6499" });
  });

  it("finds the newest PostgreSQL version that has both postgres and initdb", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pgbin-"));
    try {
      expect(postgresBinDir(root)).toBeNull();
      for (const [v, files] of [["13", ["postgres", "initdb"]], ["16", ["postgres"]], ["15", ["postgres", "initdb"]]] as const) {
        fs.mkdirSync(path.join(root, v, "bin"), { recursive: true });
        for (const f of files) fs.writeFileSync(path.join(root, v, "bin", f), "");
      }
      expect(postgresBinDir(root)).toBe(path.join(root, "15", "bin"));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

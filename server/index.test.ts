import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateKey } from "./index.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("loadOrCreateKey", () => {
  it("creates a private key file once and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-key-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "sub", "server-api-key");
    const key = loadOrCreateKey(file);
    expect(key).toMatch(/^chr_[A-Za-z0-9_-]{32}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(file)).toBe(key);
  });
});

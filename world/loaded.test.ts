import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultAsOf, worldAsOf } from "./loaded.js";

function dataDirWith(preset: string, asOf: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), "loaded-"));
  mkdirSync(join(dataDir, "world", preset), { recursive: true });
  const manifest = { preset, seed: 1, asOf, historyStart: "2024-06-01T00:00:00.000Z", heldOutEnd: "2025-06-29T00:00:00.000Z", counts: {} };
  writeFileSync(join(dataDir, "world", preset, "manifest.json"), JSON.stringify(manifest));
  return dataDir;
}

describe("defaultAsOf", () => {
  it("takes DEFAULT_AS_OF first, then the started world's asOf, else nothing", () => {
    const dataDir = dataDirWith("demo", "2025-06-01T00:00:00.000Z");
    expect(defaultAsOf({ DEFAULT_AS_OF: "2025-05-01T00:00:00Z" }, dataDir)).toBe("2025-05-01T00:00:00Z");
    expect(defaultAsOf({}, dataDir)).toBe("2025-06-01T00:00:00.000Z");
    expect(defaultAsOf({ START_PRESET: "ci" }, dataDir)).toBeUndefined();
    expect(worldAsOf(mkdtempSync(join(tmpdir(), "empty-")))).toBeNull();
  });
});

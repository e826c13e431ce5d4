/**
 * The injection guard on generated trend corpora of seeds other than the presets' defaults: every
 * document the latent labels mark as an injection is set aside, no other document is.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateWorld } from "../world/generate.js";
import { readTrendLabels } from "../world/latent.js";
import { looksInjected } from "../lib/injection-guard.js";

describe("injection guard on generated corpora", () => {
  it.each([3, 11])("seed %i: all injection documents flagged, no other document", async (seed) => {
    const dir = mkdtempSync(join(tmpdir(), "chrysalis-guard-"));
    try {
      await generateWorld({ preset: "tiny", seed, outDir: dir });
      const injection = new Map((await readTrendLabels(dir)).map((l) => [l.docId, l.isInjection]));
      const docs = readFileSync(join(dir, "trends.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; title: string; text: string });
      const flagged = (d: { title: string; text: string }) => looksInjected(`${d.title}\n${d.text}`);
      const attacks = docs.filter((d) => injection.get(d.id));
      expect(attacks.length).toBeGreaterThan(0);
      expect(attacks.filter((d) => !flagged(d)).map((d) => d.text)).toEqual([]);
      expect(docs.filter((d) => !injection.get(d.id) && flagged(d)).map((d) => d.text)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

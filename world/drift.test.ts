import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "./generate.js";
import type { HeldoutSummary, LatentProfile, LatentTrend } from "./latent.js";
import { readHeldout, readProfiles, readTrends } from "./latent.js";
import { readJsonl } from "../lib/jsonl.js";
import { EventRecord, ItemRecord, WORLD_FILES } from "../contracts/records.js";
import type { WorldManifest } from "../contracts/records.js";

let dir: string;
let manifest: WorldManifest;
/** CPU time of the generation (robust to other jobs on a shared machine). */
let elapsedMs: number;
let heldout: HeldoutSummary[];
let profiles: LatentProfile[];
let trends: LatentTrend[];
const items = new Map<string, ItemRecord>();
const events: EventRecord[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "world-ci-"));
  const cpu0 = process.cpuUsage();
  manifest = await generateWorld({ preset: "ci", outDir: dir });
  const cpu = process.cpuUsage(cpu0);
  elapsedMs = (cpu.user + cpu.system) / 1000;
  heldout = await readHeldout(dir);
  profiles = await readProfiles(dir);
  trends = await readTrends(dir);
  for await (const r of readJsonl(join(dir, WORLD_FILES.items), ItemRecord)) if (r.ok) items.set(r.record.id, r.record);
  for await (const r of readJsonl(join(dir, WORLD_FILES.events), EventRecord)) if (r.ok) events.push(r.record);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generateWorld (ci)", () => {
  it("has the ci size and is generated in under 30 s", () => {
    expect(elapsedMs).toBeLessThan(30_000);
    expect(manifest.counts.buyers).toBe(200);
    expect(manifest.counts.items).toBe(3000);
    expect(events.length).toBe(manifest.counts.events);
  });

  it("keeps the history-following share of held-out activity within 0.70–0.85", () => {
    const total = heldout.reduce((s, h) => s + h.events, 0);
    const history = heldout.reduce((s, h) => s + h.byIntent.history, 0);
    expect(total).toBe(manifest.counts.heldOutEvents);
    expect(history / total).toBeGreaterThanOrEqual(0.7);
    expect(history / total).toBeLessThanOrEqual(0.85);
  });

  it("sends a visible part of held-out item activity to categories the buyer never touched", () => {
    const asOf = Date.parse(manifest.asOf);
    const seen = new Map<string, Set<string>>();
    let held = 0;
    let novel = 0;
    for (const e of events) {
      if (!e.itemId) continue;
      const cat = items.get(e.itemId)!.categoryId;
      if (Date.parse(e.at) < asOf) {
        if (!seen.has(e.userId)) seen.set(e.userId, new Set());
        seen.get(e.userId)!.add(cat);
      } else {
        held++;
        if (!seen.get(e.userId)?.has(cat)) novel++;
      }
    }
    expect(novel / held).toBeGreaterThan(0.1);
    expect(novel / held).toBeLessThan(0.4);
  });

  it("has live-stream sellers react to trends faster than other buyers", () => {
    const typeOf = new Map(profiles.map((p) => [p.buyerId, p.type]));
    const lag = (live: boolean): number => {
      const lags: number[] = [];
      for (const t of trends) {
        const start = Date.parse(t.emergesAt);
        const first = new Map<string, number>();
        for (const e of events) {
          if (!e.itemId || (typeOf.get(e.userId) === "livestream") !== live) continue;
          const item = items.get(e.itemId)!;
          if (!t.categoryIds.includes(item.categoryId) || !t.valueIds.every((v) => item.valueIds?.includes(v))) continue;
          const at = Date.parse(e.at);
          if (at >= start && !first.has(e.userId)) first.set(e.userId, (at - start) / 86_400_000);
        }
        lags.push(...first.values());
      }
      lags.sort((a, b) => a - b);
      return lags[Math.floor(lags.length / 2)];
    };
    expect(lag(true)).toBeLessThan(0.7 * lag(false));
  });

  it("follows the seasons: dresses sell in summer, down jackets in winter", () => {
    const monthCount = (categoryId: string, months: number[]): number =>
      events.filter((e) => e.itemId && items.get(e.itemId)!.categoryId === categoryId && months.includes(new Date(e.at).getUTCMonth())).length;
    expect(monthCount("c-dress", [5, 6, 7])).toBeGreaterThan(1.5 * monthCount("c-dress", [11, 0, 1]));
    expect(monthCount("c-downjacket", [10, 11, 0])).toBeGreaterThan(1.5 * monthCount("c-downjacket", [5, 6, 7]));
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, toValueRecord } from "./catalog.js";
import { generateWorld } from "./generate.js";
import { allowedFactorNames } from "./items.js";
import type { LatentProfile, TrendLabel } from "./latent.js";
import { readProfiles, readTrendLabels } from "./latent.js";
import { readJsonl } from "../lib/jsonl.js";
import {
  BuyerRecord, CategoryRecord, EventRecord, ItemRecord, SellerRecord, TrendDocRecord, ValueRecord, WORLD_FILES,
} from "../contracts/records.js";
import type { WorldManifest } from "../contracts/records.js";
import { buildVocabulary, extractValues } from "../lib/value-match.js";

let dirA: string;
let dirB: string;
let manifest: WorldManifest;
/** CPU time of the generation (robust to other jobs on a shared machine). */
let elapsedMs: number;
let items: ItemRecord[];
let events: EventRecord[];
let profiles: LatentProfile[];
let labels: TrendLabel[];
let docs: TrendDocRecord[];

async function readAll<T>(file: string, schema: Parameters<typeof readJsonl>[1]): Promise<T[]> {
  const out: T[] = [];
  for await (const r of readJsonl(file, schema)) {
    if (!r.ok) throw new Error(`${file}:${r.line}: ${r.error}`);
    out.push(r.record as T);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  dirA = mkdtempSync(join(tmpdir(), "world-a-"));
  dirB = mkdtempSync(join(tmpdir(), "world-b-"));
  const cpu0 = process.cpuUsage();
  manifest = await generateWorld({ preset: "tiny", outDir: dirA });
  const cpu = process.cpuUsage(cpu0);
  elapsedMs = (cpu.user + cpu.system) / 1000;
  await generateWorld({ preset: "tiny", outDir: dirB });
  items = await readAll(join(dirA, WORLD_FILES.items), ItemRecord);
  events = await readAll(join(dirA, WORLD_FILES.events), EventRecord);
  docs = await readAll(join(dirA, WORLD_FILES.trends), TrendDocRecord);
  profiles = await readProfiles(dirA);
  labels = await readTrendLabels(dirA);
}, 60_000);

afterAll(() => {
  rmSync(dirA, { recursive: true, force: true });
  rmSync(dirB, { recursive: true, force: true });
});

const asOfMs = () => Date.parse(manifest.asOf);

describe("generateWorld (tiny)", () => {
  it("is fast and writes byte-identical files for the same seed", () => {
    expect(elapsedMs).toBeLessThan(3000);
    const a = filesUnder(dirA).map((f) => relative(dirA, f)).sort();
    const b = filesUnder(dirB).map((f) => relative(dirB, f)).sort();
    expect(b).toEqual(a);
    expect(a).toEqual(expect.arrayContaining([...Object.values(WORLD_FILES), "latent/profiles.jsonl", "latent/trends.json", "latent/trend-labels.jsonl"]));
    for (const f of a) expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f)))).toBe(true);
  });

  it("writes a different world for another seed", async () => {
    const dirC = mkdtempSync(join(tmpdir(), "world-c-"));
    try {
      await generateWorld({ preset: "tiny", seed: 7, outDir: dirC });
      expect(readFileSync(join(dirC, WORLD_FILES.items)).equals(readFileSync(join(dirA, WORLD_FILES.items)))).toBe(false);
    } finally {
      rmSync(dirC, { recursive: true, force: true });
    }
  });

  it("writes records that pass the schemas, with counts as in the manifest", async () => {
    const categories = await readAll<CategoryRecord>(join(dirA, WORLD_FILES.categories), CategoryRecord);
    const values = await readAll<ValueRecord>(join(dirA, WORLD_FILES.values), ValueRecord);
    const sellers = await readAll<SellerRecord>(join(dirA, WORLD_FILES.sellers), SellerRecord);
    const buyers = await readAll<BuyerRecord>(join(dirA, WORLD_FILES.buyers), BuyerRecord);
    expect(manifest.counts).toMatchObject({
      categories: categories.length, values: values.length, sellers: sellers.length, buyers: buyers.length,
      items: items.length, events: events.length, trends: docs.length,
    });
    expect(buyers.length).toBe(30);
    expect(items.length).toBe(400);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const text = filesUnder(dirA).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(text).not.toMatch(/202[6-9]-\d\d-\d\dT/);
  });

  it("gives every item only values its category allows, all named in its title", () => {
    const catalog = buildCatalog();
    const vocab = buildVocabulary(catalog.values.map(toValueRecord));
    for (const item of items) {
      const leaf = catalog.leafBySlug.get(item.categoryId.slice(2))!;
      const allowed = catalog.leafValues.get(leaf.slug)!;
      for (const id of item.valueIds ?? []) {
        const v = catalog.valueById.get(id)!;
        expect(leaf.allows).toContain(v.factorKey);
        expect(allowed.get(v.factorKey)!.map((x) => x.id)).toContain(id);
      }
      expect([...extractValues(item.title, vocab, allowedFactorNames(leaf))].sort()).toEqual([...(item.valueIds ?? [])].sort());
      expect(item.priceTiers[0]).toEqual({ minQty: item.moq, price: item.price });
    }
  });

  it("launches some items in the last weeks before asOf and some during the held-out weeks", () => {
    const recent = items.filter((i) => Date.parse(i.launchedAt) < asOfMs() && Date.parse(i.launchedAt) >= asOfMs() - 42 * 86_400_000);
    const heldOut = items.filter((i) => Date.parse(i.launchedAt) >= asOfMs());
    expect(recent.length).toBeGreaterThan(10);
    expect(heldOut.length).toBeGreaterThan(5);
  });

  it("splits history before asOf and held-out weeks after it, and counts both", () => {
    const start = Date.parse(manifest.historyStart);
    const end = Date.parse(manifest.heldOutEnd);
    const history = events.filter((e) => Date.parse(e.at) < asOfMs());
    const heldOut = events.filter((e) => Date.parse(e.at) >= asOfMs());
    expect(history.every((e) => Date.parse(e.at) >= start)).toBe(true);
    expect(heldOut.every((e) => Date.parse(e.at) < end)).toBe(true);
    expect(history.length).toBe(manifest.counts.historyEvents);
    expect(heldOut.length).toBe(manifest.counts.heldOutEvents);
    expect(heldOut.length).toBeGreaterThan(100);
  });

  it("references only items launched before the event", () => {
    const launched = new Map(items.map((i) => [i.id, Date.parse(i.launchedAt)]));
    for (const e of events) {
      if (e.type === "search") continue;
      expect(launched.get(e.itemId!)! < Date.parse(e.at)).toBe(true);
    }
  });

  it("makes orders whose amount is the tier price times the quantity", () => {
    const byId = new Map(items.map((i) => [i.id, i]));
    const orders = events.filter((e) => e.type === "order");
    expect(orders.length).toBeGreaterThan(50);
    for (const o of orders) {
      const item = byId.get(o.itemId!)!;
      const tier = [...item.priceTiers].reverse().find((t) => o.quantity! >= t.minQty)!;
      expect(o.quantity!).toBeGreaterThanOrEqual(item.moq);
      expect(o.amount).toBeCloseTo(tier.price * o.quantity!, 2);
    }
  });

  it("contains the forced buyers: a French-style dress boutique, two drop-shippers and a wholesaler", () => {
    const boutique = profiles.find((p) => p.type === "boutique" && p.mainCategories[0].categoryId === "c-dress");
    expect(boutique?.preferences["风格"][0].valueId).toBe("v-style-french");
    expect(profiles.filter((p) => p.type === "dropship").length).toBeGreaterThanOrEqual(2);
    expect(profiles.filter((p) => p.type === "wholesaler").length).toBeGreaterThanOrEqual(1);
  });

  it("shows buyer types in behaviour: drop-shippers order 1–2 pieces, wholesalers hundreds", () => {
    const typeOf = new Map(profiles.map((p) => [p.buyerId, p.type]));
    const qty = (type: string) =>
      events.filter((e) => e.type === "order" && typeOf.get(e.userId) === type).map((e) => e.quantity!).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    const drop = qty("dropship");
    const whole = qty("wholesaler");
    expect(drop.length).toBeGreaterThan(10);
    expect(whole.length).toBeGreaterThan(0);
    expect(Math.max(...drop)).toBeLessThanOrEqual(2);
    expect(median(whole)).toBeGreaterThanOrEqual(100);
    expect(median(whole)).toBeGreaterThan(50 * median(drop));
  });

  it("never shows a buyer's potential categories in their history", () => {
    const catOf = new Map(items.map((i) => [i.id, i.categoryId]));
    for (const p of profiles) {
      const seen = new Set(
        events.filter((e) => e.userId === p.buyerId && e.itemId && Date.parse(e.at) < asOfMs()).map((e) => catOf.get(e.itemId!)),
      );
      for (const pot of p.potential) expect(seen.has(pot.categoryId)).toBe(false);
    }
  });

  it("has a trend corpus from four sources with noise and at least 2% injection attempts", () => {
    expect(new Set(docs.map((d) => d.source)).size).toBe(4);
    expect(labels.length).toBe(docs.length);
    const injections = labels.filter((l) => l.isInjection);
    expect(injections.length / labels.length).toBeGreaterThanOrEqual(0.02);
    const byId = new Map(docs.map((d) => [d.id, d]));
    for (const l of injections) expect(byId.get(l.docId)!.text).toMatch(/忽略|ignore|disregard/i);
    expect(labels.some((l) => l.isNoise)).toBe(true);
    const promoted = labels.filter((l) => !l.isNoise && l.valueIds.length > 0);
    expect(promoted.length).toBeGreaterThan(docs.length / 2);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorldFromCatalog } from "./generate-catalog.js";
import { readHeldout, readProfiles, readTrendLabels, readTrends } from "./latent.js";
import { readCatalogDir } from "./real-catalog.js";
import { writeRealCatalog } from "./real-sample.js";
import { readTaobao } from "../kg/induce/taobao.js";
import { loadWorld, type WorldData } from "../evals/world-data.js";
import { worldChecksum } from "../evals/golden/checksum.js";
import { buildCatalog } from "./catalog.js";
import type { WorldManifest } from "../contracts/records.js";

const AS_OF = "2025-06-01T00:00:00.000Z";
const DAY = 86_400_000;
let tmp: string;
let catalogDir: string;
let world: WorldData;
let manifest: WorldManifest;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-world-"));
  catalogDir = path.join(tmp, "catalog");
  writeRealCatalog(readTaobao("train").slice(0, 2500), catalogDir, { leaves: 6, perLeaf: 40, seed: 3, asOf: AS_OF });
  manifest = await generateWorldFromCatalog({ catalogDir, seed: 5, outDir: path.join(tmp, "a"), buyers: 24, simulation: { trendDocs: 120 } });
  world = loadWorld(path.join(tmp, "a"));
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("a world over a real catalog (npm run world -- --catalog)", () => {
  it("is deterministic by seed: the same seed gives byte-identical files, another seed other behaviour over the same catalog", async () => {
    await generateWorldFromCatalog({ catalogDir, seed: 5, outDir: path.join(tmp, "b"), buyers: 24, simulation: { trendDocs: 120 } });
    expect(worldChecksum(path.join(tmp, "b"))).toBe(worldChecksum(path.join(tmp, "a")));
    await generateWorldFromCatalog({ catalogDir, seed: 6, outDir: path.join(tmp, "c"), buyers: 24, simulation: { trendDocs: 120 } });
    const read = (dir: string, file: string) => fs.readFileSync(path.join(tmp, dir, file), "utf8");
    expect(read("c", "items.jsonl")).toBe(read("a", "items.jsonl"));
    expect(read("c", "values.jsonl")).toBe(read("a", "values.jsonl"));
    expect(read("c", "events.jsonl")).not.toBe(read("a", "events.jsonl"));
  }, 120_000);

  it("keeps the catalog's real offers and gives its categories an induced vocabulary", async () => {
    const input = await readCatalogDir(catalogDir);
    expect(world.items.map((i) => [i.id, i.title]).sort()).toEqual(input.items.map((i) => [i.id, i.title]).sort());
    expect(world.values.length).toBeGreaterThan(30);
    const raw = fs.readFileSync(path.join(tmp, "a", "values.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { source: string; id: string });
    expect(raw.every((v) => v.source === "induced" && v.id.startsWith("v-ind-"))).toBe(true);
    const leaves = world.categories.filter((c) => c.parentId !== null);
    expect(leaves).toHaveLength(6);
    for (const c of leaves) expect(c.allows.length).toBeGreaterThan(0);
    const withValues = world.items.filter((i) => (i.valueIds ?? []).length > 0).length;
    expect(withValues / world.items.length).toBeGreaterThan(0.8);
    const values = new Map(world.values.map((v) => [v.id, v]));
    for (const i of world.items) {
      const allows = world.categoryById.get(i.categoryId)!.allows;
      for (const v of i.valueIds ?? []) expect(allows).toContain(values.get(v)!.factor);
    }
  });

  it("gives every buyer a year of behaviour in the catalog's real categories", () => {
    const asOf = Date.parse(manifest.asOf);
    expect(manifest.historyStart).toBe(new Date(asOf - 365 * DAY).toISOString());
    const leafIds = new Set(world.categories.filter((c) => c.parentId !== null).map((c) => c.id));
    expect(world.buyers).toHaveLength(24);
    for (const b of world.buyers) {
      const history = world.events.filter((e) => e.userId === b.id && Date.parse(e.at) < asOf);
      expect(history.length, b.id).toBeGreaterThan(20);
      for (const e of history) if (e.itemId) expect(leafIds.has(world.itemById.get(e.itemId)!.categoryId)).toBe(true);
      if (Date.parse(b.joinedAt) < Date.parse(manifest.historyStart)) {
        expect(Date.parse(history[0].at) - Date.parse(manifest.historyStart), b.id).toBeLessThan(60 * DAY);
        expect(asOf - Date.parse(history[history.length - 1].at), b.id).toBeLessThan(60 * DAY);
      }
      const searches = history.filter((e) => e.type === "search");
      expect(searches.length, b.id).toBeGreaterThan(0);
    }
  });

  it("has held-out weeks after asOf, counted by intent in the latent truth", async () => {
    const asOf = Date.parse(manifest.asOf);
    const end = Date.parse(manifest.heldOutEnd);
    expect(end - asOf).toBe(28 * DAY);
    const heldOut = world.events.filter((e) => Date.parse(e.at) >= asOf);
    expect(heldOut.length).toBeGreaterThan(0);
    for (const e of heldOut) expect(Date.parse(e.at)).toBeLessThan(end);
    const summaries = await readHeldout(world.dir);
    expect(summaries).toHaveLength(24);
    for (const s of summaries) expect(s.events).toBe(heldOut.filter((e) => e.userId === s.buyerId).length);
    const buyersWithHeldOut = new Set(heldOut.map((e) => e.userId));
    expect(buyersWithHeldOut.size).toBeGreaterThanOrEqual(20);
    const drift = summaries.reduce((n, s) => n + s.byIntent.cross + s.byIntent.potential + s.byIntent.trend, 0);
    expect(drift).toBeGreaterThan(0);
  });

  it("writes latent truth that refers only to the catalog's leaves and induced values", async () => {
    const induced = new Set(world.values.map((v) => v.id));
    const leafIds = new Set(world.categories.filter((c) => c.parentId !== null).map((c) => c.id));
    const allowed = (categoryId: string, valueId: string) => world.categoryById.get(categoryId)!.allows.includes(world.valueById.get(valueId)!.factor);
    for (const p of await readProfiles(world.dir)) {
      for (const m of p.mainCategories) expect(leafIds.has(m.categoryId)).toBe(true);
      const prefs = Object.entries(p.preferences).flatMap(([factor, list]) => list.map((x) => ({ factor, id: x.valueId })));
      expect(prefs.length, p.buyerId).toBeGreaterThan(0);
      for (const x of prefs) expect(world.valueById.get(x.id)?.factor).toBe(x.factor);
      for (const id of p.recentDrift.valueIds) expect(induced.has(id)).toBe(true);
      for (const pot of p.potential) {
        expect(leafIds.has(pot.categoryId)).toBe(true);
        for (const id of pot.valueIds) expect(allowed(pot.categoryId, id)).toBe(true);
      }
    }
    const trends = await readTrends(world.dir);
    expect(trends.length).toBeGreaterThan(0);
    for (const t of trends) {
      expect(t.categoryIds.length).toBeGreaterThan(0);
      for (const c of t.categoryIds) {
        expect(leafIds.has(c)).toBe(true);
        for (const v of t.valueIds) expect(allowed(c, v)).toBe(true);
      }
      for (const term of t.terms) expect(term).toContain(world.valueById.get(t.valueIds[0])!.name);
    }
    for (const l of await readTrendLabels(world.dir)) for (const v of l.valueIds) expect(induced.has(v)).toBe(true);
    const generated = buildCatalog();
    const generatedIds = new Set([...generated.values.map((v) => v.id), ...generated.categories.map((c) => c.id)]);
    const latentText = ["profiles.jsonl", "trends.json", "trend-labels.jsonl"].map((f) => fs.readFileSync(path.join(world.dir, "latent", f), "utf8")).join("\n");
    const ids = new Set(latentText.match(/"(?:v|c)-[\w-]+"/g)?.map((s) => s.slice(1, -1)) ?? []);
    expect([...ids].filter((id) => generatedIds.has(id))).toEqual([]);
  });

  it("refuses a catalog with bad records, naming each as file:line: reason", async () => {
    const bad = path.join(tmp, "bad");
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, "categories.jsonl"), '\uFEFF{"id":"k","name":"裙","parentId":null,"level":1}\n{"id":"s","name":"自指","parentId":"s","level":2}\n');
    fs.writeFileSync(path.join(bad, "sellers.jsonl"), '{"id":"x","name":"商家","type":"factory","joinedAt":"2024-01-01 08:00:00+0800"}\n');
    fs.writeFileSync(
      path.join(bad, "items.jsonl"),
      '{"id":"i1","title":"法式碎花连衣裙","categoryId":"k","price":10,"moq":1,"launchedAt":"2025-01-01 08:00+0800","sellerId":"x","valueIds":[]}\n' +
        '{"id":"i2","title":"  ","categoryId":"k","price":10,"moq":1,"launchedAt":"2025-01-01T00:00:00Z","sellerId":"nobody"}\n',
    );
    fs.writeFileSync(path.join(bad, "factors.jsonl"), '{"name":"风格"}\n');
    fs.writeFileSync(path.join(bad, "values.jsonl"), '{"id":"v1","factor":"风格","name":"法式"}\n{"id":"v2","factor":"尺码","name":"大码"}\n');
    await expect(readCatalogDir(bad)).rejects.toThrow(
      /categories\.jsonl:2: category s is its own parent\n {2}items\.jsonl:2: title: blank\n {2}values\.jsonl:2: unknown factor 尺码 \(not in factors\.jsonl\)$/,
    );
    fs.rmSync(path.join(bad, "values.jsonl"));
    fs.writeFileSync(path.join(bad, "categories.jsonl"), '\uFEFF{"id":"k","name":"裙","parentId":null,"level":1}\n');
    fs.writeFileSync(path.join(bad, "items.jsonl"), '{"id":"i1","title":"法式碎花连衣裙","categoryId":"k","price":10,"moq":1,"launchedAt":"2025-01-01 08:00+0800","sellerId":"x","valueIds":[]}\n');
    const good = await readCatalogDir(bad);
    expect(good.categories.map((c) => c.id)).toEqual(["k"]);
    expect(good.items[0].launchedAt).toBe("2025-01-01T08:00:00+08:00");
    expect(good.items[0].valueIds).toBeUndefined();
  });
});

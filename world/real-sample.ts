/**
 * Builds a real-catalog import directory (the JSONL format of `kg/IMPORT.md`) from the shared
 * Taobao titles: offers are real titles grouped into leaf categories by their product noun (found
 * without labels; of a title's product types, the one the most titles name), each leaf with no `allows` (so `kg:import` induces the vocabulary), with
 * deterministic prices, sellers and launch dates; buyers get a synthetic year of behaviour over
 * those offers (weekly searches, views, carts and orders in one or two main categories, leaning
 * to the offers that share a title word the buyer is given as its taste), and a manifest with
 * `asOf`. Used by the real-data integration tests; writes only into the directory it is given.
 * `realCatalogRecords` / `writeRealCatalog` give the catalog alone (no buyers), the input of
 * `npm run world -- --catalog` and of the `real-taobao` preset (`real-presets.ts`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "./random.js";
import type { BuyerRecord, CategoryRecord, EventRecord, ItemRecord, SellerRecord, WorldManifest } from "../contracts/records.js";
import { WORLD_FILES } from "../contracts/records.js";
import type { BioTitle } from "../kg/induce/bio.js";
import { catalogStats } from "../kg/induce/catalog-stats.js";
import { productTypeSpans } from "../kg/induce/product-type.js";
import { segment } from "../kg/induce/segment.js";

export interface RealCatalogOptions {
  leaves: number;
  perLeaf: number;
  seed: number;
  asOf: string;
}

export interface RealSampleOptions extends RealCatalogOptions {
  buyers: number;
}

/** A catalog of real titles in the import format: categories (a root and one leaf per product type, no `allows`), sellers, items. */
export interface RealCatalogRecords {
  categories: CategoryRecord[];
  sellers: SellerRecord[];
  items: ItemRecord[];
  /** Start of the year of history before `asOf`. */
  startMs: number;
}

const DAY = 86_400_000;
const jsonl = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Groups `titles` into leaf categories by the product type most titles name (the `leaves` largest
 * groups of ≥ 10 titles, `perLeaf` titles each) and gives each offer a deterministic price, MOQ,
 * launch date (0–200 days before the year of history) and seller, drawing from `rng`.
 */
export function realCatalogRecords(titles: readonly BioTitle[], o: RealCatalogOptions, rng: Rng): RealCatalogRecords {
  const byNoun = new Map<string, string[]>();
  const segmented = titles.map((t) => ({ title: t.text, tokens: segment(t.text) }));
  const stats = catalogStats(segmented);
  for (const [n, t] of titles.entries()) {
    const noun = productTypeSpans(segmented[n].tokens, { stats }).sort((a, b) => stats.wordSupport(b.text) - stats.wordSupport(a.text) || a.start - b.start)[0]?.text;
    if (!noun || t.text.length < 8) continue;
    byNoun.set(noun, [...(byNoun.get(noun) ?? []), t.text]);
  }
  const leaves = [...byNoun].filter(([, list]) => list.length >= 10).sort((a, b) => b[1].length - a[1].length).slice(0, o.leaves);
  const asOf = Date.parse(o.asOf);
  const start = asOf - 365 * DAY;
  const categories: CategoryRecord[] = [{ id: "rc-root", name: "真实类目", parentId: null, level: 1, allows: [] }];
  const sellers: SellerRecord[] = Array.from({ length: 8 }, (_, n) => ({ id: `rs-${n}`, name: `真实商家${n}`, type: (["factory", "trader", "brand"] as const)[n % 3], joinedAt: isoSeconds(start - 400 * DAY) }));
  const items: ItemRecord[] = [];
  leaves.forEach(([noun, list], leaf) => {
    categories.push({ id: `rc-${leaf}`, name: noun, parentId: "rc-root", level: 2, allows: [] });
    list.slice(0, o.perLeaf).forEach((title, n) => {
      const price = Math.round(rng.uniform(5, 200) * 10) / 10;
      items.push({ id: `ri-${leaf}-${n}`, title: title.slice(0, 300), categoryId: `rc-${leaf}`, price, moq: rng.int(1, 10), priceTiers: [], launchedAt: isoSeconds(start - rng.int(0, 200) * DAY), sellerId: rng.pick(sellers).id });
    });
  });
  return { categories, sellers, items, startMs: start };
}

/** Writes the catalog of `realCatalogRecords` (no buyers, no events) and a manifest with `asOf` as an import directory. */
export function writeRealCatalog(titles: readonly BioTitle[], dir: string, o: RealCatalogOptions): RealCatalogRecords {
  const records = realCatalogRecords(titles, o, new Rng(o.seed));
  mkdirSync(dir, { recursive: true });
  const manifest: WorldManifest = { preset: "real-catalog", seed: o.seed, asOf: o.asOf, historyStart: isoSeconds(records.startMs), heldOutEnd: o.asOf, counts: { categories: records.categories.length, items: records.items.length } };
  writeFileSync(join(dir, WORLD_FILES.categories), jsonl(records.categories));
  writeFileSync(join(dir, WORLD_FILES.sellers), jsonl(records.sellers));
  writeFileSync(join(dir, WORLD_FILES.items), jsonl(records.items));
  writeFileSync(join(dir, WORLD_FILES.manifest), JSON.stringify(manifest, null, 2));
  return records;
}

export function writeRealSample(titles: readonly BioTitle[], dir: string, o: RealSampleOptions): { items: number; events: number; buyers: string[] } {
  const rng = new Rng(o.seed);
  const { categories, sellers, items, startMs: start } = realCatalogRecords(titles, o, rng);
  const iso = isoSeconds;
  const byCategory = new Map<string, ItemRecord[]>();
  for (const i of items) byCategory.set(i.categoryId, [...(byCategory.get(i.categoryId) ?? []), i]);
  const leafIds = [...byCategory.keys()];
  const buyers: BuyerRecord[] = [];
  const events: EventRecord[] = [];
  for (let b = 0; b < o.buyers; b++) {
    const id = `rb-${b}`;
    buyers.push({ id, name: `真实买家${b}`, joinedAt: iso(start - 30 * DAY) });
    const mains = [leafIds[b % leafIds.length], leafIds[(b * 3 + 1) % leafIds.length]];
    const pool = mains.flatMap((c) => byCategory.get(c) ?? []);
    const words = [...new Set(pool.flatMap((i) => segment(i.title).map((t) => t.word)).filter((w) => w.length >= 2))];
    const taste = rng.pick(words);
    const liked = pool.filter((i) => i.title.includes(taste));
    for (let week = 0; week < 52; week++) {
      const t0 = start + week * 7 * DAY;
      const noun = categories.find((c) => c.id === rng.pick(mains))?.name ?? taste;
      events.push({ id: `re-${b}-${week}-s`, userId: id, type: "search", at: iso(t0 + rng.int(0, 6) * DAY + 3_600_000), searchTerm: `${taste}${noun}`.slice(0, 100) });
      for (let k = 0; k < 4; k++) {
        const item = liked.length > 0 && rng.chance(0.5) ? rng.pick(liked) : rng.pick(pool);
        const at = iso(t0 + rng.int(0, 6) * DAY + (k + 2) * 3_600_000);
        events.push({ id: `re-${b}-${week}-v${k}`, userId: id, type: "view", at, itemId: item.id, dwellS: rng.int(5, 120) });
        if (k === 0 && rng.chance(0.5)) events.push({ id: `re-${b}-${week}-c${k}`, userId: id, type: "cart", at, itemId: item.id, quantity: item.moq });
        if (k === 1 && rng.chance(0.35)) {
          const quantity = item.moq * rng.int(2, 20);
          events.push({ id: `re-${b}-${week}-o${k}`, userId: id, type: "order", at, itemId: item.id, quantity, amount: Math.round(quantity * item.price * 100) / 100 });
        }
      }
    }
  }
  mkdirSync(dir, { recursive: true });
  const manifest: WorldManifest = { preset: "real-sample", seed: o.seed, asOf: o.asOf, historyStart: iso(start), heldOutEnd: o.asOf, counts: { items: items.length, buyers: buyers.length, events: events.length } };
  writeFileSync(join(dir, WORLD_FILES.categories), jsonl(categories));
  writeFileSync(join(dir, WORLD_FILES.sellers), jsonl(sellers));
  writeFileSync(join(dir, WORLD_FILES.items), jsonl(items));
  writeFileSync(join(dir, WORLD_FILES.buyers), jsonl(buyers));
  writeFileSync(join(dir, WORLD_FILES.events), jsonl(events));
  writeFileSync(join(dir, WORLD_FILES.manifest), JSON.stringify(manifest, null, 2));
  return { items: items.length, events: events.length, buyers: buyers.map((b) => b.id) };
}

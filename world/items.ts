/**
 * Sellers and offers. Each offer gets values only from factors its leaf allows (and only values in
 * scope for that leaf), a price inside its price band, MOQ and price tiers by seller type, a launch
 * date (most before the history window's end, some in the last weeks before `asOf`, some during the
 * held-out weeks; trend offers after their trend emerges), and a long keyword-heavy title that
 * contains every one of its values (by name or alias) and no other vocabulary term.
 */
import { FACTORS, GROUPS, TITLE_FILLERS, TITLE_PREFIXES, TITLE_SUFFIXES } from "./catalog.js";
import type { Catalog, CatalogValue, FactorKey, Group, LeafDef, WorldLeaf } from "./catalog.js";
import type { LatentProfile, LatentTrend } from "./latent.js";
import { trendStrength } from "./latent.js";
import type { Rng } from "./random.js";
import type { ItemRecord, SellerRecord } from "../contracts/records.js";
import { DAY_MS, iso } from "./time.js";
import { shortTitle } from "../lib/value-match.js";

/** An offer as the generator keeps it in memory (numbers instead of ISO strings). */
export interface GenItem {
  index: number;
  id: string;
  leaf: WorldLeaf;
  categoryId: string;
  valueIds: string[];
  title: string;
  shortTitle: string;
  price: number;
  moq: number;
  tiers: Array<{ minQty: number; price: number }>;
  launchedMs: number;
  sellerId: string;
  /** Season value slug, if any (for seasonal demand). */
  season: string | null;
}

export interface GenSeller {
  id: string;
  name: string;
  type: SellerRecord["type"];
  group: Group;
  joinedMs: number;
}

export interface Calendar {
  historyStartMs: number;
  asOfMs: number;
  heldOutEndMs: number;
}

const SELLER_CITIES = ["义乌", "广州", "杭州", "深圳", "苏州", "泉州", "汕头", "宁波", "东莞", "温州", "青岛", "金华"];
const SELLER_STEMS = ["佳美", "鑫源", "优品", "恒达", "锦绣", "星辰", "汇丰", "盛世", "晨曦", "雅诺", "金石", "朵朵", "润丰", "新潮", "悦享", "聚宝"];
const GROUP_TRADE: Record<Group, string> = {
  women: "服饰", acc: "饰品", toys: "玩具", phone: "数码", home: "家居", stat: "文具", bags: "箱包", beauty: "化妆品", gift: "礼品",
};
const SELLER_TYPE_WORD = { factory: "厂", trader: "贸易有限公司", brand: "品牌旗舰店" } as const;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Sellers: a few per group, about one in eight joined in the last weeks (new sellers). */
export function generateSellers(count: number, cal: Calendar, rng: Rng): GenSeller[] {
  const sellers: GenSeller[] = [];
  const oldStart = Date.parse("2015-01-01T00:00:00.000Z");
  const oldEnd = cal.historyStartMs - 90 * DAY_MS;
  for (let i = 0; i < count; i++) {
    const group = GROUPS[i % GROUPS.length];
    const type = rng.weighted(["factory", "trader", "brand"] as const, (t) => (t === "factory" ? 5 : t === "trader" ? 4 : 1));
    const isNew = i >= GROUPS.length && rng.chance(0.12);
    const joinedMs = isNew
      ? cal.asOfMs - rng.int(5, 60) * DAY_MS + rng.int(0, 86_399) * 1000
      : oldStart + Math.floor(rng.next() * ((oldEnd - oldStart) / 1000)) * 1000;
    const name = `${rng.pick(SELLER_CITIES)}${rng.pick(SELLER_STEMS)}${GROUP_TRADE[group]}${SELLER_TYPE_WORD[type]}`;
    sellers.push({ id: `s-${String(i + 1).padStart(5, "0")}`, name, type, group, joinedMs });
  }
  return sellers;
}

export const toSellerRecord = (s: GenSeller): SellerRecord => ({ id: s.id, name: s.name, type: s.type, joinedAt: iso(s.joinedMs) });

/** Probability that a non-trend offer carries a factor, per factor. */
const FACTOR_PROB: Record<FactorKey, number> = {
  style: 0.85, pattern: 0.6, color: 0.6, material: 0.7, ip: 0.9, function: 0.5, price: 1, season: 0.8, cut: 0.6,
};

const CARD_BAND_PRICE: Record<string, [number, number]> = { onecny: [1, 1.5], fivecny: [4.5, 5.5], tencny: [9, 11] };

interface ItemContext {
  catalog: Catalog;
  cal: Calendar;
  trends: Array<LatentTrend & { novel: boolean }>;
  /** Stable popularity weight per value id. */
  valueWeight: Map<string, number>;
  /** Buyers' demand share of each value within its leaf and factor (0..1); see `supplyDemand`. */
  demand: Map<string, number>;
  sellersByGroup: Map<Group, GenSeller[]>;
}

function launchMs(cal: Calendar, rng: Rng): number {
  const r = rng.next();
  const sec = (lo: number, hi: number): number => lo + Math.floor(rng.next() * ((hi - lo) / 1000)) * 1000;
  if (r < 0.8) return sec(cal.historyStartMs - 365 * DAY_MS, cal.asOfMs - 42 * DAY_MS);
  if (r < 0.92) return sec(cal.asOfMs - 42 * DAY_MS, cal.asOfMs);
  return sec(cal.asOfMs, cal.heldOutEndMs);
}

function chooseValues(
  ctx: ItemContext, leaf: LeafDef, launched: number, forced: string[], rng: Rng,
): CatalogValue[] {
  const perFactor = ctx.catalog.leafValues.get(leaf.slug)!;
  const chosen: CatalogValue[] = [];
  const forcedValues = forced.map((id) => ctx.catalog.valueById.get(id)!);
  for (const key of leaf.allows) {
    const options = perFactor.get(key);
    if (!options || key === "price") continue;
    const forcedHere = forcedValues.filter((v) => v.factorKey === key && options.some((o) => o.id === v.id));
    if (forcedHere.length > 0) {
      chosen.push(...forcedHere);
      continue;
    }
    const p = leaf.slug === "cards" && key === "ip" ? 1 : FACTOR_PROB[key];
    if (!rng.chance(p)) continue;
    const weights = options.map((v) => {
      let w = (ctx.valueWeight.get(v.id) ?? 1) * (1 + DEMAND_GAIN * (ctx.demand.get(demandKey(leaf.slug, v.id)) ?? 0));
      for (const t of ctx.trends) {
        if (!t.valueIds.includes(v.id) || !t.categoryIds.includes(ctx.catalog.categoryId(leaf.slug))) continue;
        const s = trendStrength(t, launched);
        w *= t.novel && s === 0 ? 0 : 0.15 + 2 * s;
      }
      return w;
    });
    if (weights.every((w) => w <= 0)) continue;
    chosen.push(options[rng.weightedIndex(weights)]);
  }
  return chosen;
}

function priceFor(leaf: LeafDef, rng: Rng): { price: number; band: string } {
  const nb = leaf.bands.length;
  const bandWeights = [0.42, 0.33, 0.17, 0.08].slice(0, nb);
  const b = rng.weightedIndex(bandWeights);
  const band = leaf.bands[b];
  const fixed = CARD_BAND_PRICE[band];
  if (fixed) return { price: round2(rng.uniform(fixed[0], fixed[1])), band };
  const [lo, hi] = leaf.price;
  const price = lo * Math.pow(hi / lo, (b + rng.next()) / nb);
  return { price: Math.max(0.05, round2(price)), band };
}

function moqFor(seller: GenSeller, price: number, rng: Rng): number {
  const base =
    seller.type === "factory"
      ? rng.weighted([1, 2, 3, 5, 10, 20, 50], (m) => (m === 1 ? 3 : m <= 5 ? 2 : 1))
      : seller.type === "trader"
        ? rng.weighted([1, 2, 3, 5, 10], (m) => (m === 1 ? 5 : 2))
        : rng.weighted([1, 5, 10, 20], (m) => (m === 1 ? 4 : 1));
  return price < 2 ? base * 10 : base;
}

function tiersFor(price: number, moq: number): Array<{ minQty: number; price: number }> {
  const tiers = [{ minQty: moq, price }];
  for (const [mult, disc] of [[10, 0.93], [50, 0.86]] as const) {
    const p = Math.max(0.01, round2(price * disc));
    if (p < tiers[tiers.length - 1].price) tiers.push({ minQty: moq * mult, price: p });
  }
  return tiers;
}

/** Price per piece for `qty` pieces under `tiers` (the highest tier whose minimum is reached). */
export function tierPrice(tiers: ReadonlyArray<{ minQty: number; price: number }>, qty: number): number {
  let p = tiers[0].price;
  for (const t of tiers) if (qty >= t.minQty) p = t.price;
  return p;
}

function termOf(v: CatalogValue, rng: Rng): string {
  return v.aliases.length > 0 && rng.chance(0.3) ? rng.pick(v.aliases) : v.name;
}

function buildTitle(leaf: LeafDef, values: CatalogValue[], rng: Rng): string {
  const by = (k: FactorKey): string[] => values.filter((v) => v.factorKey === k).map((v) => termOf(v, rng));
  const fillers = rng.sample(TITLE_FILLERS[leaf.group], rng.int(1, 3));
  const parts: string[] = [];
  if (rng.chance(0.7)) parts.push(rng.pick(TITLE_PREFIXES));
  parts.push(...by("ip"), ...by("style"), ...by("pattern"));
  const nounEarly = rng.chance(0.6);
  if (nounEarly) parts.push(leaf.noun);
  if (fillers[0]) parts.push(fillers[0]);
  parts.push(...by("season"), ...by("function"));
  if (fillers[1]) parts.push(fillers[1]);
  parts.push(...by("cut"), ...by("material"), ...by("color"));
  if (fillers[2]) parts.push(fillers[2]);
  parts.push(nounEarly && leaf.synonyms.length > 0 ? rng.pick(leaf.synonyms) : leaf.noun);
  parts.push(...by("price"));
  parts.push(rng.pick(TITLE_SUFFIXES));
  let title = "";
  for (const part of parts) {
    title += /[A-Za-z0-9]$/.test(title) && /^[A-Za-z0-9]/.test(part) ? ` ${part}` : part;
  }
  return title.slice(0, 300);
}

function pickSeller(ctx: ItemContext, leaf: LeafDef, launched: number, rng: Rng): GenSeller {
  const pool = ctx.sellersByGroup.get(leaf.group)!;
  const eligible = pool.filter((s) => s.joinedMs <= launched);
  const fresh = eligible.filter((s) => s.joinedMs >= ctx.cal.asOfMs - 60 * DAY_MS);
  if (fresh.length > 0 && rng.chance(0.5)) return rng.pick(fresh);
  return eligible.length > 0 ? rng.pick(eligible) : pool.reduce((a, b) => (a.joinedMs <= b.joinedMs ? a : b));
}

/** How strongly supply follows the buyers' demand for a value (1 + gain × demand share). */
const DEMAND_GAIN = 4;
/** How strongly the number of offers in a leaf follows the buyers' demand for it. */
const LEAF_DEMAND_GAIN = 2;

const demandKey = (leafSlug: string, valueId: string): string => `${leafSlug}|${valueId}`;

/**
 * The market's demand as suppliers see it: for each leaf, the buyers' category shares times their
 * value preferences, normalised per (leaf, factor) into shares, and each leaf's share of all
 * buyers' category mass. Supply follows demand: offers carry popular values more often, and
 * leaves that many buyers work in carry more offers.
 */
export interface SupplyDemand {
  values: Map<string, number>;
  leaves: Map<string, number>;
  /** Each buyer's top value of the decision factors 风格 / 图案 / IP in its top category, most demanded first. */
  core: Array<{ leafSlug: string; valueId: string; mass: number }>;
}

/** Factors whose most demanded values every market stocks from early on (see `generateItems`). */
const CORE_FACTORS = new Set(["风格", "图案", "IP"]);
/** Share of offers that stock the most demanded core (leaf, value) pairs, two offers a pair. */
const CORE_SHARE = 0.15;

export function supplyDemand(catalog: Catalog, profiles: ReadonlyArray<LatentProfile>): SupplyDemand {
  const mass = new Map<string, number>();
  const factorMass = new Map<string, number>();
  const leafMass = new Map<string, number>();
  for (const p of profiles) {
    for (const main of p.mainCategories) {
      const slug = main.categoryId.slice(2);
      leafMass.set(slug, (leafMass.get(slug) ?? 0) + main.share);
      for (const [factor, prefs] of Object.entries(p.preferences)) {
        for (const pref of prefs) {
          const key = demandKey(slug, pref.valueId);
          const add = main.share * pref.weight;
          mass.set(key, (mass.get(key) ?? 0) + add);
          factorMass.set(`${slug}|${factor}`, (factorMass.get(`${slug}|${factor}`) ?? 0) + add);
        }
      }
    }
  }
  const values = new Map<string, number>();
  for (const [key, m] of mass) {
    const [slug, valueId] = key.split("|");
    const factor = catalog.valueById.get(valueId)?.factor;
    const total = factor === undefined ? 0 : factorMass.get(`${slug}|${factor}`) ?? 0;
    if (total > 0) values.set(key, m / total);
  }
  const seen = new Set<string>();
  const core: SupplyDemand["core"] = [];
  for (const p of profiles) {
    const top = [...p.mainCategories].sort((a, b) => b.share - a.share)[0];
    if (!top) continue;
    const slug = top.categoryId.slice(2);
    for (const [factor, prefs] of Object.entries(p.preferences)) {
      if (!CORE_FACTORS.has(factor) || prefs.length === 0) continue;
      const valueId = [...prefs].sort((a, b) => b.weight - a.weight)[0].valueId;
      const key = demandKey(slug, valueId);
      if (seen.has(key) || !catalog.leafValues.get(slug)?.get(catalog.valueById.get(valueId)!.factorKey)?.some((v) => v.id === valueId)) continue;
      seen.add(key);
      core.push({ leafSlug: slug, valueId, mass: mass.get(key) ?? 0 });
    }
  }
  core.sort((a, b) => b.mass - a.mass || a.leafSlug.localeCompare(b.leafSlug) || a.valueId.localeCompare(b.valueId));
  const maxLeaf = Math.max(0, ...leafMass.values());
  const leaves = new Map<string, number>();
  for (const [slug, m] of leafMass) leaves.set(slug, maxLeaf > 0 ? m / maxLeaf : 0);
  return { values, leaves, core };
}

/**
 * Generates `count` offers: about 15% are trend offers (launched after their trend emerges, more
 * as it grows, carrying the trend's values); up to 15% stock each buyer's top core (leaf, value)
 * pairs from early in the year (two offers a pair: a market carries what its buyers ask for);
 * the rest spread over leaves by popularity and demand.
 */
export function generateItems(
  count: number, catalog: Catalog, cal: Calendar, trends: Array<LatentTrend & { novel: boolean }>,
  sellers: GenSeller[], rng: Rng, demand: SupplyDemand = { values: new Map(), leaves: new Map(), core: [] },
): GenItem[] {
  const valueWeight = new Map<string, number>();
  for (const v of catalog.values) valueWeight.set(v.id, 0.3 + rng.logNormal(1, 0.7));
  const sellersByGroup = new Map<Group, GenSeller[]>();
  for (const s of sellers) sellersByGroup.set(s.group, [...(sellersByGroup.get(s.group) ?? []), s]);
  const ctx: ItemContext = { catalog, cal, trends, valueWeight, sellersByGroup, demand: demand.values };
  const trendCount = Math.round(count * 0.15);
  const coreCount = Math.min(demand.core.length * 2, Math.round(count * CORE_SHARE));
  const items: GenItem[] = [];
  const leafWeights = catalog.leaves.map((l) => l.popularity * (1 + LEAF_DEMAND_GAIN * (demand.leaves.get(l.slug) ?? 0)));
  for (let i = 0; i < count; i++) {
    let leaf: LeafDef;
    let launched: number;
    let forced: string[] = [];
    if (i < trendCount && trends.length > 0) {
      const t = trends[i % trends.length];
      leaf = catalog.leafBySlug.get(rng.pick(t.categoryIds).slice(2))!;
      const start = Date.parse(t.emergesAt);
      launched = start;
      for (let tries = 0; tries < 30; tries++) {
        const cand = start + Math.floor(rng.next() * ((cal.heldOutEndMs - start) / 1000)) * 1000;
        launched = cand;
        if (rng.chance(0.25 + 0.75 * trendStrength(t, cand))) break;
      }
      forced = t.valueIds;
    } else if (i < trendCount + coreCount) {
      const c = demand.core[Math.floor((i - trendCount) / 2)];
      leaf = catalog.leafBySlug.get(c.leafSlug)!;
      launched = cal.historyStartMs - 120 * DAY_MS + rng.int(0, 120) * DAY_MS;
      forced = [c.valueId];
    } else {
      leaf = catalog.leaves[rng.weightedIndex(leafWeights)];
      launched = launchMs(cal, rng);
    }
    const values = chooseValues(ctx, leaf, launched, forced, rng);
    const { price, band } = priceFor(leaf, rng);
    if (leaf.allows.includes("price")) values.push(catalog.valueById.get(`v-price-${band}`)!);
    const seller = pickSeller(ctx, leaf, launched, rng);
    const moq = moqFor(seller, price, rng);
    const season = values.find((v) => v.factorKey === "season")?.slug ?? null;
    items.push({
      index: i,
      id: "",
      leaf,
      categoryId: catalog.categoryId(leaf.slug),
      valueIds: values.map((v) => v.id),
      title: buildTitle(leaf, values, rng),
      shortTitle: shortTitle(leaf.noun, values),
      price,
      moq,
      tiers: tiersFor(price, moq),
      launchedMs: Math.max(launched, seller.joinedMs),
      sellerId: seller.id,
      season,
    });
  }
  items.sort((a, b) => a.launchedMs - b.launchedMs || a.index - b.index);
  items.forEach((it, k) => {
    it.id = `i-${String(k + 1).padStart(6, "0")}`;
    it.index = k;
  });
  return items;
}

export function toItemRecord(it: GenItem): ItemRecord {
  return {
    id: it.id,
    title: it.title,
    shortTitle: it.shortTitle,
    categoryId: it.categoryId,
    valueIds: it.valueIds,
    price: it.price,
    moq: it.moq,
    priceTiers: it.tiers,
    launchedAt: iso(it.launchedMs),
    sellerId: it.sellerId,
  };
}

/** Factor names of a leaf, for `extractValues(title, vocab, allowedFactorNames(leaf))`. */
export const allowedFactorNames = (leaf: LeafDef): string[] => leaf.allows.map((k) => FACTORS[k]);

/**
 * Buyers: a public record (name, join date, region) and a latent business profile — type, main
 * leaf categories with shares, factor preferences, a recent drift, and potential interests that
 * the history never shows. The first four buyers are forced so that every preset contains a
 * boutique buyer of French-style dresses, two drop-shippers and a wholesaler.
 */
import type { FactorKey, Group, WorldCatalog, WorldValue } from "./catalog.js";
import type { BuyerType, LatentProfile, LatentTrend } from "./latent.js";
import { Rng } from "./random.js";
import type { BuyerRecord } from "../contracts/records.js";
import { DAY_MS, iso } from "./time.js";
import type { Calendar } from "./items.js";

/** Behaviour parameters of a buyer type. */
export interface TypeParams {
  share: number;
  groups: Partial<Record<Group, number>>;
  mainCount: [number, number];
  /** Mean sessions per day. */
  sessionsPerDay: number;
  /** Mean extra product views per session (at least one). */
  viewsPerSession: number;
  searchProb: number;
  collectProb: number;
  cartProb: number;
  inquiryProb: number;
  /** Probability that a viewed offer is ordered (before match adjustment). */
  orderProb: number;
  /** Median order quantity and its log-space spread; `minQty` floor. */
  qtyMedian: number;
  qtySigma: number;
  minQty: number;
  maxQty: number;
  dwellMedian: number;
  trendAffinity: [number, number];
  trendLagDays: [number, number];
  /** Preferred price bands (slugs), most preferred first. */
  bands: string[];
  searchSuffixes: string[];
}

export const TYPE_PARAMS: Record<BuyerType, TypeParams> = {
  boutique: {
    share: 0.25, groups: { women: 6, acc: 2, bags: 1, beauty: 0.5 }, mainCount: [1, 3], sessionsPerDay: 0.3,
    viewsPerSession: 2.5, searchProb: 0.6, collectProb: 0.18, cartProb: 0.1, inquiryProb: 0.05, orderProb: 0.05,
    qtyMedian: 20, qtySigma: 0.5, minQty: 5, maxQty: 120, dwellMedian: 50, trendAffinity: [0.05, 0.12],
    trendLagDays: [20, 45], bands: ["mid", "lux", "high"], searchSuffixes: ["", "新款", "批发", "小批量"],
  },
  wholesaler: {
    share: 0.15, groups: { women: 3, phone: 2, home: 2, stat: 2, toys: 1.5, bags: 1.5, acc: 1, gift: 1 }, mainCount: [2, 4],
    sessionsPerDay: 0.22, viewsPerSession: 3, searchProb: 0.7, collectProb: 0.08, cartProb: 0.08, inquiryProb: 0.22,
    orderProb: 0.035, qtyMedian: 400, qtySigma: 0.6, minQty: 100, maxQty: 5000, dwellMedian: 35,
    trendAffinity: [0.02, 0.06], trendLagDays: [40, 80], bands: ["budget", "mid", "fivecny", "onecny"],
    searchSuffixes: ["批发", "厂家", "源头工厂", "厂家直销"],
  },
  livestream: {
    share: 0.15, groups: { women: 3, beauty: 2, acc: 2, toys: 1.5, home: 1 }, mainCount: [2, 3], sessionsPerDay: 0.4,
    viewsPerSession: 3, searchProb: 0.65, collectProb: 0.15, cartProb: 0.12, inquiryProb: 0.1, orderProb: 0.04,
    qtyMedian: 120, qtySigma: 0.6, minQty: 20, maxQty: 1500, dwellMedian: 30, trendAffinity: [0.35, 0.5],
    trendLagDays: [1, 5], bands: ["budget", "mid", "tencny"], searchSuffixes: ["爆款", "直播", "网红同款", "批发"],
  },
  dropship: {
    share: 0.2, groups: { women: 2, phone: 2, acc: 2, home: 2, beauty: 1, stat: 1, bags: 1 }, mainCount: [3, 5],
    sessionsPerDay: 0.8, viewsPerSession: 2.5, searchProb: 0.55, collectProb: 0.1, cartProb: 0.12, inquiryProb: 0.01,
    orderProb: 0.13, qtyMedian: 1, qtySigma: 0, minQty: 1, maxQty: 2, dwellMedian: 20, trendAffinity: [0.1, 0.2],
    trendLagDays: [7, 20], bands: ["budget", "mid", "onecny"], searchSuffixes: ["一件代发", "代发", "包邮", ""],
  },
  crossborder: {
    share: 0.12, groups: { phone: 3, acc: 2, home: 2, toys: 1, bags: 1.5 }, mainCount: [2, 3], sessionsPerDay: 0.28,
    viewsPerSession: 3, searchProb: 0.7, collectProb: 0.1, cartProb: 0.08, inquiryProb: 0.16, orderProb: 0.04,
    qtyMedian: 200, qtySigma: 0.5, minQty: 50, maxQty: 2000, dwellMedian: 40, trendAffinity: [0.06, 0.14],
    trendLagDays: [10, 30], bands: ["budget", "mid"], searchSuffixes: ["跨境", "外贸", "亚马逊", "批发"],
  },
  giftshop: {
    share: 0.13, groups: { gift: 4, stat: 2, toys: 2, home: 1.5, acc: 1 }, mainCount: [2, 4], sessionsPerDay: 0.28,
    viewsPerSession: 2.5, searchProb: 0.6, collectProb: 0.12, cartProb: 0.1, inquiryProb: 0.08, orderProb: 0.05,
    qtyMedian: 50, qtySigma: 0.5, minQty: 10, maxQty: 600, dwellMedian: 40, trendAffinity: [0.06, 0.14],
    trendLagDays: [10, 30], bands: ["mid", "budget", "fivecny"], searchSuffixes: ["礼品", "批发", "定制", ""],
  },
};

const REGIONS = ["杭州", "广州", "义乌", "深圳", "上海", "北京", "成都", "武汉", "郑州", "长沙", "西安", "南京", "厦门", "沈阳", "昆明", "重庆"];
const NAME_STEMS = ["悦衣", "小美", "拾光", "星河", "鹿角", "知否", "青柠", "木槿", "喜悦", "橙子", "米粒", "云朵", "朝露", "安然", "花间", "初见", "元气", "有间", "暖阳", "栗子"];
const NAME_SUFFIX: Record<BuyerType, string[]> = {
  boutique: ["服饰店", "精品店", "女装店", "工作室"],
  wholesaler: ["商贸", "批发部", "贸易商行", "商行"],
  livestream: ["直播间", "优选", "工作室", "好物"],
  dropship: ["网店", "小店", "优选", "商行"],
  crossborder: ["跨境电商", "国际贸易", "商贸", "供应链"],
  giftshop: ["礼品店", "文创", "杂货铺", "精品店"],
};

/** A generated buyer: public record plus latent profile and derived sampling tables. */
export interface GenBuyer {
  index: number;
  record: BuyerRecord;
  profile: LatentProfile;
  joinedMs: number;
  /** Leaf slugs a history session may touch (mains and, via the trend habit, reachable trend leaves). */
  reachable: Set<string>;
}

/** A buyer whose type (and, on the generated catalog, main leaves and preferences) is fixed. */
export interface ForcedBuyer {
  type: BuyerType;
  mains?: string[];
  prefs?: Partial<Record<FactorKey, string[]>>;
}

/** The generated catalog's forced buyers (see the module header). */
export const FORCED: ForcedBuyer[] = [
  { type: "boutique", mains: ["dress", "skirt"], prefs: { style: ["french", "sweet", "korean"], pattern: ["floral", "solid"], color: ["offwhite", "black"] } },
  { type: "dropship" },
  { type: "dropship" },
  { type: "wholesaler" },
];

function dirichletWeights(n: number, rng: Rng, concentration = 1.2): number[] {
  const raw = Array.from({ length: n }, () => Math.max(1e-3, rng.logNormal(1, concentration)));
  raw.sort((a, b) => b - a);
  const total = raw.reduce((s, x) => s + x, 0);
  return raw.map((x) => Math.round((x / total) * 1000) / 1000);
}

function leafValuesOf(catalog: WorldCatalog, slug: string, key: string): WorldValue[] {
  return catalog.leafValues.get(slug)?.get(key) ?? [];
}

/** Builds buyer `index` deterministically from its own random stream. */
export function generateBuyer(
  index: number, catalog: WorldCatalog, cal: Calendar, trends: LatentTrend[], rng: Rng, forcedBuyers: readonly ForcedBuyer[] = FORCED,
): GenBuyer {
  const forced = forcedBuyers[index];
  const types = Object.keys(TYPE_PARAMS) as BuyerType[];
  const type: BuyerType = forced?.type ?? rng.weighted(types, (t) => TYPE_PARAMS[t].share);
  const params = TYPE_PARAMS[type];
  const groups = catalog.groupAffinity(params.groups);

  const mains: string[] = [];
  if (forced?.mains) mains.push(...forced.mains);
  else {
    const n = rng.int(params.mainCount[0], params.mainCount[1]);
    const groupKeys = Object.keys(groups);
    for (let tries = 0; mains.length < n && tries < 50; tries++) {
      const partners = catalog.pairs
        .filter((p) => mains.includes(catalog.slugOf(p.from)) && !mains.includes(catalog.slugOf(p.to)))
        .map((p) => catalog.leafBySlug.get(catalog.slugOf(p.to))!)
        .filter((l) => (groups[l.group] ?? 0) > 0);
      if (partners.length > 0 && rng.chance(0.5)) {
        mains.push(rng.pick(partners).slug);
        continue;
      }
      const g = rng.weighted(groupKeys, (k) => groups[k] ?? 0);
      const candidates = catalog.leaves.filter((l) => l.group === g && !mains.includes(l.slug));
      if (candidates.length === 0) continue;
      mains.push(rng.weighted(candidates, (l) => l.popularity).slug);
    }
  }
  const shares = forced?.mains ? [0.72, 0.28] : dirichletWeights(mains.length, rng, 0.6);
  const mainCategories = mains.map((slug, i) => ({ categoryId: catalog.categoryId(slug), share: shares[i] }));

  const preferences: Record<string, Array<{ valueId: string; weight: number }>> = {};
  for (const key of catalog.factorKeys) {
    if (key === catalog.seasonKey) continue;
    const pool: WorldValue[] = [];
    for (const slug of mains) for (const v of leafValuesOf(catalog, slug, key)) if (!pool.includes(v)) pool.push(v);
    if (pool.length === 0) continue;
    let chosen: WorldValue[];
    const forcedPrefs = forced?.prefs?.[key as FactorKey];
    if (forcedPrefs) chosen = forcedPrefs.map((s) => catalog.valueById.get(`v-${key}-${s}`)!);
    else if (key === catalog.priceKey) {
      chosen = params.bands.map((b) => pool.find((v) => v.slug === b)).filter((v): v is WorldValue => !!v);
      if (chosen.length === 0) chosen = rng.sample(pool, 2);
    } else chosen = rng.sample(pool, Math.min(pool.length, rng.int(2, 4)));
    const weights = forcedPrefs ? [0.6, 0.25, 0.15].slice(0, chosen.length) : key === catalog.priceKey ? dirichletWeights(chosen.length, rng, 0.3) : dirichletWeights(chosen.length, rng, 0.8);
    preferences[catalog.factorName(key)] = chosen.map((v, i) => ({ valueId: v.id, weight: weights[i] }));
  }

  const trendAffinity = Math.round(rng.uniform(params.trendAffinity[0], params.trendAffinity[1]) * 1000) / 1000;
  const trendLagDays = rng.int(params.trendLagDays[0], params.trendLagDays[1]);
  const reachable = new Set(mains);
  const mainGroups = new Set(mains.map((s) => catalog.leafBySlug.get(s)!.group));
  if (type === "livestream") {
    for (const t of trends) {
      for (const s of t.categoryIds.map(catalog.slugOf)) if (mainGroups.has(catalog.leafBySlug.get(s)!.group)) reachable.add(s);
    }
  }

  const driftPool: WorldValue[] = [];
  for (const key of catalog.driftKeys) {
    const prefIds = new Set((preferences[catalog.factorName(key)] ?? []).map((p) => p.valueId));
    for (const slug of mains) for (const v of leafValuesOf(catalog, slug, key)) if (!prefIds.has(v.id) && !driftPool.includes(v)) driftPool.push(v);
  }
  const recentDrift = {
    since: iso(cal.asOfMs - rng.int(21, 70) * DAY_MS),
    valueIds: driftPool.length > 0 ? [rng.pick(driftPool).id] : [],
    strength: Math.round(rng.uniform(0.25, 0.55) * 100) / 100,
  };

  const potential: LatentProfile["potential"] = [];
  const crossTargets = catalog.pairs
    .filter((p) => mains.includes(catalog.slugOf(p.from)) && !reachable.has(catalog.slugOf(p.to)))
    .map((p) => catalog.slugOf(p.to));
  const groupKeys = Object.keys(groups);
  const sameTypeTargets = catalog.leaves
    .filter((l) => groupKeys.includes(l.group) && !reachable.has(l.slug))
    .map((l) => l.slug);
  const potentialCount = rng.int(1, 2);
  for (let k = 0; k < potentialCount; k++) {
    const pool = (k === 0 && crossTargets.length > 0 ? crossTargets : sameTypeTargets).filter(
      (s) => !potential.some((p) => p.categoryId === catalog.categoryId(s)),
    );
    if (pool.length === 0) break;
    const slug = rng.pick(pool);
    const valueIds: string[] = [];
    for (const key of catalog.potentialKeys) {
      const allowed = leafValuesOf(catalog, slug, key);
      const liked = (preferences[catalog.factorName(key)] ?? []).map((p) => p.valueId).find((id) => allowed.some((v) => v.id === id));
      if (liked) valueIds.push(liked);
      else if (allowed.length > 0 && valueIds.length === 0 && rng.chance(0.5)) valueIds.push(rng.pick(allowed).id);
      if (valueIds.length >= 2) break;
    }
    potential.push({ categoryId: catalog.categoryId(slug), valueIds });
  }

  const early = forced !== undefined || rng.chance(0.75);
  const joinedMs = early
    ? cal.historyStartMs - rng.int(30, 1800) * DAY_MS
    : cal.historyStartMs + rng.int(0, 300) * DAY_MS;
  const region = rng.pick(REGIONS);
  const id = `b-${String(index + 1).padStart(5, "0")}`;
  return {
    index,
    record: { id, name: `${region}${rng.pick(NAME_STEMS)}${rng.pick(NAME_SUFFIX[type])}`, joinedAt: iso(joinedMs), region },
    profile: {
      buyerId: id, type, mainCategories, preferences, recentDrift, potential, trendAffinity, trendLagDays,
    },
    joinedMs,
    reachable,
  };
}

/** Buyers `0..count-1`, each from its own stream derived from `seed`. */
export function generateBuyers(
  count: number, catalog: WorldCatalog, cal: Calendar, trends: LatentTrend[], seed: number, forcedBuyers: readonly ForcedBuyer[] = FORCED,
): GenBuyer[] {
  return Array.from({ length: count }, (_, i) => generateBuyer(i, catalog, cal, trends, Rng.derive(seed, `buyer/${i}`), forcedBuyers));
}

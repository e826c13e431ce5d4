/**
 * A buyer's behaviour: sessions day by day from max(historyStart, joinedAt) to the end of the
 * held-out weeks. Each session has an *intent* (a leaf category and the values wanted) and yields
 * an optional search, product views with dwell time, and collects, carts, inquiries and orders
 * whose probabilities depend on the buyer type and on how well the offer matches the intent.
 *
 * Seasonality: session rates and the choice of category follow each leaf's monthly curve (summer
 * dresses, winter coats, 开学 stationery, 春节 gifts), offers whose season value fits the month are
 * preferred, and activity dips around the Spring Festival holiday.
 *
 * Trends: a buyer follows trends with probability `trendAffinity` once a trend is `trendLagDays`
 * old. Live-stream sellers (lag of 1–5 days, high affinity) give a newly emerged trend a burst of
 * attention that fades over a few weeks; other buyers follow a trend in proportion to its growth.
 *
 * Drift (configurable per preset as `historyShare`, default 0.78): each held-out session follows
 * the buyer's history process (main categories, preferences, recent drift, usual trend habit) with
 * probability `historyShare`; otherwise it follows, in proportion 0.4 / 0.3 / 0.3, a potential
 * interest (a category the history never touched), a cross-category pair of a main category
 * (tops → skirts, cards → sleeves, …) or a trend active at that time. The held-out events are
 * counted by intent in `latent/heldout.jsonl`.
 */
import { SEASON_CURVES } from "./catalog.js";
import type { WorldCatalog, WorldLeaf } from "./catalog.js";
import type { GenBuyer, TypeParams } from "./buyers.js";
import { TYPE_PARAMS } from "./buyers.js";
import type { Calendar, GenItem } from "./items.js";
import { tierPrice } from "./items.js";
import type { HeldoutIntent, LatentTrend } from "./latent.js";
import { trendStrength } from "./latent.js";
import type { Rng } from "./random.js";
import type { EventType } from "../contracts/records.js";
import { DAY_MS, monthOf } from "./time.js";

/** A buyer's primary decision factors (a boutique shops by style, a card shop by IP). */
const PRIMARY_FACTORS = new Set(["风格", "IP"]);
/** Share of history sessions whose intent starts from a primary factor when the buyer has one. */
const PRIMARY_FACTOR_PROB = 0.7;

/** One event before serialisation. */
export interface EventOut {
  type: EventType;
  atMs: number;
  itemId?: string;
  searchTerm?: string;
  dwellS?: number;
  quantity?: number;
  amount?: number;
}

/**
 * Offers sorted by launch time, with their launch times for binary search: per leaf (key = leaf
 * slug) and per leaf and value (key = `<slug>|<valueId>`).
 */
export interface ItemIndex {
  byLeaf: Map<string, GenItem[]>;
  launches: Map<string, Float64Array>;
}

export function buildItemIndex(items: readonly GenItem[]): ItemIndex {
  const byLeaf = new Map<string, GenItem[]>();
  const add = (key: string, it: GenItem): void => {
    const list = byLeaf.get(key);
    if (list) list.push(it);
    else byLeaf.set(key, [it]);
  };
  for (const it of items) {
    add(it.leaf.slug, it);
    for (const v of it.valueIds) add(`${it.leaf.slug}|${v}`, it);
  }
  const launches = new Map<string, Float64Array>();
  for (const [slug, list] of byLeaf) {
    list.sort((a, b) => a.launchedMs - b.launchedMs || a.index - b.index);
    launches.set(slug, Float64Array.from(list.map((x) => x.launchedMs)));
  }
  return { byLeaf, launches };
}

/** Number of offers launched strictly before `t`. */
function availableBefore(launches: Float64Array, t: number): number {
  let lo = 0;
  let hi = launches.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (launches[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface BehaviorContext {
  catalog: WorldCatalog;
  cal: Calendar;
  trends: LatentTrend[];
  index: ItemIndex;
  historyShare: number;
  activity: number;
}

interface Intent {
  leaf: WorldLeaf;
  valueIds: string[];
  label: HeldoutIntent;
  trendTerm?: string;
}

const SEASON_FIT: Record<string, number[]> = {
  spring: [0.5, 1, 2, 2, 1.5, 0.6, 0.4, 0.4, 0.6, 0.5, 0.4, 0.4],
  summer: [0.3, 0.3, 0.6, 1.2, 2, 2.2, 2, 1.4, 0.6, 0.3, 0.3, 0.3],
  autumn: [0.4, 0.4, 0.5, 0.5, 0.5, 0.5, 0.6, 1.4, 2, 2, 1.2, 0.5],
  winter: [2, 1.4, 0.6, 0.3, 0.3, 0.3, 0.3, 0.4, 0.8, 1.4, 2, 2.2],
  springsummer: [0.4, 0.8, 1.6, 1.8, 1.8, 1.6, 1.2, 0.8, 0.5, 0.4, 0.4, 0.4],
  autumnwinter: [1.6, 1, 0.5, 0.3, 0.3, 0.3, 0.4, 0.8, 1.6, 1.8, 1.8, 1.6],
  allyear: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  cny: [3, 1.5, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 1.2, 2.5],
  school: [0.8, 2.5, 1, 0.5, 0.5, 0.6, 1.5, 3, 2.5, 0.6, 0.5, 0.5],
  xmas: [0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.5, 3, 3],
  valentine: [1.5, 3, 0.6, 0.8, 2.5, 0.8, 0.6, 1.2, 0.5, 0.5, 0.5, 0.8],
  midautumn: [0.2, 0.2, 0.2, 0.2, 0.3, 0.4, 1, 2.5, 3, 0.5, 0.2, 0.2],
};

const WEEKDAY = [0.7, 1.1, 1.1, 1.1, 1.05, 1, 0.8];
const CNY_HOLIDAY: [number, number] = [Date.parse("2025-01-26T00:00:00.000Z"), Date.parse("2025-02-06T00:00:00.000Z")];
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Simulates one buyer; events are passed to `emit` in time order. Returns held-out counts by intent. */
export function simulateBuyer(
  buyer: GenBuyer, ctx: BehaviorContext, rng: Rng, emit: (e: EventOut) => void,
): Record<HeldoutIntent, number> {
  const { catalog, cal } = ctx;
  const p = buyer.profile;
  const params = TYPE_PARAMS[p.type];
  const mains = p.mainCategories.map((m) => ({ leaf: catalog.leafBySlug.get(catalog.slugOf(m.categoryId))!, share: m.share }));
  const prefs = Object.entries(p.preferences);
  const driftSince = Date.parse(p.recentDrift.since);
  const driftValues = p.recentDrift.valueIds.map((id) => catalog.valueById.get(id)!);
  const priceFactor = catalog.priceKey === null ? null : catalog.factorName(catalog.priceKey);
  const priceBands = new Set(((priceFactor === null ? undefined : p.preferences[priceFactor]) ?? []).map((x) => x.valueId));
  const crossTargets = catalog.pairs
    .filter((pr) => mains.some((m) => m.leaf.slug === catalog.slugOf(pr.from)) && !mains.some((m) => m.leaf.slug === catalog.slugOf(pr.to)))
    .map((pr) => ({ leaf: catalog.leafBySlug.get(catalog.slugOf(pr.to))!, strength: pr.strength }));
  const heldout: Record<HeldoutIntent, number> = { history: 0, trend: 0, cross: 0, potential: 0 };

  const allowedPrefs = (leaf: WorldLeaf): string[] => {
    const out: string[] = [];
    const perFactor = catalog.leafValues.get(leaf.slug)!;
    for (const [factor, list] of prefs) {
      if (factor === priceFactor) continue;
      const v = list.find((x) => {
        const cv = catalog.valueById.get(x.valueId)!;
        return (perFactor.get(cv.factorKey) ?? []).some((o) => o.id === cv.id);
      });
      if (v) out.push(v.valueId);
    }
    return out;
  };

  const historyIntent = (t: number, month: number): Intent => {
    const visible: Array<{ trend: LatentTrend; weight: number; leaves: WorldLeaf[] }> = [];
    for (const trend of ctx.trends) {
      const ref = t - p.trendLagDays * DAY_MS;
      if (ref < Date.parse(trend.emergesAt)) continue;
      const leaves = trend.categoryIds.map(catalog.slugOf).filter((s) => buyer.reachable.has(s)).map((s) => catalog.leafBySlug.get(s)!);
      if (leaves.length === 0) continue;
      const s = trendStrength(trend, ref);
      const novelty = Math.exp(-(ref - Date.parse(trend.emergesAt)) / (14 * DAY_MS));
      const weight = p.type === "livestream" ? 0.3 * s + 3 * novelty : s;
      if (weight > 0.02) visible.push({ trend, weight, leaves });
    }
    const total = visible.reduce((sum, v) => sum + v.weight, 0);
    if (visible.length > 0 && rng.chance(p.trendAffinity * Math.min(1, total))) {
      const v = rng.weighted(visible, (x) => x.weight);
      return { leaf: rng.pick(v.leaves), valueIds: v.trend.valueIds, label: "history", trendTerm: rng.pick(v.trend.terms) };
    }
    const m = rng.weighted(mains, (x) => x.share * SEASON_CURVES[x.leaf.curve][month]);
    const perFactor = catalog.leafValues.get(m.leaf.slug)!;
    const valueIds: string[] = [];
    const nFactors = rng.chance(0.55) ? 2 : 1;
    const shuffled = rng.sample(prefs, prefs.length);
    const ordered = rng.chance(PRIMARY_FACTOR_PROB)
      ? [...shuffled.filter(([f]) => PRIMARY_FACTORS.has(f)), ...shuffled.filter(([f]) => !PRIMARY_FACTORS.has(f))]
      : shuffled;
    for (const [factor, list] of ordered) {
      if (valueIds.length >= nFactors || factor === priceFactor) continue;
      const options = list.filter((x) => {
        const cv = catalog.valueById.get(x.valueId)!;
        return (perFactor.get(cv.factorKey) ?? []).some((o) => o.id === cv.id);
      });
      if (options.length > 0) valueIds.push(rng.weighted(options, (x) => x.weight).valueId);
    }
    if (t >= driftSince && driftValues.length > 0 && rng.chance(p.recentDrift.strength)) {
      const d = driftValues[0];
      if ((perFactor.get(d.factorKey) ?? []).some((o) => o.id === d.id)) {
        const keep = valueIds.filter((id) => catalog.valueById.get(id)!.factorKey !== d.factorKey);
        return { leaf: m.leaf, valueIds: [d.id, ...keep].slice(0, 2), label: "history" };
      }
    }
    return { leaf: m.leaf, valueIds, label: "history" };
  };

  const novelIntent = (t: number): Intent | null => {
    const options: Array<{ w: number; make: () => Intent }> = [];
    if (p.potential.length > 0) {
      options.push({
        w: 0.4,
        make: () => {
          const pot = rng.pick(p.potential);
          return { leaf: catalog.leafBySlug.get(catalog.slugOf(pot.categoryId))!, valueIds: pot.valueIds, label: "potential" };
        },
      });
    }
    if (crossTargets.length > 0) {
      options.push({
        w: 0.3,
        make: () => {
          const c = rng.weighted(crossTargets, (x) => x.strength);
          return { leaf: c.leaf, valueIds: allowedPrefs(c.leaf).slice(0, rng.int(1, 2)), label: "cross" };
        },
      });
    }
    const active = ctx.trends.map((tr) => ({ tr, s: trendStrength(tr, t) })).filter((x) => x.s > 0.05);
    if (active.length > 0) {
      options.push({
        w: 0.3,
        make: () => {
          const a = rng.weighted(active, (x) => x.s);
          const leaf = catalog.leafBySlug.get(catalog.slugOf(rng.pick(a.tr.categoryIds)))!;
          return { leaf, valueIds: a.tr.valueIds, label: "trend", trendTerm: rng.pick(a.tr.terms) };
        },
      });
    }
    if (options.length === 0) return null;
    return rng.weighted(options, (o) => o.w).make();
  };

  const start = Math.max(cal.historyStartMs, buyer.joinedMs);
  let lastMs = start;
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  for (let day = firstDay; day < cal.heldOutEndMs; day += DAY_MS) {
    const month = monthOf(day);
    let season = 0;
    for (const m of mains) season += m.share * SEASON_CURVES[m.leaf.curve][month];
    let rate = params.sessionsPerDay * ctx.activity * season * WEEKDAY[(Math.floor(day / DAY_MS) + 4) % 7];
    if (day >= CNY_HOLIDAY[0] && day < CNY_HOLIDAY[1] && p.type !== "giftshop") rate *= 0.3;
    const n = rng.poisson(rate);
    if (n === 0) continue;
    const starts: number[] = [];
    for (let k = 0; k < n; k++) starts.push(day + (rng.int(7 * 3600, 23 * 3600) + rng.int(0, 3599) - 1800) * 1000);
    starts.sort((a, b) => a - b);
    for (const s0 of starts) {
      const t = Math.max(s0, lastMs + 60_000);
      if (t < start || t >= cal.heldOutEndMs) continue;
      const heldOut = t >= cal.asOfMs;
      const intent = (heldOut && !rng.chance(ctx.historyShare) ? novelIntent(t) : null) ?? historyIntent(t, monthOf(t));
      runSession(intent, t, month, params, priceBands, p.type === "dropship", ctx, rng, (e) => {
        emit(e);
        lastMs = e.atMs;
        if (e.atMs >= cal.asOfMs) heldout[intent.label]++;
      });
    }
  }
  return heldout;
}

function seasonFit(item: GenItem, month: number): number {
  return item.season ? (SEASON_FIT[item.season]?.[month] ?? 1) : 1;
}

function searchTerm(intent: Intent, catalog: WorldCatalog, params: TypeParams, rng: Rng): string {
  const names = intent.valueIds.map((id) => {
    const v = catalog.valueById.get(id)!;
    return v.aliases.length > 0 && rng.chance(0.25) ? rng.pick(v.aliases) : v.name;
  });
  const noun = intent.leaf.synonyms.length > 0 && rng.chance(0.25) ? rng.pick(intent.leaf.synonyms) : intent.leaf.noun;
  const suffix = rng.pick(params.searchSuffixes);
  let core: string;
  if (intent.trendTerm && rng.chance(0.4)) core = intent.trendTerm;
  else if (rng.chance(0.75)) core = `${names.join("")}${noun}`;
  else core = [noun, ...names].join(" ");
  return (suffix ? `${core} ${suffix}` : core).slice(0, 100);
}

function runSession(
  intent: Intent, t: number, month: number, params: TypeParams, priceBands: Set<string>, smallLots: boolean,
  ctx: BehaviorContext, rng: Rng, emit: (e: EventOut) => void,
): number {
  const list = ctx.index.byLeaf.get(intent.leaf.slug);
  const launches = ctx.index.launches.get(intent.leaf.slug);
  if (!list || !launches) return 0;
  const avail = availableBefore(launches, t);
  if (avail === 0) return 0;
  let count = 0;
  let cursor = t;
  const out = (e: EventOut): boolean => {
    if (e.atMs >= ctx.cal.heldOutEndMs) return false;
    emit(e);
    count++;
    return true;
  };
  if (rng.chance(params.searchProb)) {
    if (!out({ type: "search", atMs: cursor, searchTerm: searchTerm(intent, ctx.catalog, params, rng) })) return count;
    cursor += rng.int(5, 40) * 1000;
  }
  const views = 1 + rng.poisson(params.viewsPerSession - 1);
  for (let v = 0; v < views; v++) {
    const k = 8;
    const weights: number[] = [];
    const cands: GenItem[] = [];
    const matchesOf: number[] = [];
    for (let c = 0; c < k; c++) {
      const u = rng.next();
      let item = c % 2 === 0 ? list[Math.floor(u * avail)] : list[avail - 1 - Math.floor(avail * u * u * u)];
      if (c % 4 === 1 && intent.valueIds.length > 0) {
        const key = `${intent.leaf.slug}|${rng.pick(intent.valueIds)}`;
        const vl = ctx.index.byLeaf.get(key);
        const vAvail = vl ? availableBefore(ctx.index.launches.get(key)!, t) : 0;
        if (vl && vAvail > 0) item = vl[vAvail - 1 - Math.floor(vAvail * u * u)];
      }
      let matches = 0;
      for (const id of intent.valueIds) if (item.valueIds.includes(id)) matches++;
      let score = (0.3 + 2.5 * matches) * seasonFit(item, month);
      for (const id of item.valueIds) if (priceBands.has(id)) score *= 1.6;
      if (smallLots && item.moq > 2) score *= 0.05;
      cands.push(item);
      weights.push(score);
      matchesOf.push(matches);
    }
    const pick = rng.weightedIndex(weights);
    const best = cands[pick];
    const bestScore = weights[pick];
    const bestMatches = matchesOf[pick];
    cursor += rng.int(8, 90) * 1000;
    const quality = Math.min(2, ((bestMatches + 1) / (intent.valueIds.length + 1)) * Math.sqrt(seasonFit(best, month)));
    const dwell = Math.max(2, Math.min(1200, Math.round(rng.logNormal(params.dwellMedian * (0.6 + 0.6 * quality), 0.7))));
    if (!out({ type: "view", atMs: cursor, itemId: best.id, dwellS: dwell })) return count;
    cursor += dwell * 1000;
    if (bestScore <= 0) continue;
    if (rng.chance(params.collectProb * quality) && !out({ type: "collect", atMs: (cursor += rng.int(1, 20) * 1000), itemId: best.id })) return count;
    const carted = rng.chance(params.cartProb * quality);
    if (carted && !out({ type: "cart", atMs: (cursor += rng.int(2, 30) * 1000), itemId: best.id })) return count;
    if (rng.chance(params.inquiryProb * quality) && !out({ type: "inquiry", atMs: (cursor += rng.int(10, 120) * 1000), itemId: best.id })) return count;
    if (rng.chance(params.orderProb * quality * (carted ? 3 : 1))) {
      let qty = params.qtySigma === 0
        ? (rng.chance(0.7) ? 1 : 2)
        : Math.round(rng.logNormal(params.qtyMedian, params.qtySigma));
      qty = Math.max(qty, params.minQty, best.moq);
      if (qty > params.maxQty) continue;
      const amount = round2(tierPrice(best.tiers, qty) * qty);
      if (!out({ type: "order", atMs: (cursor += rng.int(30, 600) * 1000), itemId: best.id, quantity: qty, amount })) return count;
    }
  }
  return count;
}

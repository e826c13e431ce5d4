/**
 * Analytic trend-source planner. Each source has an affinity (0..1) to top-level category
 * families, matched on the family's name:
 *
 * | source        | 女装/服饰 | 美妆 | 饰品/配饰/箱包 | 家居 | 数码/手机 | 玩具/卡牌/潮玩 | 文具 | other |
 * |---------------|---------|-----|--------------|-----|---------|--------------|-----|-------|
 * | xiaohongshu   | 1.0     | 1.0 | 0.9          | 0.8 | 0.4     | 0.5          | 0.5 | 0.5   |
 * | worthbuy      | 0.3     | 0.5 | 0.4          | 0.8 | 1.0     | 0.4          | 0.6 | 0.4   |
 * | google_trends | 0.5     | 0.4 | 0.5          | 0.5 | 0.7     | 0.5          | 0.4 | 0.5   |
 * | taobao_hot    | 0.8     | 0.6 | 0.7          | 0.6 | 0.6     | 1.0          | 0.7 | 0.6   |
 * | tavily        | 0.6     | 0.6 | 0.6          | 0.6 | 0.6     | 0.6          | 0.6 | 0.6   |
 *
 * A source's score is Σ over main categories of share × affinity, plus 0.3 for google_trends
 * when the buyer is cross-border and 0.2 for taobao_hot for live-stream sellers. Sources scoring
 * ≥ 0.5 of the best are chosen (at most `maxCalls` calls). Search terms come from the CFV: per
 * main category its noun alone, with the strongest long-term value and with the strongest
 * potential value.
 */
import type { Vocabulary } from "../../contracts/kg.js";
import type { PlannableSource } from "../../contracts/configuration.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { Cfv } from "../../contracts/cfv.js";
import type { TrendPlan } from "../../contracts/trends.js";

const FAMILIES: [RegExp, string][] = [
  [/女装|服饰|服装|男装|童装/, "apparel"],
  [/美妆|护肤|个护/, "beauty"],
  [/饰品|配饰|箱包|包/, "accessories"],
  [/家居|家纺|厨/, "home"],
  [/数码|手机|电子/, "digital"],
  [/玩具|卡|潮玩|动漫/, "toys"],
  [/文具|办公/, "stationery"],
];

export const SOURCE_AFFINITY: Record<PlannableSource, Record<string, number>> = {
  xiaohongshu: { apparel: 1, beauty: 1, accessories: 0.9, home: 0.8, digital: 0.4, toys: 0.5, stationery: 0.5, other: 0.5 },
  worthbuy: { apparel: 0.3, beauty: 0.5, accessories: 0.4, home: 0.8, digital: 1, toys: 0.4, stationery: 0.6, other: 0.4 },
  google_trends: { apparel: 0.5, beauty: 0.4, accessories: 0.5, home: 0.5, digital: 0.7, toys: 0.5, stationery: 0.4, other: 0.5 },
  taobao_hot: { apparel: 0.8, beauty: 0.6, accessories: 0.7, home: 0.6, digital: 0.6, toys: 1, stationery: 0.7, other: 0.6 },
  tavily: { apparel: 0.6, beauty: 0.6, accessories: 0.6, home: 0.6, digital: 0.6, toys: 0.6, stationery: 0.6, other: 0.6 },
};

export function familyOf(topLevelName: string): string {
  return FAMILIES.find(([re]) => re.test(topLevelName))?.[1] ?? "other";
}

export function analyticPlan(args: {
  portrait: Portrait;
  cfv: Cfv;
  vocab: Vocabulary;
  sources: PlannableSource[];
  maxCalls: number;
}): TrendPlan {
  const cat = new Map(args.vocab.categories.map((c) => [c.id, c]));
  const topName = (id: string) => {
    let c = cat.get(id);
    while (c?.parentId) c = cat.get(c.parentId);
    return c?.name ?? "";
  };
  const scores = args.sources.map((s) => {
    let score = 0;
    for (const m of args.portrait.mainCategories) score += m.share * (SOURCE_AFFINITY[s][familyOf(topName(m.categoryId))] ?? 0.5);
    if (s === "google_trends" && args.portrait.bType === "cross_border") score += 0.3;
    if (s === "taobao_hot" && args.portrait.bType === "live_stream") score += 0.2;
    return { source: s, score };
  });
  const best = Math.max(0, ...scores.map((s) => s.score));
  const chosen = scores
    .filter((s) => best > 0 && s.score >= 0.5 * best)
    .sort((a, b) => b.score - a.score || a.source.localeCompare(b.source));
  const terms: string[] = [];
  for (const c of args.cfv.categories) {
    const noun = cat.get(c.categoryId)?.noun ?? c.name;
    terms.push(noun);
    if (c.long[0]) terms.push(`${c.long[0].name}${noun}`);
    if (c.potential[0]) terms.push(`${c.potential[0].name}${noun}`);
  }
  const uniqueTerms = [...new Set(terms)].slice(0, 6);
  const calls = chosen.slice(0, args.maxCalls).map((s) => ({
    source: s.source,
    terms: uniqueTerms,
    reason: `来源与主营类目的亲和度得分 ${s.score.toFixed(2)}（最高 ${best.toFixed(2)}），检索词取自 CFV 的长期与潜在偏好`,
  }));
  return { calls };
}

/**
 * Trends of the world: values that emerge on a date in some leaf categories and grow
 * logistically (`trendStrength` in `latent.ts`). Emergence dates are jittered by the seed. A
 * `novel` trend's values do not exist in offers before it emerges (e.g. a new film IP).
 */
import type { Catalog } from "./catalog.js";
import type { LatentTrend } from "./latent.js";
import type { Rng } from "./random.js";
import { DAY_MS, iso } from "./time.js";

interface TrendSpec {
  name: string;
  values: string[];
  leaves: string[];
  emerges: string;
  novel: boolean;
  extraTerms: string[];
}

const TREND_SPECS: TrendSpec[] = [
  { name: "多巴胺穿搭", values: ["v-style-dopamine"], leaves: ["dress", "top", "tshirt", "set", "hairclip"], emerges: "2024-06-20", novel: false, extraTerms: ["多巴胺穿搭"] },
  { name: "蛋仔派对卡牌", values: ["v-ip-eggy"], leaves: ["cards", "badge", "blindbox"], emerges: "2024-08-05", novel: false, extraTerms: ["蛋仔派对周边"] },
  { name: "美拉德秋冬", values: ["v-style-maillard"], leaves: ["coat", "sweater", "cardigan", "tote", "scarf"], emerges: "2024-09-10", novel: false, extraTerms: ["美拉德穿搭", "美拉德色系"] },
  { name: "磁吸手机配件", values: ["v-function-magsafe"], leaves: ["phonecase", "holder", "powerbank"], emerges: "2024-10-05", novel: false, extraTerms: ["磁吸壳"] },
  { name: "奶油风家居", values: ["v-style-cream"], leaves: ["storage", "pillow", "mug", "rug"], emerges: "2024-11-15", novel: false, extraTerms: ["奶油风装修"] },
  { name: "新中式春节", values: ["v-style-newchinese"], leaves: ["dress", "set", "top", "hairclip", "giftbox"], emerges: "2025-01-02", novel: false, extraTerms: ["新中式穿搭", "马面裙"] },
  { name: "魔童闹海周边", values: ["v-ip-nezha"], leaves: ["cards", "blindbox", "plush", "badge", "sleeves", "figure"], emerges: "2025-01-29", novel: true, extraTerms: ["哪吒2周边", "魔童闹海卡片"] },
  { name: "香芋紫美甲", values: ["v-color-taro"], leaves: ["nails", "lipstick", "hairclip"], emerges: "2025-02-20", novel: false, extraTerms: ["香芋紫穿戴甲"] },
  { name: "老钱风通勤", values: ["v-style-oldmoney"], leaves: ["shirt", "blazer", "tote", "belt"], emerges: "2025-03-10", novel: false, extraTerms: ["老钱风穿搭"] },
  { name: "法式碎花春夏", values: ["v-style-french", "v-pattern-floral"], leaves: ["dress", "skirt", "top"], emerges: "2025-03-25", novel: false, extraTerms: ["法式碎花裙"] },
  { name: "Labubu挂件", values: ["v-ip-labubu"], leaves: ["plush", "blindbox", "badge"], emerges: "2025-04-05", novel: false, extraTerms: ["labubu挂件", "拉布布搪胶"] },
  { name: "防晒开衫", values: ["v-function-sunproof"], leaves: ["cardigan", "hat", "top"], emerges: "2025-04-25", novel: false, extraTerms: ["冰丝防晒"] },
  { name: "蝴蝶结元素", values: ["v-pattern-bow"], leaves: ["hairclip", "top", "lanyard", "phonecase", "tote"], emerges: "2025-05-08", novel: false, extraTerms: ["蝴蝶结发夹"] },
  { name: "异画镭射卡", values: ["v-cut-alt", "v-cut-laser"], leaves: ["cards"], emerges: "2025-05-18", novel: true, extraTerms: ["异画卡收藏"] },
];

/** Builds the world's trends; values and leaves are checked against the catalog. */
export function buildTrends(catalog: Catalog, rng: Rng): Array<LatentTrend & { novel: boolean }> {
  return TREND_SPECS.map((spec, i) => {
    const categoryIds = spec.leaves.filter((slug) => {
      const perFactor = catalog.leafValues.get(slug);
      if (!perFactor) throw new Error(`trend ${spec.name}: unknown leaf ${slug}`);
      return spec.values.some((vid) => {
        const v = catalog.valueById.get(vid);
        if (!v) throw new Error(`trend ${spec.name}: unknown value ${vid}`);
        return (perFactor.get(v.factorKey) ?? []).some((x) => x.id === vid);
      });
    }).map(catalog.categoryId);
    const jitter = rng.int(-4, 4) * DAY_MS;
    const emergesAt = iso(Date.parse(`${spec.emerges}T00:00:00.000Z`) + jitter);
    const names = spec.values.map((vid) => catalog.valueById.get(vid)!.name).join("");
    const terms = [
      ...spec.extraTerms,
      ...spec.leaves.slice(0, 3).map((slug) => `${names}${catalog.leafBySlug.get(slug)!.noun}`),
    ];
    return {
      id: `tr-${String(i + 1).padStart(2, "0")}`,
      name: spec.name,
      valueIds: spec.values,
      categoryIds,
      emergesAt,
      midpointDays: rng.int(18, 45),
      scaleDays: rng.int(5, 12),
      terms: [...new Set(terms)],
      novel: spec.novel,
    };
  });
}

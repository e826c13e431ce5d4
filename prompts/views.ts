/**
 * Shared views of typed inputs for the role prompts: the behaviour digest (whole-window and
 * recent tuples), the strongest CFV entries, the portrait summary, CFV text, the strongest
 * category pairings and a vocabulary cut to the values in use, with the shared budget.
 */
import type { CategoryPair, Vocabulary } from "../contracts/kg.js";
import type { Portrait } from "../contracts/portrait.js";
import type { Cfv } from "../contracts/cfv.js";
import type { Tuple } from "../contracts/behaviour.js";
import { categorySummaryTuples, compactTuple, recentTuples } from "../lib/tuples.js";
import { weightsText, type VocabularyView } from "./common.js";

/** How much of the shared inputs a role sees (role-specific budgets live in each role's prompt file). */
export const PROMPT_BUDGET = {
  summaryFactors: 4,
  recentWeeks: 4,
  recentFactors: 3,
  recentTuples: 4,
  cfvTopLong: 4,
  cfvTopRecent: 3,
  cfvTopPotential: 3,
  pairsPerCategory: 2,
  /** Characters of the portrait's core intent in one-line portrait views. */
  intentChars: 40,
} as const;

/**
 * The behaviour a role sees, in the compact tuple form: one whole-window tuple per category
 * (strongest factors) and the tuples of the last weeks (fewer factors).
 */
export function behaviourDigest(tuples: readonly Tuple[], asOf: string, categoryIds?: readonly string[]): string {
  const keep = categoryIds ? tuples.filter((t) => categoryIds.includes(t.categoryId)) : tuples;
  const summary = categorySummaryTuples(keep, PROMPT_BUDGET.summaryFactors).slice(0, 8).map(compactTuple);
  const recent = recentTuples(keep, asOf, PROMPT_BUDGET.recentWeeks, PROMPT_BUDGET.recentFactors)
    .slice(-PROMPT_BUDGET.recentTuples)
    .map(compactTuple);
  return `全窗口（周为首周）：\n${summary.join("\n")}\n最近${PROMPT_BUDGET.recentWeeks}周：\n${recent.join("\n")}`;
}

/** The CFV cut to its strongest entries per horizon (default `PROMPT_BUDGET`'s counts). */
export function topCfv(cfv: Cfv, top: { long: number; recent: number; potential: number } = { long: PROMPT_BUDGET.cfvTopLong, recent: PROMPT_BUDGET.cfvTopRecent, potential: PROMPT_BUDGET.cfvTopPotential }): Cfv {
  return {
    categories: cfv.categories.map((c) => ({
      ...c,
      long: c.long.slice(0, top.long),
      recent: c.recent.slice(0, top.recent),
      potential: c.potential.slice(0, top.potential),
    })),
  };
}

/**
 * A vocabulary view cut to the values in `used` (factors without one left out): what a judge of
 * these queries needs, and what the generator may use (a value no cited evidence carries fails the
 * critic anyway, so listing it only costs tokens).
 */
export function usedVocabulary(view: VocabularyView, used: ReadonlySet<string>): VocabularyView {
  return {
    categories: view.categories.map((c) => ({
      name: c.name,
      factors: c.factors.map((f) => ({ factor: f.factor, values: f.values.filter((v) => used.has(v)) })).filter((f) => f.values.length > 0),
    })),
  };
}

/** Suffix characters many value names share (黑色/金色, 法式/中式), which say nothing about which value is meant. */
const GENERIC_VALUE_CHARS = new Set([..."色风款式系季"]);

/**
 * A vocabulary view cut to the values that share at least one telling character with `text` (a
 * synonym such as 法式风 → 法式 or 奶白 → 米白 shares one; a value with none in common cannot be
 * meant), factors left with no value dropped: what a model mapping that text needs to see.
 */
export function vocabularyMentionedIn(view: VocabularyView, text: string): VocabularyView {
  const chars = new Set([...text.toLowerCase()]);
  const telling = (v: string) => [...v.toLowerCase()].filter((ch) => !GENERIC_VALUE_CHARS.has(ch));
  const used = new Set(view.categories.flatMap((c) => c.factors.flatMap((f) => f.values.filter((v) => telling(v).some((ch) => chars.has(ch))))));
  return usedVocabulary(view, used);
}

export function portraitSummary(p: Portrait): string {
  return [
    `类型：${p.bType}${p.dropShipperType !== "none" ? `（代发：${p.dropShipperType}）` : ""}`,
    `核心意图：${p.coreIntent}`,
    `身份：${p.profile.identity}；客群：${p.profile.customerGroup}；策略：${p.profile.operatingStrategy}；动机：${p.profile.purchaseMotive}`,
    `主营：${p.mainCategories.map((c) => `${c.name} ${(c.share * 100).toFixed(0)}%`).join("、")}`,
  ].join("\n");
}

export function cfvText(cfv: Cfv, withIds: boolean): string {
  return cfv.categories
    .map((c) => {
      const part = (label: string, list: Cfv["categories"][number]["long"]) =>
        withIds ? `${label}: ${list.map((e) => `${e.id} ${e.name}:${e.weight}`).join(" ; ")}` : `${label}: ${weightsText(list)}`;
      const parts = ([["长期", c.long], ["近期", c.recent], ["潜在", c.potential]] as const).filter(([, list]) => list.length > 0);
      return `${c.name} ${parts.map(([label, list]) => part(label, list)).join(" / ")}`;
    })
    .join("\n");
}

/** The strongest `PROMPT_BUDGET.pairsPerCategory` pairings from each category, by lift. */
export function topPairs(pairs: readonly CategoryPair[]): CategoryPair[] {
  const seen = new Map<string, number>();
  return [...pairs]
    .sort((a, b) => b.lift - a.lift || a.to.localeCompare(b.to))
    .filter((p) => {
      const n = seen.get(p.from) ?? 0;
      seen.set(p.from, n + 1);
      return n < PROMPT_BUDGET.pairsPerCategory;
    });
}

export function pairsView(pairs: CategoryPair[], vocab: Vocabulary) {
  const name = new Map(vocab.categories.map((c) => [c.id, c.name]));
  return pairs.map((p) => ({ id: `pair:${p.from}:${p.to}`, text: `${name.get(p.from) ?? p.from}→${name.get(p.to) ?? p.to} lift ${Math.round(p.lift * 10) / 10}` }));
}

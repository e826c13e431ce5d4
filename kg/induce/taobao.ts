/**
 * The shared labelled Taobao titles (`../shared/data/taobao-titles/`, read at run time, never
 * copied into the repository) as an induction input: each title becomes an item whose category
 * is the head character of its first product-type noun (found without labels), so that lift and
 * cross-category noise can be measured; titles without a product noun share one category.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readBio, type BioTitle } from "./bio.js";
import type { InductionItem } from "./induce.js";
import { catalogStats } from "./catalog-stats.js";
import { productTypeSpans } from "./product-type.js";
import { segment } from "./segment.js";

/** Where the shared titles live: `../shared/data/taobao-titles` beside the project root. */
export function taobaoTitlesDir(root: string = process.cwd()): string {
  return resolve(root, "..", "shared", "data", "taobao-titles");
}

export function hasTaobaoTitles(root?: string): boolean {
  return existsSync(join(taobaoTitlesDir(root), "dev.bio"));
}

export function readTaobao(split: "train" | "dev", root?: string): BioTitle[] {
  return readBio(join(taobaoTitlesDir(root), `${split}.bio`));
}

/** Items for induction: ids `<prefix>-<n>`, categories by product head character. */
export function titlesAsItems(titles: readonly BioTitle[], prefix: string): InductionItem[] {
  const segmented = titles.map((t) => ({ title: t.text, tokens: segment(t.text) }));
  const stats = catalogStats(segmented);
  return titles.map((t, n) => {
    const noun = productTypeSpans(segmented[n].tokens, { stats })[0]?.text;
    return { id: `${prefix}-${n}`, title: t.text, categoryId: noun ? `c-${noun[noun.length - 1]}` : "c-other" };
  });
}

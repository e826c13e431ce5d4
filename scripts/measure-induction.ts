/**
 * `npm run measure:induction [-- --sample-out <file>]`: prints the figures of vocabulary induction on
 * the shared labelled Taobao titles (read from `../shared/data/taobao-titles/`):
 * - product-type precision / recall / F1 against the HCCX spans (a predicted term is right when the
 *   title has a gold span with the same text, each gold span used once), on `train.bio` (where the
 *   detector's weights were estimated: in-sample) and on `dev.bio` (held out), with the catalog
 *   statistics of the train + dev titles' text;
 * - the share of `dev.bio` titles that get at least one value (with and without 品类词);
 * - the wall time of inducing 10,000 titles (train + dev, then train again to reach 10,000) with
 *   embeddings from the cache (run twice: the first run fills the cache);
 * - with `--sample-out`, 100 induced values (every k-th by support) for a hand check.
 * Needs the embedding server (started like every CLI, through `services/`).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildVocabulary, extractValues } from "../lib/value-match.js";
import { cachedEmbed } from "../kg/induce/embed.js";
import { induceVocabulary } from "../kg/induce/induce.js";
import { catalogStats } from "../kg/induce/catalog-stats.js";
import { productTypeSpans, productTypeWeights } from "../kg/induce/product-type.js";
import { PRODUCT_TYPE_FACTOR } from "../kg/induce/records.js";
import { normaliseTitle, segment } from "../kg/induce/segment.js";
import { readTaobao, titlesAsItems } from "../kg/induce/taobao.js";
import type { BioTitle } from "../kg/induce/bio.js";
import { openKgClients } from "../kg/services-client.js";

interface Prf {
  precision: number;
  recall: number;
  f1: number;
  predicted: number;
  gold: number;
}

function score(titles: readonly BioTitle[], predict: (t: BioTitle) => string[]): Prf {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const t of titles) {
    const left = t.spans.filter((s) => s.type === "HCCX").map((s) => normaliseTitle(s.text));
    gold += left.length;
    for (const p of predict(t)) {
      predicted++;
      const k = left.indexOf(p);
      if (k >= 0) {
        tp++;
        left.splice(k, 1);
      }
    }
  }
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = gold === 0 ? 0 : tp / gold;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), predicted, gold };
}

const fmt = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { "sample-out": { type: "string" } } });
  const train = readTaobao("train");
  const dev = readTaobao("dev");
  const catalog = [...train, ...dev].map((t) => ({ title: t.text, tokens: segment(t.text) }));
  const stats = catalogStats(catalog);
  const tokensOf = new Map([...train, ...dev].map((t, n) => [t, catalog[n].tokens]));
  const detect = (t: BioTitle) => productTypeSpans(tokensOf.get(t) ?? [], { stats }).map((s) => s.text);
  console.log(`product-type detector: ${productTypeWeights().trainedOn}, threshold ${productTypeWeights().threshold}; catalog statistics from the train + dev titles (text only)`);
  for (const [name, titles] of [["train.bio (the weights were estimated on it: in-sample)", train], ["dev.bio (held out)", dev]] as const) {
    const r = score(titles, detect);
    console.log(`product type on ${name}: ${titles.length} titles, ${r.gold} HCCX spans: precision ${fmt(r.precision)} recall ${fmt(r.recall)} F1 ${fmt(r.f1)} (${r.predicted} predicted)`);
  }

  const clients = await openKgClients();
  try {
    const embed = cachedEmbed(clients.embedder, clients.cache);
    const trainItems = titlesAsItems(train, "t");
    const devItems = titlesAsItems(dev, "d");
    const items = [...trainItems, ...devItems];
    const induced = await induceVocabulary(items, { embed });
    const vocab = buildVocabulary(induced.values);
    const attributeVocab = buildVocabulary(induced.values.filter((v) => v.factor !== PRODUCT_TYPE_FACTOR));
    const covered = devItems.filter((i) => extractValues(i.title, vocab).length > 0).length;
    const coveredAttr = devItems.filter((i) => extractValues(i.title, attributeVocab).length > 0).length;
    const byFactor = new Map<string, number>();
    for (const v of induced.values) byFactor.set(v.factor, (byFactor.get(v.factor) ?? 0) + 1);
    console.log(`induced over train+dev (${items.length} titles, ${new Set(items.map((i) => i.categoryId)).size} head-character categories): ${induced.values.length} values (${[...byFactor].map(([f, n]) => `${f} ${n}`).join(", ")}), ${induced.measuredNoise.length} terms dropped as measured noise`);
    console.log(`dev titles with >= 1 value: ${fmt(covered / dev.length)} (${covered}/${dev.length}); without 品类词: ${fmt(coveredAttr / dev.length)} (${coveredAttr}/${dev.length})`);
    console.log(`measured noise (first 40): ${induced.measuredNoise.slice(0, 40).join(" ")}`);

    const tenK = [...items, ...trainItems.slice(0, 10_000 - items.length).map((i) => ({ ...i, id: `${i.id}-again` }))];
    await induceVocabulary(tenK, { embed });
    const started = performance.now();
    const timed = await induceVocabulary(tenK, { embed });
    console.log(`induction of ${tenK.length} titles, embeddings cached: ${((performance.now() - started) / 1000).toFixed(1)} s (${timed.values.length} values)`);

    if (args["sample-out"]) {
      const ranked = [...induced.values].sort((a, b) => (b.support ?? 0) - (a.support ?? 0));
      const step = ranked.length / 100;
      const sample = Array.from({ length: Math.min(100, ranked.length) }, (_, k) => ranked[Math.floor(k * step)]);
      writeFileSync(args["sample-out"], sample.map((v) => JSON.stringify({ factor: v.factor, name: v.name, aliases: v.aliases, support: v.support, confidence: v.confidence })).join("\n") + "\n");
      console.log(`hand-check sample of ${sample.length} values written to ${args["sample-out"]}`);
    }
  } finally {
    await clients.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * `npm run measure:injection [-- --offline]`: prints the injection guard's figures on the held-out
 * set `evals/injection/heldout.ts` (never tuned on): recall on the paraphrased injections and the
 * false-positive rate on the suspicious-looking benign documents, for
 * - before: the rules alone as the guard was before the classifier (`matchesInjectionRules`: phrase
 *   and signal regular expressions, a link is a hit);
 * - offline: the verdict without embeddings (rules + classifier, `looksInjected`), what every run
 *   applies;
 * - with embeddings: the verdict with the embedding margin (`llm/injection-embedding.ts`), what a
 *   run applies when the real embedder is in its deps (skipped with `--offline`);
 * plus the classifier's 5-fold cross-validation on its own training corpus, and the documents each
 * variant misses or wrongly flags. Reads the embedding server (started or reused like every CLI,
 * at `EMBEDDINGS_PORT` or `EMBEDDINGS_BASE_URL`); writes nothing.
 */
import { parseArgs } from "node:util";
import { HELDOUT_BENIGN, HELDOUT_INJECTIONS, type HeldOutDoc } from "../evals/injection/heldout.js";
import { createCachingEmbedder } from "../graph/embed-cache.js";
import { trainInjectionClassifier } from "../lib/injection-classifier.js";
import { INSTRUCTION_TEXTS, ORDINARY_TEXTS } from "../lib/injection-corpus.js";
import { CLASSIFIER_THRESHOLD, injectionVerdict, matchesInjectionRules } from "../lib/injection-guard.js";
import { createEmbedder, embeddingsSettings } from "../llm/embeddings.js";
import { createEmbeddingInjectionCheck, verdictsWithEmbeddings } from "../llm/injection-embedding.js";
import { loadServicesConfig } from "../services/config.js";
import { ensureEmbeddings, releaseEmbeddings } from "../services/embeddings.js";

const textOf = (d: HeldOutDoc) => `${d.title}\n${d.text}`;
const pct = (n: number, d: number) => `${n}/${d} = ${((100 * n) / d).toFixed(1)}%`;

function report(name: string, flagged: (d: HeldOutDoc, i: number, set: "injection" | "benign") => boolean): void {
  const missed = HELDOUT_INJECTIONS.filter((d, i) => !flagged(d, i, "injection"));
  const wrong = HELDOUT_BENIGN.filter((d, i) => flagged(d, i, "benign"));
  const caught = HELDOUT_INJECTIONS.length - missed.length;
  console.log(`${name.padEnd(16)} recall ${pct(caught, HELDOUT_INJECTIONS.length)}   false positives ${pct(wrong.length, HELDOUT_BENIGN.length)}`);
  if (missed.length > 0) console.log(`  missed: ${missed.map((d) => `${d.id} (${d.style})`).join(", ")}`);
  if (wrong.length > 0) console.log(`  wrongly flagged: ${wrong.map((d) => `${d.id} (${d.style})`).join(", ")}`);
}

function crossValidation(folds = 5): void {
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < folds; k++) {
    const c = trainInjectionClassifier(INSTRUCTION_TEXTS.filter((_, i) => i % folds !== k), ORDINARY_TEXTS.filter((_, i) => i % folds !== k));
    tp += INSTRUCTION_TEXTS.filter((t, i) => i % folds === k && c.segmentProbability(t) >= CLASSIFIER_THRESHOLD).length;
    fp += ORDINARY_TEXTS.filter((t, i) => i % folds === k && c.segmentProbability(t) >= CLASSIFIER_THRESHOLD).length;
  }
  console.log(`classifier ${folds}-fold CV on its training corpus (p >= ${CLASSIFIER_THRESHOLD}): recall ${pct(tp, INSTRUCTION_TEXTS.length)}, false positives ${pct(fp, ORDINARY_TEXTS.length)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { offline: { type: "boolean", default: false }, help: { type: "boolean", default: false } } });
  if (values.help) {
    console.log("usage: npm run measure:injection [-- --offline]\n\nRecall and false-positive rate of the injection guard on the held-out set (evals/injection/heldout.ts).\nReads EMBEDDINGS_PORT / EMBEDDINGS_BASE_URL / EMBEDDINGS_API_KEY / EMBEDDINGS_MODEL / EMBEDDINGS_TEXT_PREFIX unless --offline.");
    return;
  }
  console.log(`held-out set: ${HELDOUT_INJECTIONS.length} injections, ${HELDOUT_BENIGN.length} benign documents`);
  crossValidation();
  report("before (rules)", (d) => matchesInjectionRules(textOf(d)));
  report("offline", (d) => injectionVerdict(textOf(d)).injected);
  if (values.offline) return;
  const cfg = loadServicesConfig();
  const up = await ensureEmbeddings(cfg);
  try {
    const embedder = createCachingEmbedder(await createEmbedder(embeddingsSettings(cfg, up.baseUrl)));
    const check = createEmbeddingInjectionCheck(embedder);
    const started = Date.now();
    const [inj, ben] = await Promise.all([verdictsWithEmbeddings(check, HELDOUT_INJECTIONS.map(textOf)), verdictsWithEmbeddings(check, HELDOUT_BENIGN.map(textOf))]);
    report("with embeddings", (_d, i, set) => (set === "injection" ? inj : ben)[i].injected);
    console.log(`(embedding check: ${Date.now() - started} ms including the reference corpus; ${embedder.stats().texts} texts embedded)`);
  } finally {
    await releaseEmbeddings(cfg, up.started);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * The evaluation runner.
 *
 *   npm run eval -- --set users-ci|users-real|critic|uq|trends|all [--reasoner analytic|llm|auto|mixed]
 *                   [--ablate trends,critic,uq,diversity,peers,uncovered] [--buyers N] [--no-system] [--no-kg] [--golden <dir>]
 *   npm run eval:ci     (small version with the gate of evals/thresholds.json)
 *
 * Loads the golden set, makes sure its world (generated deterministically, checksum-checked) and
 * a knowledge graph holding exactly that world are there, runs baselines / the graph / its
 * ablations / the components, and writes `evals/reports/<set>-<timestamp>/` (report.json,
 * report.md, SVG charts), then prints a summary table.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exitWithHelpIfAsked } from "../lib/env.js";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { z } from "zod";
import { loadServicesConfig } from "../services/index.js";
import { isLlmConfigured, loadLlmConfig } from "../llm/config.js";
import { llmRolesOf, REASONER_MODES, type ReasonerMode } from "./runner/reasoner-modes.js";
import { buildHistoryIndex } from "./baselines/history-index.js";
import { cocoonRecommender } from "./baselines/cocoon.js";
import { popularityRecommender } from "./baselines/popularity.js";
import { oracleRecommender } from "./baselines/oracle.js";
import { readProfiles, readTrends } from "../world/latent.js";
import { crossPairsOf, evalKgSlot, prepareEvalWorld } from "./eval-world.js";
import { checkGate, describeFailure, missionChecks, oracleGapClosed, Thresholds, type GateFailure } from "./gate.js";
import { GOLDEN_DIR, goldenPath } from "./golden/build.js";
import { GOLDEN_SETS, readGolden, type GoldenHeader, type GoldenSetName } from "./golden/schema.js";
import type { EvalResult } from "./metrics/types.js";
import { markdownTable, textTable, type SystemMetrics } from "./report/markdown.js";
import { barPanelsSvg, scatterSvg } from "./report/svg.js";
import { evaluateCritic, evaluateTrends, evaluateUq, vocabularyFromWorld } from "./runner/components.js";
import { openEvalKg, type EvalKg } from "./runner/kg.js";
import { ConfigurationSchema } from "../contracts/configuration.js";
import { ABLATIONS, graphSystem, type Ablation, type BuyerRunRecord } from "./runner/system.js";
import { evaluateUsers, fromRecommender, type RunnableSystem } from "./runner/users.js";
import { loadWorld, type WorldData } from "./world-data.js";

export const EVALS_DIR = path.dirname(fileURLToPath(import.meta.url));

export const RunOptions = z.object({
  sets: z.array(z.enum(GOLDEN_SETS)).min(1),
  reasoner: z.enum(REASONER_MODES).default("analytic"),
  ablate: z.array(z.enum(ABLATIONS)).default([]),
  /** Only the first N golden buyers (in file order). */
  buyers: z.number().int().positive().optional(),
  system: z.boolean().default(true),
  kg: z.boolean().default(true),
  goldenDir: z.string().default(GOLDEN_DIR),
  reportsDir: z.string().default(path.join(EVALS_DIR, "reports")),
  /** Report directory name prefix (default: the set name, or `all`). */
  label: z.string().optional(),
  thresholds: z.string().optional(),
  progress: z.boolean().default(true),
  /** Graph configuration for the system and its ablations (the ablation's own settings win). */
  config: ConfigurationSchema.optional(),
});
export type RunOptions = z.input<typeof RunOptions>;

export interface SetReport {
  set: GoldenSetName;
  header: GoldenHeader;
  systems: SystemMetrics[];
  extra: Record<string, unknown>;
  charts: string[];
}

export interface RunOutcome {
  reportDir: string;
  sets: SetReport[];
  failures: GateFailure[];
  mission: ReturnType<typeof missionChecks>;
}

function progressBar(enabled: boolean, label: string) {
  if (!enabled) return { update: (_d: number, _t: number, _l?: string) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {percentage}% | {value}/{total} | {label} | ETA {eta_formatted}`, noTTYOutput: true, notTTYSchedule: 10_000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number, l = "") {
      if (!started) {
        bar.start(total, 0, { label: l });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label: l });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

const USERS_CHART_METRICS = ["recall@50", "ndcg@50", "discovery_recall", "discovery_recall_strict", "category_width", "new_item_share", "new_category_share", "intra_list_diversity", "novelty", "coverage", "gini"];

function panels(systems: readonly SystemMetrics[], keys: readonly string[]) {
  return keys
    .filter((k) => systems.some((s) => s.metrics.some((m) => m.key === k)))
    .map((metric) => ({ metric, bars: systems.map((s) => ({ label: s.name, value: s.metrics.find((m) => m.key === metric)?.score ?? Number.NaN })) }));
}

async function withKg<T>(state: { kg: EvalKg | null; dir?: string }, world: WorldData, header: GoldenHeader, log: (m: string) => void, fn: (kg: EvalKg) => Promise<T>): Promise<T> {
  if (state.kg && state.dir !== world.dir) {
    await state.kg.close();
    state.kg = null;
  }
  if (!state.kg) {
    const bar = progressBar(true, "kg load");
    try {
      state.kg = await openEvalKg({ worldDir: world.dir, manifest: world.manifest, slot: evalKgSlot(header), log, onLoadProgress: (p) => bar.update(p.done, p.total ?? p.done, p.phase) });
      state.dir = world.dir;
    } finally {
      bar.stop();
    }
  }
  return fn(state.kg);
}

export async function runEvaluation(input: RunOptions, log: (m: string) => void = console.log): Promise<RunOutcome> {
  const opts = RunOptions.parse(input);
  if (llmRolesOf(opts.reasoner).length > 0 && opts.system && opts.sets.some((s) => s === "users-ci" || s === "users-real")) {
    const llm = loadLlmConfig();
    const missing = llmRolesOf(opts.reasoner).filter((r) => !isLlmConfigured(r, llm));
    if (missing.length > 0) {
      throw new Error(`--reasoner ${opts.reasoner} needs a chat model for each role it runs on the LLM (missing: ${missing.join(", ")}). Fix: set LLM_BASE_URL and LLM_MODEL (or LLM_MODEL_<ROLE>), or use --reasoner auto.`);
    }
  }
  const dataDir = loadServicesConfig().dataDir;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const reportDir = path.join(opts.reportsDir, `${opts.label ?? (opts.sets.length === 1 ? opts.sets[0] : "all")}-${stamp}`);
  fs.mkdirSync(reportDir, { recursive: true });
  const kgState: { kg: EvalKg | null; dir?: string } = { kg: null };
  const worlds = new Map<string, WorldData>();
  const sets: SetReport[] = [];
  let mission: RunOutcome["mission"] = [];
  try {
    for (const set of opts.sets) {
      const golden = readGolden(goldenPath(set, opts.goldenDir), set);
      const header = golden.header;
      const dir = await prepareEvalWorld(dataDir, header, log);
      let world = worlds.get(dir);
      if (!world) worlds.set(dir, (world = loadWorld(dir)));
      const vocab = vocabularyFromWorld(world);
      const report: SetReport = { set, header, systems: [], extra: {}, charts: [] };

      if (set === "users-ci" || set === "users-real") {
        const g = readGolden(goldenPath(set, opts.goldenDir), set);
        const golden2 = { ...g, buyers: opts.buyers ? g.buyers.slice(0, opts.buyers) : g.buyers };
        const index = buildHistoryIndex(world, header.asOf);
        const cocoon = cocoonRecommender(index);
        const oracle = oracleRecommender({ world, index, profiles: await readProfiles(world.dir), trends: await readTrends(world.dir), pairs: crossPairsOf(world, header.preset) });
        const systems: RunnableSystem[] = [fromRecommender(cocoon), fromRecommender(popularityRecommender(index)), fromRecommender(oracle, "oracle")];
        const primitive = { name: "cocoon", lists: new Map(await Promise.all(golden2.buyers.map(async (b) => [b.userId, await cocoon.recommend(b.userId, 50)] as const))) };
        if (opts.system) {
          await withKg(kgState, world, header, log, async (kg) => {
            const onRun = (r: BuyerRunRecord) => fs.appendFileSync(path.join(reportDir, "runs.jsonl"), JSON.stringify(r) + "\n");
            systems.unshift(graphSystem({ deps: kg.deps, asOf: header.asOf, reasoner: opts.reasoner, config: opts.config, onRun }));
            for (const a of opts.ablate as Ablation[]) systems.push(graphSystem({ deps: kg.deps, asOf: header.asOf, reasoner: opts.reasoner, config: opts.config, ablation: a, onRun }));
          });
        }
        const bar = progressBar(opts.progress, set);
        const out = await evaluateUsers({ golden: golden2, world, index, k: 50, primitive }, systems, (d, t, l) => bar.update(d, t, l));
        bar.stop();
        report.systems = out.systems;
        const errors = Object.entries(out.runs).flatMap(([name, runs]) => runs.filter((r) => r.error).map((r) => ({ system: name, userId: r.userId, error: r.error })));
        const oracleGap = { "recall@50": oracleGapClosed(out.systems, "recall@50"), discovery_recall: oracleGapClosed(out.systems, "discovery_recall") };
        report.extra = { buyers: golden2.buyers.length, errors: errors.slice(0, 20), errorCount: errors.length, oracleGapClosed: oracleGap };
        if (set === "users-ci") mission = missionChecks(out.systems);
        const point = (s: SystemMetrics) => ({
          label: s.name,
          x: s.metrics.find((m) => m.key === "recall@50")?.score ?? Number.NaN,
          y: s.metrics.find((m) => m.key === "discovery_recall")?.score ?? Number.NaN,
        });
        fs.writeFileSync(path.join(reportDir, "discovery-vs-recall.svg"), scatterSvg(out.systems.map(point), { title: `Discovery recall vs Recall@50 (${golden2.buyers.length} buyers, ${header.preset} seed ${header.seed})`, xLabel: "Recall@50 (held-out items)", yLabel: "discovery recall" }));
        fs.writeFileSync(path.join(reportDir, "users-metrics.svg"), barPanelsSvg(panels(out.systems, USERS_CHART_METRICS), { title: `${set}: system, ablations and baselines`, columns: 4, panelWidth: 260 }));
        report.charts.push("discovery-vs-recall.svg", "users-metrics.svg");
      }

      if (set === "critic") {
        const g = readGolden(goldenPath("critic", opts.goldenDir), "critic");
        const bar = progressBar(opts.progress, "critic");
        const run = (kgReader?: EvalKg["kg"]) => evaluateCritic(g, vocab, { kg: kgReader, onProgress: (d, t) => bar.update(d, t, "cases") });
        const out = opts.kg ? await withKg(kgState, world, header, log, (kg) => run(kg.kg)) : await run();
        bar.stop();
        report.systems = [{ name: opts.kg ? "critic" : "critic-no-retrieval", kind: "component", metrics: out.metrics }];
        report.extra = { perKind: out.perKind, misjudged: out.rows.filter((r) => (r.predicted === "fail") !== (r.expected === "fail")).slice(0, 40) };
        fs.writeFileSync(path.join(reportDir, "critic.svg"), barPanelsSvg(panels(report.systems, out.metrics.map((m) => m.key)), { title: "critic on labelled queries", columns: 4, panelWidth: 220, panelHeight: 180 }));
        report.charts.push("critic.svg");
      }

      if (set === "uq") {
        if (!opts.kg) {
          log("uq: skipped (needs the knowledge graph; drop --no-kg)");
        } else {
          const g = readGolden(goldenPath("uq", opts.goldenDir), "uq");
          const bar = progressBar(opts.progress, "uq");
          const out = await withKg(kgState, world, header, log, (kg) => evaluateUq(g, kg.uq, { onProgress: (d, t) => bar.update(d, t, "pairs") }));
          bar.stop();
          report.systems = [{ name: "uq-scorer", kind: "component", metrics: out.metrics }];
          report.extra = { fittedWeights: out.fitted, pairs: g.pairs.length };
          fs.writeFileSync(path.join(reportDir, "uq-weights.json"), JSON.stringify(out.fitted, null, 2) + "\n");
          fs.writeFileSync(path.join(reportDir, "uq.svg"), barPanelsSvg(panels(report.systems, out.metrics.map((m) => m.key)), { title: "U-Q relevance on labelled pairs", columns: 4, panelWidth: 220, panelHeight: 180 }));
          report.charts.push("uq.svg");
        }
      }

      if (set === "trends") {
        const g = readGolden(goldenPath("trends", opts.goldenDir), "trends");
        const out = evaluateTrends(g, world, vocab);
        report.systems = [{ name: "trend-extractor", kind: "component", metrics: out.metrics }];
        report.extra = { perDoc: out.perDoc };
        fs.writeFileSync(path.join(reportDir, "trends.svg"), barPanelsSvg(panels(report.systems, out.metrics.map((m) => m.key)), { title: "trend extraction on labelled documents", columns: 3, panelWidth: 220, panelHeight: 180 }));
        report.charts.push("trends.svg");
      }
      if (report.systems.length > 0) sets.push(report);
    }
  } finally {
    await kgState.kg?.close();
  }

  const failures: GateFailure[] = [];
  if (opts.thresholds) {
    const t = Thresholds.parse(JSON.parse(fs.readFileSync(opts.thresholds, "utf8")));
    for (const s of sets) failures.push(...checkGate(s.set, s.systems, t));
  }
  const outcome: RunOutcome = { reportDir, sets, failures, mission };
  writeReports(outcome, opts);
  return outcome;
}

const METRIC_NOTES: Record<string, string> = {
  "recall@50": "share of a buyer's held-out items (any behaviour after asOf) in the top 50, mean over buyers",
  "ndcg@50": "rank-discounted gain, graded by behaviour (order 5, cart/inquiry 3, collect 2, view 1)",
  discovery_recall: "share of held-out items new to the buyer (new category or new values) that the list reaches: an item of the same category with one of the new values",
  discovery_recall_strict: "share of those discovery items present in the list as the very item",
  category_width: "distinct leaf categories per list",
  new_item_share: "share of list items launched in the 28 days before asOf",
  new_category_share: "share of list items in categories the buyer never touched",
  intra_list_diversity: "mean pairwise 1 − Jaccard(category + values) within a list",
  novelty: "mean −log2 popularity (share of buyers who touched the item), in bits",
  coverage: "distinct recommended items / catalog items before asOf",
  gini: "Gini of exposure across the catalog (lower = more even)",
  hallucination_rate: "final queries failing the catalog judge (evals/metrics/catalog-judge.ts: leaf category, real allowed values, ≥ 3 offers before asOf carrying all values together, no instruction or link)",
  hallucination_rate_raw: "every query the generator wrote (all critic rounds), before the critic, failing the same catalog judge",
  hallucination_reduction: "1 − hallucination_rate / hallucination_rate_raw: the critic loop's cut (n/a when there were no raw candidates or no final queries; a rate over no queries is n/a too)",
  degraded_step_rate: "reasoning steps that fell back to the analytic reasoner after an LLM failure",
  critic_rounds_per_buyer: "critic rounds a run made (the first round included)",
  completion_tokens_per_buyer: "completion tokens per buyer as the model server reported them",
  "serendipity@50": "held-out items in the list that the cocoon's list does not hold, over K (Ge et al. 2010)",
  unexpectedness: "share of list items the cocoon's list does not hold (Ge et al. 2010)",
  json_validity: "results that parse as RecommendationResult with portrait, CFV and trends typed by their step schemas (evals/runner/typed-result.ts)",
};

function writeReports(o: RunOutcome, opts: z.output<typeof RunOptions>): void {
  const generatedAt = new Date().toISOString();
  fs.writeFileSync(
    path.join(o.reportDir, "report.json"),
    JSON.stringify({ generatedAt, options: { ...opts, goldenDir: path.relative(process.cwd(), opts.goldenDir), reportsDir: undefined }, sets: o.sets, mission: o.mission, gate: o.failures }, null, 2) + "\n",
  );
  const md: string[] = [`# Evaluation report`, "", `Generated ${generatedAt}; reasoner \`${opts.reasoner}\`${opts.ablate.length ? `; ablations ${opts.ablate.join(", ")}` : ""}.`, ""];
  for (const s of o.sets) {
    md.push(`## ${s.set}`, "", `World \`${s.header.preset}\` seed ${s.header.seed}, asOf ${s.header.asOf}, checksum \`${s.header.worldChecksum.slice(0, 12)}…\`.`, "");
    md.push(markdownTable(s.systems), "");
    for (const c of s.charts) md.push(`![${c}](${c})`, "");
    if (s.set === "users-ci" && o.mission.length) {
      md.push("Mission targets:", "", ...o.mission.map((m) => `- ${m.ok ? "met" : "NOT met"}: ${m.check} (${m.detail})`), "");
    }
    const notes = Object.entries(METRIC_NOTES).filter(([k]) => s.systems.some((x) => x.metrics.some((m) => m.key === k)));
    if (notes.length) md.push("Metrics:", "", ...notes.map(([k, v]) => `- \`${k}\`: ${v}`), "");
    const comments = s.systems.flatMap((x) => x.metrics.map((m: EvalResult) => `- ${x.name} \`${m.key}\`: ${m.comment}`));
    md.push("<details><summary>Evaluator comments</summary>", "", ...comments, "", "</details>", "");
  }
  if (o.failures.length) md.push("## Gate failures", "", ...o.failures.map((f) => `- ${describeFailure(f)}`), "");
  fs.writeFileSync(path.join(o.reportDir, "report.md"), md.join("\n"));
}

export function printSummary(o: RunOutcome, log: (m: string) => void = console.log): void {
  for (const s of o.sets) log(`\n${s.set}\n${textTable(s.systems)}`);
  for (const m of o.mission) log(`mission: ${m.ok ? "met" : "NOT met"} — ${m.check} (${m.detail})`);
  for (const s of o.sets) {
    const gap = (s.extra as { oracleGapClosed?: Record<string, number | undefined> }).oracleGapClosed;
    if (gap) log(`cocoon-to-oracle gap closed by the system: ${Object.entries(gap).map(([k, v]) => `${k} ${v === undefined ? "n/a" : (100 * v).toFixed(1) + "%"}`).join(", ")}`);
  }
  log(`\nreport: ${path.relative(process.cwd(), o.reportDir)}/report.md`);
  if (o.failures.length) log(`\nGATE FAILED:\n${o.failures.map((f) => `  ${describeFailure(f)}`).join("\n")}`);
}

/** The small CI version: every set, 25 buyers, system without ablations, gated. */
export const CI_OPTIONS: RunOptions = {
  sets: ["critic", "trends", "uq", "users-ci"],
  buyers: 25,
  label: "ci",
  thresholds: path.join(EVALS_DIR, "thresholds.json"),
};

const HELP = `usage: npm run eval -- [options]
       npm run eval:ci     (small version with the gate of evals/thresholds.json)

Options:
  --set users-ci|users-real|critic|uq|trends|all
                                        golden set(s), comma-separated (default: users-ci); users-real: real
                                        Taobao offers (world/real-presets.ts), system vs cocoon, popularity, oracle
  --reasoner analytic|llm|auto|mixed    reasoner of every role (default: analytic; llm needs LLM_BASE_URL and a model);
                                        mixed: LLM for the query generator and the critic, analytic elsewhere
  --ablate <list>|all                   ablations: trends, critic, uq, diversity, peers, uncovered (buy again in categories no query covers)
  --buyers <n>                          the first n golden buyers only
  --no-system                           baselines only, no Neo4j
  --no-kg                               no Neo4j: the critic skips its retrieval check and uq is skipped
  --ci                                  the CI configuration (25 buyers, every set, gated by thresholds.json)
  --thresholds <file>                   gate thresholds (JSON)
  --config <json>                       graph configuration for the system and its ablations, e.g. '{"peerCategoryCount":5}'
                                        (checked against the configuration schema; unknown keys are refused)
  --label <name>                        report directory name prefix (default: the set name)`;

/** The `--config` option: JSON checked against the graph configuration schema, unknown keys refused. */
export function parseConfigOption(text: string): z.infer<typeof ConfigurationSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = ConfigurationSchema.strict().safeParse(json);
  if (!parsed.success) {
    throw new Error(`--config: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP, ["services", "llm", "tools", "eval"]);
  const { values } = parseArgs({
    options: {
      set: { type: "string" },
      golden: { type: "string" },
      reasoner: { type: "string" },
      ablate: { type: "string" },
      buyers: { type: "string" },
      "no-system": { type: "boolean" },
      "no-kg": { type: "boolean" },
      ci: { type: "boolean" },
      thresholds: { type: "string" },
      config: { type: "string" },
      label: { type: "string" },
    },
  });
  const list = (s?: string) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : []);
  const opts: RunOptions = values.ci
    ? { ...CI_OPTIONS, ...(values.reasoner ? { reasoner: values.reasoner as ReasonerMode } : {}) }
    : {
        sets: values.set === "all" ? [...GOLDEN_SETS] : (list(values.set ?? "users-ci") as GoldenSetName[]),
        reasoner: (values.reasoner ?? "analytic") as ReasonerMode,
        ablate: (values.ablate === "all" ? [...ABLATIONS] : list(values.ablate)) as Ablation[],
        buyers: values.buyers ? Number(values.buyers) : undefined,
        system: !values["no-system"],
        kg: !values["no-kg"],
        thresholds: values.thresholds,
        ...(values.config ? { config: parseConfigOption(values.config) } : {}),
        ...(values.label ? { label: values.label } : {}),
        ...(values.golden ? { goldenDir: path.resolve(values.golden) } : {}),
      };
  const t0 = Date.now();
  const outcome = await runEvaluation(opts);
  printSummary(outcome);
  console.log(`\ndone in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (outcome.failures.length) process.exitCode = 1;
  if (opts.thresholds && outcome.mission.some((m) => !m.ok)) {
    console.log("\nMISSION NOT MET (gated run)");
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

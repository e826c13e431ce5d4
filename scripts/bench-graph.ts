/**
 * `npm run bench:graph [-- --world ci --buyers 40 --instance dev --dir <world dir> --profile --passes 2 --concurrency 2 --skip-prompts --distinct]`:
 * on a loaded world (default `ci`, files under `.data/world/<world>`), runs the graph per buyer and prints
 * - analytic mode: per-buyer latency p50/p95 (one buyer at a time) of the last of `--passes` passes
 *   over the buyers (default 2: the first fills the caches, its figures are printed too; with 1,
 *   two buyers warm the process up), throughput in buyers/s with
 *   `--concurrency` runs at once (default 2, the near-line `TRIGGER_CONCURRENCY`), mean time per
 *   node; with `--profile`, per node also CPU time of this process, KG method calls, Cypher round
 *   trips and their time, embedding requests, texts and time (graph/profile.ts);
 * - LLM mode with prompts rendered but not sent (dry run): prompt tokens per buyer per role and
 *   in all, against a naive prompt carrying the raw year of events; compression ratio and factor
 *   mass kept.
 * With `--distinct` every pass and the throughput run take their own `--buyers` buyers, so that no
 * buyer runs twice in the process: the warm figures then come from caches other buyers filled
 * (what a serving process sees), not from the same buyers' repeated reads.
 * The last line is every figure as one JSON object (`{"bench":"graph",…}`), with the load average.
 * Figures for the note, not a timed test.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { createEnvDeps } from "../graph/env-deps.js";
import { createBuilder, NODES } from "../graph/builder.js";
import { createProfiler, type NodeProfile } from "../graph/profile.js";
import { createMemo } from "../lib/deps.js";
import type { GraphState } from "../contracts/state.js";
import { createRunStep } from "../llm/run-step.js";
import { REASONING_ROLES } from "../contracts/steps.js";
import { type GraphDeps } from "../contracts/deps.js";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

type Nodes = typeof NODES;

/** Runs the graph for every user, `concurrency` runs at a time; per run its wall time and final state. */
async function runAll(deps: GraphDeps, users: string[], asOf: string, configurable: Record<string, unknown>, opts: { nodes?: Nodes; concurrency?: number } = {}) {
  const g = createBuilder(opts.nodes ?? NODES).compile().withConfig({ configurable: { deps } });
  const out: { ms: number; state: GraphState }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const userId = users[next++];
      const t0 = performance.now();
      try {
        const state = (await g.invoke({ userId, asOf }, { configurable })) as GraphState;
        out.push({ ms: performance.now() - t0, state });
      } catch (e) {
        console.error(`skipped ${userId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  return out;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: "string", default: "ci" },
      buyers: { type: "string", default: "40" },
      instance: { type: "string", default: "dev" },
      dir: { type: "string" },
      profile: { type: "boolean", default: false },
      concurrency: { type: "string", default: "2" },
      "skip-prompts": { type: "boolean", default: false },
      passes: { type: "string", default: "2" },
      distinct: { type: "boolean", default: false },
    },
  });
  const passes = Number(values.passes);
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`--passes must be a positive integer, got "${values.passes}"`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a positive integer, got "${values.concurrency}"`);
  const dir = values.dir ?? path.join(".data", "world", values.world!);
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { asOf: string };
  const perPass = Number(values.buyers);
  if (!Number.isInteger(perPass) || perPass < 1) throw new Error(`--buyers must be a positive integer, got "${values.buyers}"`);
  const all = readFileSync(path.join(dir, "buyers.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { id: string }).id);
  const slices = values.distinct ? passes + 1 : 1;
  if (all.length < perPass * slices) throw new Error(`--distinct with --passes ${passes} needs ${perPass * slices} buyers; the world has ${all.length}`);
  const slice = (k: number) => (values.distinct ? all.slice(k * perPass, (k + 1) * perPass) : all.slice(0, perPass));
  const buyers = slice(passes - 1);
  const env = await createEnvDeps({ instance: values.instance === "test" ? "test" : "dev" });
  try {
    const profiler = values.profile ? createProfiler() : null;
    const analyticDeps: GraphDeps = { ...env.deps, chatModel: () => undefined, memo: createMemo() };
    const warmDeps = profiler ? profiler.wrapDeps(analyticDeps) : analyticDeps;
    const nodes = profiler ? profiler.wrapNodes(NODES) : NODES;
    const analytic = { defaultReasoner: "analytic" };
    const earlier: number[][] = [];
    for (let pass = 1; pass < passes; pass++) earlier.push((await runAll(analyticDeps, slice(pass - 1), manifest.asOf, analytic)).map((r) => r.ms));
    if (passes === 1) await runAll(analyticDeps, values.distinct ? all.slice(perPass * slices, perPass * slices + 2) : buyers.slice(0, 2), manifest.asOf, analytic);
    profiler?.start();
    const runs = await runAll(warmDeps, buyers, manifest.asOf, analytic, { nodes });
    profiler?.stop();
    const lat = runs.map((r) => r.ms);
    const t0 = performance.now();
    const parallel = await runAll(analyticDeps, values.distinct ? slice(passes) : buyers, manifest.asOf, analytic, { concurrency });
    const throughput = parallel.length / ((performance.now() - t0) / 1000);
    const load = loadavg().map((x) => round(x, 2));
    console.log(`# bench:graph on world "${values.world}" (${buyers.length} buyers${values.distinct ? ` per pass, each pass and the throughput run on other buyers` : ""}, asOf ${manifest.asOf}; load average ${load.join(" ")})`);
    console.log(`\n## analytic mode`);
    earlier.forEach((xs, k) => console.log(`pass ${k + 1} of ${passes} (caches filling): p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms, mean ${mean(xs).toFixed(0)} ms`));
    console.log(`latency per buyer (one at a time${passes > 1 ? `, pass ${passes}: warm` : ""}): p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, mean ${mean(lat).toFixed(0)} ms`);
    console.log(`throughput with ${concurrency} runs at once: ${throughput.toFixed(2)} buyers/s`);
    const perNode = new Map<string, number[]>();
    for (const r of runs) {
      const byNode = new Map<string, number>();
      for (const t of r.state.timings) byNode.set(t.node, (byNode.get(t.node) ?? 0) + t.ms);
      for (const [n, ms] of byNode) perNode.set(n, [...(perNode.get(n) ?? []), ms]);
    }
    const profiles = new Map<string, NodeProfile>((profiler?.report() ?? []).map((p) => [p.node, p]));
    const n = Math.max(1, runs.length);
    console.log(profiler ? "per node, mean per buyer: wall ms | CPU ms (this process) | KG method calls | Cypher round trips, ms | embedding requests, texts, ms" : "time per node (mean ms per buyer):");
    const nodeFigures: Record<string, Record<string, number>> = {};
    for (const [name, xs] of perNode) {
      const p = profiles.get(name);
      nodeFigures[name] = { meanMs: round(mean(xs)) };
      if (!p) {
        console.log(`  ${name.padEnd(20)} ${mean(xs).toFixed(1)}`);
        continue;
      }
      Object.assign(nodeFigures[name], { cpuMs: round(p.cpuMs / n), kgCalls: round(p.kgCalls / n, 2), cypherCalls: round(p.cypherCalls / n, 2), cypherMs: round(p.cypherMs / n), embedCalls: round(p.embedCalls / n, 2), embedTexts: round(p.embedTexts / n, 1), embedMs: round(p.embedMs / n) });
      console.log(
        `  ${name.padEnd(20)} ${mean(xs).toFixed(1).padStart(8)} | ${(p.cpuMs / n).toFixed(1).padStart(7)} | ${(p.kgCalls / n).toFixed(2).padStart(5)} | ${(p.cypherCalls / n).toFixed(2).padStart(5)}, ${(p.cypherMs / n).toFixed(1).padStart(7)} | ${(p.embedCalls / n).toFixed(2)}, ${(p.embedTexts / n).toFixed(1)}, ${(p.embedMs / n).toFixed(1)}`,
      );
    }
    const figures: Record<string, unknown> = {
      bench: "graph",
      world: values.world,
      buyers: buyers.length,
      completed: runs.length,
      loadavg: load,
      p50Ms: round(pct(lat, 50)),
      p95Ms: round(pct(lat, 95)),
      meanMs: round(mean(lat)),
      passes,
      distinct: values.distinct,
      firstPass: earlier.length > 0 ? { p50Ms: round(pct(earlier[0], 50)), p95Ms: round(pct(earlier[0], 95)) } : null,
      concurrency,
      buyersPerSecond: round(throughput, 2),
      nodes: nodeFigures,
    };
    if (values["skip-prompts"]) {
      console.log(JSON.stringify(figures));
      return;
    }

    const placeholder = new FakeListChatModel({ responses: ["{}"] });
    const dryDeps: GraphDeps = { ...env.deps, chatModel: () => placeholder, runStep: createRunStep({ dryRun: true }), dryRunPrompts: true, memo: createMemo() };
    const dry = await runAll(dryDeps, buyers, manifest.asOf, { defaultReasoner: "auto" });
    console.log(`\n## LLM mode, prompts rendered but not sent`);
    const perRole = new Map<string, number[]>();
    const totals: number[] = [];
    for (const r of dry) {
      const byRole = new Map<string, number>(REASONING_ROLES.map((role) => [role, 0]));
      for (const s of r.state.steps) byRole.set(s.role, (byRole.get(s.role) ?? 0) + s.promptTokens);
      for (const [role, n] of byRole) perRole.set(role, [...(perRole.get(role) ?? []), n]);
      totals.push([...byRole.values()].reduce((a, b) => a + b, 0));
    }
    for (const [role, xs] of perRole) console.log(`  ${role.padEnd(16)} mean ${mean(xs).toFixed(0)} tokens/buyer (p95 ${pct(xs, 95).toFixed(0)})`);
    const raw = dry.map((r) => r.state.compression!.rawTokens);
    const comp = dry.map((r) => r.state.compression!.compressedTokens);
    const mass = dry.map((r) => r.state.compression!.factorMassShare);
    console.log(`  all roles        mean ${mean(totals).toFixed(0)} tokens/buyer (p50 ${pct(totals, 50).toFixed(0)}, p95 ${pct(totals, 95).toFixed(0)})`);
    console.log(`  naive prompt (raw year of events, one plain-text line per event): mean ${mean(raw).toFixed(0)} tokens/buyer (p95 ${pct(raw, 95).toFixed(0)})`);
    console.log(`\n## compression`);
    const ratios = dry.map((r) => r.state.compression!.rawTokens / Math.max(1, r.state.compression!.compressedTokens));
    figures.prompts = { tokensPerBuyer: round(mean(totals)), naiveTokensPerBuyer: round(mean(raw)), compressedTokensPerBuyer: round(mean(comp)), factorMassKept: round(mean(mass), 3) };
    console.log(`raw ${mean(raw).toFixed(0)} → compressed ${mean(comp).toFixed(0)} tokens/buyer; ratio of means ${(mean(raw) / Math.max(1, mean(comp))).toFixed(1)}×, median ratio ${pct(ratios, 50).toFixed(1)}×; factor mass kept mean ${(mean(mass) * 100).toFixed(1)}% (min ${(Math.min(...mass) * 100).toFixed(1)}%)`);
    console.log(JSON.stringify(figures));
  } finally {
    await env.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

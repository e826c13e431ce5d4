/**
 * `npm run bench:graph [-- --world ci --buyers 40 --instance dev --dir <world dir>]`: on a loaded world (default
 * `ci`, files under `.data/world/<world>`), runs the graph per buyer and prints
 * - analytic mode: per-buyer latency p50/p95, buyers/s, mean time per node;
 * - LLM mode with prompts rendered but not sent (dry run): prompt tokens per buyer per role and
 *   in all, against a naive prompt carrying the raw year of events; compression ratio and factor
 *   mass kept.
 * Figures for the note, not a timed test.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { createEnvDeps } from "../graph/env-deps.js";
import { createGraph } from "../graph/builder.js";
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

async function runAll(deps: GraphDeps, users: string[], asOf: string, configurable: Record<string, unknown>) {
  const g = createGraph({ deps, checkpointer: false });
  const out: { ms: number; state: GraphState }[] = [];
  for (const userId of users) {
    const t0 = performance.now();
    try {
      const state = (await g.invoke({ userId, asOf }, { configurable })) as GraphState;
      out.push({ ms: performance.now() - t0, state });
    } catch (e) {
      console.error(`skipped ${userId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: "string", default: "ci" },
      buyers: { type: "string", default: "40" },
      instance: { type: "string", default: "dev" },
      dir: { type: "string" },
    },
  });
  const dir = values.dir ?? path.join(".data", "world", values.world!);
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { asOf: string };
  const buyers = readFileSync(path.join(dir, "buyers.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .slice(0, Number(values.buyers));
  const env = await createEnvDeps({ instance: values.instance === "test" ? "test" : "dev" });
  try {
    const analyticDeps: GraphDeps = { ...env.deps, chatModel: () => undefined, memo: createMemo() };
    await runAll(analyticDeps, buyers.slice(0, 2), manifest.asOf, { defaultReasoner: "analytic" });
    const t0 = performance.now();
    const runs = await runAll(analyticDeps, buyers, manifest.asOf, { defaultReasoner: "analytic" });
    const wall = (performance.now() - t0) / 1000;
    const lat = runs.map((r) => r.ms);
    console.log(`# bench:graph on world "${values.world}" (${buyers.length} buyers, asOf ${manifest.asOf})`);
    console.log(`\n## analytic mode`);
    console.log(`latency per buyer: p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, mean ${mean(lat).toFixed(0)} ms; ${(buyers.length / wall).toFixed(2)} buyers/s`);
    const perNode = new Map<string, number[]>();
    for (const r of runs) {
      const byNode = new Map<string, number>();
      for (const t of r.state.timings) byNode.set(t.node, (byNode.get(t.node) ?? 0) + t.ms);
      for (const [n, ms] of byNode) perNode.set(n, [...(perNode.get(n) ?? []), ms]);
    }
    console.log("time per node (mean ms per buyer):");
    for (const [n, xs] of perNode) console.log(`  ${n.padEnd(20)} ${mean(xs).toFixed(1)}`);

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
    console.log(`raw ${mean(raw).toFixed(0)} → compressed ${mean(comp).toFixed(0)} tokens/buyer; ratio of means ${(mean(raw) / Math.max(1, mean(comp))).toFixed(1)}×, median ratio ${pct(ratios, 50).toFixed(1)}×; factor mass kept mean ${(mean(mass) * 100).toFixed(1)}% (min ${(Math.min(...mass) * 100).toFixed(1)}%)`);
  } finally {
    await env.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

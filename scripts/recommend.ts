/**
 * `npm run recommend -- --user <id> [--as-of <date>] [--json] [--reasoner auto|llm|analytic]`:
 * runs the inference graph for one buyer on the dev services (started if missing) and prints a
 * readable report — portrait, CFV, trends with sources, queries with U-Q score and critic verdict,
 * top items with their chains, time per node, reasoner per step — or the JSON result.
 */
import { loadServicesConfig } from "../services/index.js";
import { defaultAsOf } from "../world/loaded.js";
import { parseArgs } from "node:util";
import { exitWithHelpIfAsked } from "../lib/env.js";
import { createEnvDeps } from "../graph/env-deps.js";
import { createGraph } from "../graph/builder.js";
import { toResult } from "../graph/assemble.js";
import type { GraphState } from "../contracts/state.js";
import { normaliseAsOf } from "../lib/time.js";
import { compactCfv } from "../reasoners/cfv/analytic.js";
import type { RecommendationResult } from "../contracts/result.js";

function usage(msg?: string): never {
  if (msg) console.error(`error: ${msg}`);
  console.error("usage: npm run recommend -- --user <id> [--as-of <ISO date>] [--json] [--reasoner auto|llm|analytic] [--top <n>] [--instance dev|test]");
  process.exit(2);
}

function report(r: RecommendationResult, state: GraphState, top: number): string {
  const p = state.portrait!;
  const out: string[] = [];
  out.push(`# ${r.userId} @ ${r.asOf}`);
  out.push(`\n## Portrait\n${p.bType}${p.dropShipperType !== "none" ? ` (${p.dropShipperType})` : ""} — ${p.coreIntent}`);
  out.push(`身份 ${p.profile.identity}；客群 ${p.profile.customerGroup}；策略 ${p.profile.operatingStrategy}；动机 ${p.profile.purchaseMotive}`);
  out.push(`main categories: ${p.mainCategories.map((c) => `${c.name} ${(c.share * 100).toFixed(0)}%`).join(", ")}`);
  out.push(`\n## Behaviour compression\n${r.compression.tuples} tuples, ${r.compression.rawTokens} → ${r.compression.compressedTokens} tokens (${(r.compression.rawTokens / Math.max(1, r.compression.compressedTokens)).toFixed(1)}×), factor mass kept ${(r.compression.factorMassKept * 100).toFixed(1)}%`);
  out.push(r.compression.text.split("\n").slice(-5).join("\n"));
  out.push(`\n## CFV (long / recent / potential)`);
  for (const c of state.cfv!.categories) out.push(`${c.name}: ${compactCfv(c.long)} / ${compactCfv(c.recent)} / ${compactCfv(c.potential)}`);
  out.push(`\n## Trends`);
  for (const call of state.trendPlan!.calls) out.push(`source ${call.source}: ${call.terms.join("、")} — ${call.reason}`);
  for (const sp of state.trends!.sellingPoints.slice(0, 10))
    out.push(`${sp.term}${sp.isNew ? " (new term)" : ""} → ${sp.valueName ?? "-"} [${sp.sources.join(", ")}] docs ${sp.docIds.slice(0, 3).join(", ")}`);
  if (state.trends!.setAside.length > 0) out.push(`set aside (instruction-like): ${state.trends!.setAside.map((d) => d.id).join(", ")}`);
  out.push(`\n## Queries (hallucination ${(r.hallucination.before * 100).toFixed(0)}% → ${(r.hallucination.after * 100).toFixed(0)}%, ${r.hallucination.loops} critic rounds)`);
  for (const q of r.queries)
    out.push(`${q.uq.score.toFixed(3)} [${q.horizon}] ${q.text} (${q.categoryName}) critic ${q.critic.verdict}@${q.critic.loops} — ${q.uq.paths.map((x) => x.type).join("+")} — evidence ${q.evidence.map((e) => e.id).join(", ")}`);
  for (const d of state.dropped) out.push(`dropped: ${d.text} — ${d.reason}`);
  out.push(`\n## Top items`);
  for (const i of r.items.slice(0, top)) {
    const flags = Object.entries(i.flags).filter(([, v]) => v).map(([k]) => k).join(",");
    out.push(`${i.rank}. ${i.itemId} ${i.shortTitle} ¥${i.price} MOQ ${i.moq}${flags ? ` [${flags}]` : ""}`);
    out.push(`   ${i.chain.map((l) => `${l.kind}:${l.id}`).join(" → ")}`);
  }
  out.push(`\n## Time per node`);
  out.push(r.timings.map((t) => `${t.node} ${t.ms.toFixed(0)}ms${t.llmCalls ? ` (${t.llmCalls} LLM calls, ${t.promptTokens} tokens)` : ""}`).join("\n"));
  out.push(`\n## Reasoner per step`);
  out.push(r.steps.map((s) => `${s.role}: ${s.reasoner}${s.degraded ? ` (degraded: ${s.error})` : ""}`).join("\n"));
  return out.join("\n");
}

const HELP = `usage: npm run recommend -- --user <id> [options]

Runs the inference graph for one buyer on the dev services and prints a readable report.

Options:
  --user <id>                    the buyer (required)
  --as-of <ISO date>             the point in time (default: DEFAULT_AS_OF, else the started world's asOf, else now)
  --json                         print the JSON result instead of the report
  --reasoner auto|llm|analytic   reasoner of every role (default: auto)
  --top <n>                      items shown in the report (default: 15)
  --instance dev|test            which services to use (default: dev)`;

async function main(): Promise<void> {
  exitWithHelpIfAsked(HELP, ["services", "llm", "tools", "start"], ["DEFAULT_AS_OF"]);
  const { values } = parseArgs({
    options: {
      user: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean", default: false },
      reasoner: { type: "string" },
      top: { type: "string" },
      instance: { type: "string", default: "dev" },
    },
  });
  if (!values.user) usage("--user is required");
  let asOf: string;
  try {
    asOf = normaliseAsOf(values["as-of"] ?? defaultAsOf(process.env, loadServicesConfig().dataDir));
  } catch (e) {
    usage((e as Error).message);
  }
  const reasoner = values.reasoner ?? "auto";
  if (!["auto", "llm", "analytic"].includes(reasoner)) usage(`--reasoner must be auto, llm or analytic, not "${reasoner}"`);
  if (values.instance !== "dev" && values.instance !== "test") usage(`--instance must be dev or test`);
  const env = await createEnvDeps({ instance: values.instance });
  try {
    const g = createGraph({ deps: env.deps, checkpointer: false });
    const state = (await g.invoke({ userId: values.user, asOf }, { configurable: { defaultReasoner: reasoner } })) as GraphState;
    const result = toResult(state);
    console.log(values.json ? JSON.stringify(result, null, 2) : report(result, state, Number(values.top ?? 15)));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`error: ${msg}`);
    process.exitCode = /unknown user/.test(msg) ? 3 : 1;
  } finally {
    await env.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * plan_trend_sources — reads `asOf`, `portrait`, `cfv`; writes `trendPlan` (sources, terms,
 * reasons, and the model's tool calls when it made them) and the step report. Role:
 * `reasoners/source-planner`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runSourcePlanner } from "../reasoners/source-planner/index.js";

export async function planTrendSources(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { trendPlan, report } = await runSourcePlanner(await roleContext(config), { asOf: state.asOf!, portrait: state.portrait!, cfv: state.cfv! });
  return { trendPlan, steps: [report] };
}

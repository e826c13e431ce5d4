/**
 * plan_trend_sources — reads `userId`, `asOf`, `compression.tuples` (beside build_portrait and
 * analyze_cfv); writes `trendPlan` (sources, terms,
 * reasons, and the model's tool calls when it made them) and the step report. Role:
 * `reasoners/source-planner`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runSourcePlanner } from "../reasoners/source-planner/index.js";

export async function planTrendSources(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { trendPlan, report } = await runSourcePlanner(await roleContext(config), { userId: state.userId, asOf: state.asOf!, tuples: state.compression!.tuples });
  return { trendPlan, steps: [report] };
}

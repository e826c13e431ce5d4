/**
 * mine_trends — reads `asOf`, `trendPlan`, `compression.tuples`; writes `trends` (kept documents,
 * set-aside documents with the reason, normalised selling points) and the step report. Role:
 * `reasoners/trend-extractor`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runTrendExtractor } from "../reasoners/trend-extractor/index.js";

export async function mineTrends(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { trends, report } = await runTrendExtractor(await roleContext(config), { asOf: state.asOf!, trendPlan: state.trendPlan!, tuples: state.compression!.tuples });
  return { trends, steps: [report] };
}

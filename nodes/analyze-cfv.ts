/**
 * analyze_cfv — reads `userId`, `asOf`, `compression.tuples` (not `portrait`: it runs beside
 * build_portrait); writes `cfv` (long,
 * recent and potential values per main category), `pairs` and the step report. Role:
 * `reasoners/cfv`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runCfv } from "../reasoners/cfv/index.js";

export async function analyzeCfv(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const input = { userId: state.userId, asOf: state.asOf!, tuples: state.compression!.tuples };
  const { cfv, pairs, report } = await runCfv(await roleContext(config), input);
  return { cfv, pairs, steps: [report] };
}

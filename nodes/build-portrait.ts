/**
 * build_portrait — reads `compression.tuples`, `asOf`; writes `portrait` and the step report.
 * Role: `reasoners/portrait`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runPortrait } from "../reasoners/portrait/index.js";

export async function buildPortrait(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { portrait, report } = await runPortrait(await roleContext(config), { tuples: state.compression!.tuples, asOf: state.asOf! });
  return { portrait, steps: [report] };
}

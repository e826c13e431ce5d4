/**
 * compress_behavior — reads `userId`, `asOf`; writes `compression` (weekly five-tuples, compact
 * text, token counts, factor mass kept) and the step report. Role: `reasoners/compressor`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runCompressor } from "../reasoners/compressor/index.js";

export async function compressBehavior(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { compression, steps } = await runCompressor(await roleContext(config), { userId: state.userId, asOf: state.asOf! });
  return { compression, steps };
}

/**
 * critique_queries — reads `asOf`, `portrait`, `candidates`, `verdicts`, `compression`, `cfv`,
 * `trends`, `pairs`, `criticRounds`, `hallucination`; writes `verdicts` (per pending query),
 * `criticRounds` (+1), `hallucination` (share of critiqued queries failing: `before` = first
 * round, `after` = this round) and the step reports. Role: `reasoners/critic`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runCritic } from "../reasoners/critic/index.js";

export async function critiqueQueries(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { verdicts, hallucination, steps } = await runCritic(await roleContext(config), {
    asOf: state.asOf!,
    portrait: state.portrait!,
    candidates: state.candidates,
    verdicts: state.verdicts,
    criticRounds: state.criticRounds,
    hallucination: state.hallucination,
    compression: state.compression,
    cfv: state.cfv,
    trends: state.trends,
    pairs: state.pairs,
  });
  return { verdicts, criticRounds: 1, hallucination, steps };
}

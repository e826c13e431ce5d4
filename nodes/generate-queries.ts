/**
 * generate_queries — reads `portrait`, `cfv`, `trends`, `compression.tuples`, `pairs`, and on a
 * critic loop `candidates`, `verdicts`, `rejectedTexts`, `criticRounds`; writes `candidates`
 * (the whole list each round), `generated` (this round's fresh drafts, appended), `rejectedTexts`, `dropped` (failed queries replaced) and the step
 * report. Role: `reasoners/query-generator`.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphState, GraphUpdate } from "../contracts/state.js";
import { roleContext } from "../lib/deps.js";
import { runQueryGenerator } from "../reasoners/query-generator/index.js";

export async function generateQueries(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const { candidates, generated, rejectedTexts, dropped, report } = await runQueryGenerator(await roleContext(config), {
    inputs: { portrait: state.portrait!, cfv: state.cfv!, trends: state.trends!, tuples: state.compression!.tuples, pairs: state.pairs },
    candidates: state.candidates,
    verdicts: state.verdicts,
    rejectedTexts: state.rejectedTexts,
    criticRounds: state.criticRounds,
  });
  return { candidates, generated, rejectedTexts, dropped, steps: [report] };
}

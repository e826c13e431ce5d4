/**
 * The evaluation's `--reasoner` modes as graph configurations: `analytic`, `llm` and `auto` set
 * every role's reasoner; `mixed` runs the query generator and the critic on the LLM and every
 * other role on the analytic reasoner, through the per-role `reasoner` of the graph
 * configuration (no special path). Reads nothing; `llmRolesOf` lists the roles a mode sends to a
 * model, for the runner's configuration check.
 */
import type { ConfigurationInput } from "../../contracts/configuration.js";
import { REASONING_ROLES, type ReasoningRole } from "../../contracts/steps.js";

export const REASONER_MODES = ["analytic", "llm", "auto", "mixed"] as const;
export type ReasonerMode = (typeof REASONER_MODES)[number];

/** The roles `mixed` gives to the LLM. */
export const MIXED_LLM_ROLES: readonly ReasoningRole[] = ["queryGenerator", "critic"];

/** The graph configuration a mode stands for. */
export function reasonerModeConfig(mode: ReasonerMode): ConfigurationInput {
  if (mode !== "mixed") return { defaultReasoner: mode };
  return { defaultReasoner: "analytic", reasoner: Object.fromEntries(MIXED_LLM_ROLES.map((r) => [r, "llm" as const])) };
}

/** The roles a mode requires a configured chat model for (`auto` requires none). */
export function llmRolesOf(mode: ReasonerMode): ReasoningRole[] {
  if (mode === "llm") return [...REASONING_ROLES];
  if (mode === "mixed") return [...MIXED_LLM_ROLES];
  return [];
}

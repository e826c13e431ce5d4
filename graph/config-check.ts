/**
 * Checks of a run's configuration that the schema cannot make alone: a role set to the `llm`
 * reasoner (by `reasoner.<role>` or `defaultReasoner`) needs a chat model for that role. Reads the
 * configuration and a predicate over the roles; writes nothing.
 */
import { REASONING_ROLES, type ReasoningRole } from "../contracts/steps.js";
import { resolveConfiguration, type ConfigurationInput } from "../contracts/configuration.js";

export interface ConfigIssue {
  /** The configuration field at fault, e.g. `defaultReasoner` or `reasoner.critic`. */
  path: string;
  message: string;
}

/** Roles forced onto the LLM reasoner while no chat model is configured for them, one issue per field. */
export function unavailableReasonerIssues(input: ConfigurationInput, hasChatModel: (role: ReasoningRole) => boolean): ConfigIssue[] {
  const cfg = resolveConfiguration(input);
  const issues = new Map<string, ReasoningRole[]>();
  for (const role of REASONING_ROLES) {
    if (cfg.reasoner[role] !== "llm" || hasChatModel(role)) continue;
    const path = input.reasoner?.[role] === "llm" ? `reasoner.${role}` : "defaultReasoner";
    issues.set(path, [...(issues.get(path) ?? []), role]);
  }
  return [...issues].map(([path, roles]) => ({
    path,
    message: `reasoner "llm" needs a chat model for ${roles.join(", ")}; none is configured (set LLM_BASE_URL and LLM_MODEL, or use "auto" / "analytic")`,
  }));
}

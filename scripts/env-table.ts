/**
 * Prints the README's configuration table (markdown) from the registry `lib/env.ts`, with one row
 * per reasoning role for `LLM_MODEL_<ROLE>`, so the table and the code cannot drift apart
 * (`test/readme.test.ts` checks the README holds exactly this table).
 */
import { ENV_GROUPS, envVarDocs, type EnvVarDoc } from "../lib/env.js";
import { REASONING_ROLES } from "../contracts/steps.js";

export type EnvVarRow = EnvVarDoc;

/** Every variable, in registry order, with the per-role model variables expanded. */
export const ALL_ENV_VARS: readonly EnvVarRow[] = envVarDocs(ENV_GROUPS, REASONING_ROLES);

export function envTable(rows: readonly EnvVarRow[] = ALL_ENV_VARS): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  return [
    "| variable | default | meaning |",
    "|---|---|---|",
    ...rows.map((r) => `| \`${r.name}\` | ${esc(r.default)} | ${esc(r.meaning)} |`),
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  console.log(envTable());
}

/**
 * Prints the README's configuration table (markdown) from the variable lists the modules export,
 * so the table and the code cannot drift apart (`test/readme.test.ts` checks the README has it).
 */
import { ENV_VARS } from "../services/config.js";
import { LLM_ENV_VARS } from "../llm/config.js";
import { SERVER_ENV_VARS } from "../server/env.js";

export interface EnvVarRow {
  name: string;
  default: string;
  meaning: string;
}

/** Variables read outside the three configuration modules. */
export const OTHER_ENV_VARS: readonly EnvVarRow[] = [
  { name: "TAVILY_API_KEY", default: "(unset: web search off)", meaning: "enables the Tavily web-search trend source" },
  { name: "TAVILY_BASE_URL", default: "(Tavily's public API)", meaning: "base URL of the Tavily API (a proxy, or a local mock in tests)" },
  { name: "START_PRESET", default: "demo", meaning: "world preset that `npm start` generates and loads when the graph holds no items" },
  { name: "EVAL_NEO4J_URI", default: "(unset: embedded eval Neo4j)", meaning: "Neo4j server the evaluation runs on; it must hold exactly the golden set's world or be empty" },
  { name: "EVAL_NEO4J_PORT", default: "7711", meaning: "Bolt port of the embedded evaluation Neo4j (data in `<DATA_DIR>/eval/`)" },
  { name: "CHROMIUM_PATH", default: "/usr/bin/chromium", meaning: "browser used by the page's headless test" },
];

export const ALL_ENV_VARS: readonly EnvVarRow[] = [...ENV_VARS, ...LLM_ENV_VARS, ...SERVER_ENV_VARS, ...OTHER_ENV_VARS];

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

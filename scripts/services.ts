/**
 * `npm run services -- up|down|status [--instance dev|test] [--scale] [--llm]`: start (or reuse)
 * Neo4j and the embedding server, stop ours, or report them; `--scale` adds the local Postgres and
 * Redis (`services/scale.ts`) and prints the POSTGRES_URL / REDIS_URL to export; `--llm` (or
 * `LOCAL_LLM=true`) the local model server. Expected failures print their message and exit 1.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError } from "../services/config.js";
import { exitWithHelpIfAsked } from "../lib/env.js";
import { ServiceError, ensureServices, loadServicesConfig, status, stopServices } from "../services/index.js";
import { ensurePostgres, ensureRedis, scaleStatus, stopPostgres, stopRedis } from "../services/scale.js";

const Args = z.object({
  command: z.enum(["up", "down", "status"]),
  instance: z.enum(["dev", "test"]).optional(),
  scale: z.boolean(),
  llm: z.boolean().optional(),
});

async function main(): Promise<void> {
  exitWithHelpIfAsked(
    "usage: npm run services -- up|down|status [--instance dev|test]\n\nStarts (or reuses) Neo4j and the embedding server, stops ours, or reports them.",
    ["services"],
  );
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { instance: { type: "string" }, scale: { type: "boolean", default: false }, llm: { type: "boolean" } },
  });
  const parsed = Args.safeParse({ command: positionals[0], instance: values.instance, scale: values.scale ?? false, llm: values.llm });
  if (!parsed.success) {
    throw new ServiceError("usage: npm run services -- up|down|status [--instance dev|test] [--scale] [--llm]");
  }
  const { command, instance, scale, llm } = parsed.data;
  const config = loadServicesConfig();
  if (command === "up") {
    const s = await ensureServices({ config, instance: instance ?? "dev", ...(llm ? { llm: true } : {}) });
    for (const name of s.started) console.log(`started  ${name}`);
    for (const name of s.reused) console.log(`reused   ${name}`);
    console.log(`neo4j       ${s.neo4jUri}`);
    console.log(`embeddings  ${s.embeddingsBaseUrl}`);
    if (scale) {
      const pg = await ensurePostgres(config);
      const redis = await ensureRedis(config);
      console.log(`${pg.started ? "started " : "reused  "} postgres (pid ${pg.pid})`);
      console.log(`${redis.started ? "started " : "reused  "} redis (pid ${redis.pid})`);
      console.log(`export POSTGRES_URL=${pg.url} REDIS_URL=${redis.url}`);
    }
    if (s.llm) console.log(`llm         ${s.llm.baseUrl}  (use: LLM_BASE_URL=${s.llm.baseUrl} LLM_MODEL=${s.llm.model} LLM_TIMEOUT_MS=600000)`);
    return;
  }
  if (command === "down") {
    const stopped = await stopServices(config, instance);
    if (scale && (await stopRedis(config))) stopped.push("redis");
    if (scale && (await stopPostgres(config))) stopped.push("postgres");
    console.log(stopped.length ? stopped.map((n) => `stopped  ${n}`).join("\n") : "nothing of ours was running");
    return;
  }
  for (const s of [...(await status(config)), ...(scale ? await scaleStatus(config) : [])]) {
    const state = s.running ? "running" : "down";
    const owner = s.mode === "external" ? "external" : s.ours ? `ours, pid ${s.pid}` : s.running ? "not ours" : "-";
    console.log(`${s.name.padEnd(13)} ${state.padEnd(8)} ${owner.padEnd(16)} ${s.uri}${s.logFile ? `  log ${s.logFile}` : ""}`);
  }
}

main().catch((e: unknown) => {
  if (e instanceof ServiceError || e instanceof ConfigError) {
    console.error(`error: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});

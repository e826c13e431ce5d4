/**
 * `npm run serve`: ensures the services, builds the real dependencies and serves the API until
 * SIGINT/SIGTERM, then closes what it opened.
 */
import { loadServicesConfig } from "../services/index.js";
import { defaultAsOf } from "../world/loaded.js";
import { exitWithHelpIfAsked } from "../lib/env.js";
import { startServer } from "./index.js";

async function main(): Promise<void> {
  exitWithHelpIfAsked(
    "usage: npm run serve [-- --help]\n\nEnsures the services, builds the real dependencies and serves the HTTP API until SIGINT / SIGTERM.",
    ["services", "llm", "server", "tools"],
    ["START_PRESET"],
  );
  const server = await startServer({ defaultAsOf: defaultAsOf(process.env, loadServicesConfig().dataDir) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the server`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * One API replica for the scale tests (`server/scale.int.test.ts`), run as its own process:
 * the real server (`createEnvServerDeps` on the environment: Postgres, Redis, the test Neo4j and
 * embedding server) whose graph nodes are wrapped to record each node start as
 * `{pid, node, thread, userId}` in the Redis list `<REDIS_PREFIX>:test:nodes`, and, for the buyer
 * `REPLICA_SLOW_USER`, to hold the node `REPLICA_SLOW_NODE` for `REPLICA_SLOW_MS` the first time
 * any replica reaches it in a thread (so that the test can kill the replica mid-run). Prints
 * `READY <port>` when it listens.
 */
import { Redis } from "ioredis";
import { pino } from "pino";
import { NODES } from "../graph/builder.js";
import type { GraphState } from "../contracts/state.js";
import { parseServerEnv } from "../server/env.js";
import { startServer } from "../server/index.js";
import { createMetrics } from "../server/metrics.js";
import { createEnvServerDeps, type GraphNodes } from "../server/wiring.js";
import type { RunnableConfig } from "@langchain/core/runnables";

const env = parseServerEnv();
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error("REDIS_URL must be set for a replica");
const redis = new Redis(redisUrl);
const slowUser = process.env.REPLICA_SLOW_USER ?? "";
const slowNode = process.env.REPLICA_SLOW_NODE ?? "";
const slowMs = Number(process.env.REPLICA_SLOW_MS ?? "0");
const listKey = `${env.redisPrefix}:test:nodes`;

type NodeFn = (state: GraphState, config?: RunnableConfig) => Promise<unknown>;

const wrapped = Object.fromEntries(
  Object.entries(NODES).map(([name, fn]) => [
    name,
    async (state: GraphState, config?: RunnableConfig) => {
      const thread = String(config?.configurable?.thread_id ?? "");
      await redis.rpush(listKey, JSON.stringify({ pid: process.pid, node: name, thread, userId: state.userId, at: Date.now() }));
      if (name === slowNode && state.userId === slowUser) {
        const first = await redis.set(`${env.redisPrefix}:test:slowed:${thread}`, String(process.pid), "NX");
        if (first === "OK") await new Promise((r) => setTimeout(r, slowMs));
      }
      return (fn as NodeFn)(state, config);
    },
  ]),
) as unknown as GraphNodes;

const logger = pino({ level: env.logLevel });
const built = await createEnvServerDeps({ env, apiKeys: env.apiKeys, logger, metrics: createMetrics(), instance: "test", graphNodes: wrapped });
const server = await startServer({ deps: built.deps, port: env.port, print: null, logger });
console.log(`READY ${server.port}`);
const stop = async () => {
  await server.close();
  await built.close();
  await redis.quit();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

/**
 * `npm run bench:run-cost [-- --instance test --world tiny --buyers 20]`: the cost of one
 * near-line run, the input of docs/scale.md. On a loaded world it runs the graph sequentially per
 * buyer (analytic reasoner, after a warm-up) and prints per run: CPU ms of this process, of the
 * Neo4j and of the embedding server (from /proc), Neo4j statements (all READ-routed) and their
 * server time, HTTP requests to the embedding server; then, with the Postgres checkpointer on the
 * local Postgres (`services/scale.ts`, a throw-away database), checkpoint rows and bytes per run
 * and the latest-result row size; Redis bytes of a buyer's trigger keys; and, with prompts
 * rendered but not sent, LLM prompt tokens per run. Figures for the note, not a timed test.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { Redis } from "ioredis";
import pg from "pg";
import { createGraph } from "../graph/builder.js";
import { createPostgresCheckpointer } from "../graph/checkpointer.js";
import { createMemo } from "../lib/deps.js";
import { createEnvDeps } from "../graph/env-deps.js";
import type { GraphState } from "../contracts/state.js";
import { toResult } from "../graph/assemble.js";
import { createRunStep } from "../llm/run-step.js";
import { createPostgresPool, migratePostgres } from "../db/postgres.js";
import { createPostgresResultStore } from "../server/pg-store.js";
import { loadServicesConfig } from "../services/config.js";
import { embeddingsTarget } from "../services/embeddings.js";
import { neo4jTarget } from "../services/neo4j.js";
import { readPid } from "../services/process.js";
import { ensurePostgres, ensureRedis } from "../services/scale.js";
import { type GraphDeps } from "../contracts/deps.js";

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** utime + stime of a process in ms (clock ticks of 10 ms), or null. */
function procCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: "string", default: "tiny" },
      buyers: { type: "string", default: "20" },
      instance: { type: "string", default: "test" },
    },
  });
  const instance = values.instance === "dev" ? "dev" : "test";
  const cfg = loadServicesConfig();
  const dir = path.join(cfg.dataDir, "world", values.world!);
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { asOf: string };
  const buyers = readFileSync(path.join(dir, "buyers.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .slice(0, Number(values.buyers));
  const env = await createEnvDeps({ instance });
  const neoFiles = neo4jTarget(cfg, instance).files;
  const neoPid = neoFiles ? readPid(neoFiles.pidFile) : null;
  const embFiles = embeddingsTarget(cfg).files;
  const embPid = embFiles ? readPid(embFiles.pidFile) : null;
  const embBase = embeddingsTarget(cfg).baseUrl;

  let statements = 0;
  let neoServerMs = 0;
  const routings = new Set<string>();
  const execute = env.driver.executeQuery.bind(env.driver) as (...a: unknown[]) => Promise<{ summary: { resultAvailableAfter: unknown; resultConsumedAfter: unknown } }>;
  (env.driver as unknown as { executeQuery: (...a: unknown[]) => Promise<unknown> }).executeQuery = async (q, p, c) => {
    statements += 1;
    routings.add(String((c as { routing?: string } | undefined)?.routing));
    const r = await execute(q, p, c);
    neoServerMs += Number(r.summary.resultAvailableAfter) + Number(r.summary.resultConsumedAfter);
    return r;
  };
  let embeddingRequests = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(embBase)) embeddingRequests += 1;
    return realFetch(input, init);
  };

  try {
    const deps: GraphDeps = { ...env.deps, chatModel: () => undefined, memo: createMemo() };
    const plain = createGraph({ deps, checkpointer: false });
    for (const u of buyers.slice(0, 2)) await plain.invoke({ userId: u, asOf: manifest.asOf }, { configurable: { defaultReasoner: "analytic" } });

    statements = 0;
    neoServerMs = 0;
    embeddingRequests = 0;
    const cpu0 = process.cpuUsage();
    const neo0 = procCpuMs(neoPid);
    const emb0 = procCpuMs(embPid);
    const t0 = performance.now();
    for (const u of buyers) await plain.invoke({ userId: u, asOf: manifest.asOf }, { configurable: { defaultReasoner: "analytic" } });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const neo1 = procCpuMs(neoPid);
    const emb1 = procCpuMs(embPid);
    const n = buyers.length;
    console.log(`# bench:run-cost on world "${values.world}" (${n} buyers, asOf ${manifest.asOf}, analytic reasoner, sequential)`);
    console.log(`wall per run            ${(wall / n).toFixed(0)} ms`);
    console.log(`CPU per run, graph      ${((cpu.user + cpu.system) / 1000 / n).toFixed(0)} ms (user ${(cpu.user / 1000 / n).toFixed(0)}, system ${(cpu.system / 1000 / n).toFixed(0)})`);
    if (neo0 !== null && neo1 !== null) console.log(`CPU per run, Neo4j      ${((neo1 - neo0) / n).toFixed(0)} ms`);
    if (emb0 !== null && emb1 !== null) console.log(`CPU per run, embeddings ${((emb1 - emb0) / n).toFixed(0)} ms`);
    console.log(`Neo4j statements/run    ${(statements / n).toFixed(1)} (routing: ${[...routings].join(", ")}), server time ${(neoServerMs / n).toFixed(0)} ms/run`);
    console.log(`embedding requests/run  ${(embeddingRequests / n).toFixed(1)} (after the process's vector cache)`);

    const pgUp = await ensurePostgres(cfg);
    const dbName = `chrysalis_bench_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: pgUp.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const pool = createPostgresPool(pgUp.url.replace(/\/postgres$/, `/${dbName}`), 4);
    try {
      await migratePostgres(pool);
      const saver = createPostgresCheckpointer(pool);
      const store = createPostgresResultStore(pool);
      const checkpointed = createGraph({ deps, checkpointer: saver });
      const c0 = process.cpuUsage();
      const tp = performance.now();
      for (const u of buyers) {
        const state = (await checkpointed.invoke({ userId: u, asOf: manifest.asOf }, { configurable: { defaultReasoner: "analytic", thread_id: `bench-${u}` } })) as GraphState;
        await store.putLatest(toResult(state, { runId: `bench-${u}` }), "nearline");
      }
      const wallPg = performance.now() - tp;
      const cpuPg = process.cpuUsage(c0);
      const rows = await pool.query<{ t: string; n: string; bytes: string }>(
        `SELECT t, n, bytes FROM (
           SELECT 'checkpoints' AS t, (SELECT count(*) FROM checkpoints) AS n, pg_total_relation_size('checkpoints') AS bytes
           UNION ALL SELECT 'checkpoint_writes', (SELECT count(*) FROM checkpoint_writes), pg_total_relation_size('checkpoint_writes')
           UNION ALL SELECT 'checkpoint_blobs', (SELECT count(*) FROM checkpoint_blobs), pg_total_relation_size('checkpoint_blobs')
           UNION ALL SELECT 'latest_results', (SELECT count(*) FROM latest_results), pg_total_relation_size('latest_results')) s`,
      );
      const resultBytes = await pool.query<{ b: string }>("SELECT avg(pg_column_size(result))::bigint AS b FROM latest_results");
      console.log(`\n## with the Postgres checkpointer and results store`);
      console.log(`wall per run            ${(wallPg / n).toFixed(0)} ms; CPU per run (graph + pg client) ${((cpuPg.user + cpuPg.system) / 1000 / n).toFixed(0)} ms`);
      for (const r of rows.rows) console.log(`${r.t.padEnd(20)} ${(Number(r.n) / n).toFixed(1)} rows/run, ${(Number(r.bytes) / n / 1024).toFixed(1)} KiB/run (table + indexes)`);
      console.log(`latest result (jsonb, compressed) ${(Number(resultBytes.rows[0]?.b ?? 0) / 1024).toFixed(1)} KiB per buyer`);
    } finally {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }

    const redisUp = await ensureRedis(cfg);
    const redis = new Redis(redisUp.url);
    try {
      const p = `bench${randomUUID().slice(0, 6)}`;
      await redis.set(`${p}:views:b-000001`, "4");
      await redis.set(`${p}:lastrun:b-000001`, String(Date.now()));
      await redis.set(`${p}:seen:ev-000000000001`, "1", "EX", 86_400);
      const views = Number(await redis.memory("USAGE", `${p}:views:b-000001`));
      const last = Number(await redis.memory("USAGE", `${p}:lastrun:b-000001`));
      const seen = Number(await redis.memory("USAGE", `${p}:seen:ev-000000000001`));
      await redis.del(`${p}:views:b-000001`, `${p}:lastrun:b-000001`, `${p}:seen:ev-000000000001`);
      console.log(`\n## Redis`);
      console.log(`per buyer: views counter ${views} B + last-run stamp ${last} B; per event id remembered for a day ${seen} B`);
    } finally {
      await redis.quit();
    }

    const placeholder = new FakeListChatModel({ responses: ["{}"] });
    const dryDeps: GraphDeps = { ...env.deps, chatModel: () => placeholder, runStep: createRunStep({ dryRun: true }), dryRunPrompts: true, memo: createMemo() };
    const dry = createGraph({ deps: dryDeps, checkpointer: false });
    const tokens: number[] = [];
    const calls: number[] = [];
    for (const u of buyers) {
      const s = (await dry.invoke({ userId: u, asOf: manifest.asOf }, { configurable: { defaultReasoner: "auto" } })) as GraphState;
      tokens.push(s.steps.reduce((a, r) => a + r.promptTokens, 0));
      calls.push(s.steps.filter((r) => r.promptTokens > 0).length);
    }
    console.log(`\n## LLM mode (prompts rendered, not sent)`);
    console.log(`prompt tokens per run   mean ${mean(tokens).toFixed(0)} (max ${Math.max(...tokens)}), reasoning calls per run ${mean(calls).toFixed(1)}`);
  } finally {
    globalThis.fetch = realFetch;
    await env.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

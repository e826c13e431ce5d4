/**
 * `npm run bench:server [-- --instance test --duration 20 --invoke-rounds 1 --warm-rounds 0 --runner real|fake --cpu-prof <dir>]`:
 * autocannon on loopback against `POST /v1/events` for `--duration` seconds (batches of 100 view /
 * cart / order events on real items, for throw-away `bench-` buyers that are deleted afterwards)
 * and `POST /v1/users/{id}/invoke` from 32 connections at once over the `--invoke-buyers` (32) most
 * active buyers, `--invoke-rounds` requests each
 * (or for `--invoke-duration` seconds), each bounded by the 300 s invoke limit; with `--warm-rounds N`
 * invokes of the next `--invoke-buyers` most active buyers run N rounds first (their row is printed
 * as the warm-up), so that the measured row is a warm server's answering buyers it has not run. Prints throughput, p50/p99 latency, non-2xx
 * answers, errors and timeouts. The server runs in a child process (this script with `--serve`)
 * so that the load generator and the server do not share one event loop. `--soak N` runs N
 * seconds of mixed load in windows and prints memory and latency per window (see `soak`). `--runner fake` answers
 * invokes from a fixed-latency fake runner, which measures the serving layer alone. `--cpu-prof <dir>`
 * writes the server's V8 CPU profile there when it stops (open it in Chrome DevTools). After the
 * invokes it prints the CPU time per answered invoke of the server and of Neo4j.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { pino } from "pino";
import { createDriver, int, readQuery, writeQuery } from "../kg/driver.js";
import { ensureServices, type Instance } from "../services/index.js";
import { neo4jStatus } from "../services/neo4j.js";
import { parseServerEnv } from "../server/env.js";
import { createMetrics } from "../server/metrics.js";
import { startServer } from "../server/index.js";
import { createFakeRunner } from "../test/support/server.js";

const { values: args } = parseArgs({
  options: {
    instance: { type: "string", default: "dev" },
    duration: { type: "string", default: "20" },
    "invoke-duration": { type: "string", default: "0" },
    "invoke-rounds": { type: "string", default: "1" },
    "warm-rounds": { type: "string", default: "0" },
    "events-connections": { type: "string", default: "8" },
    "invoke-connections": { type: "string", default: "32" },
    "invoke-buyers": { type: "string", default: "32" },
    batch: { type: "string", default: "100" },
    runner: { type: "string", default: "real" },
    "event-tx": { type: "string", default: "" },
    "fake-ms": { type: "string", default: "200" },
    "as-of": { type: "string", default: "2025-06-01T00:00:00Z" },
    "skip-events": { type: "boolean", default: false },
    "skip-invoke": { type: "boolean", default: false },
    serve: { type: "boolean", default: false },
    soak: { type: "string", default: "0" },
    "soak-interval": { type: "string", default: "30" },
    "cpu-prof": { type: "string", default: "" },
  },
});

const instance = (args.instance === "test" ? "test" : "dev") as Instance;
if (!Number.isInteger(Number(args["invoke-buyers"])) || Number(args["invoke-buyers"]) < 1) throw new Error(`--invoke-buyers must be a positive integer, got "${args["invoke-buyers"]}"`);
const KEY = `bench-${randomUUID()}`;
const INVOKE_TIMEOUT_MS = 300_000;

/** Child mode: start the server with bench limits and print its URL as one JSON line. */
async function serve(): Promise<void> {
  const env = { ...process.env, API_KEYS: KEY, LOG_LEVEL: "warn", TRIGGER_ENABLED: "false", RATE_LIMIT_PER_SECOND: "1000000", RATE_LIMIT_BURST: "1000000", EVENTS_RATE_LIMIT_PER_SECOND: "10000000", EVENTS_RATE_LIMIT_BURST: "100000000", INVOKE_TIMEOUT_MS: String(INVOKE_TIMEOUT_MS), EVENTS_MAX_BATCH: "10000", BODY_LIMIT_BYTES: String(16 * 1024 * 1024) };
  const serverEnv = parseServerEnv(env);
  const logger = pino({ level: "warn" });
  const { createEnvServerDeps } = await import("../server/wiring.js");
  const built = await createEnvServerDeps({ env: { ...serverEnv, dbPath: serverEnv.dbPath ?? ":memory:" }, apiKeys: [KEY], logger, metrics: createMetrics(), instance, eventWriter: args["event-tx"] ? { concurrency: Number(args["event-tx"]) } : {} });
  const deps = args.runner === "fake" ? { ...built.deps, runner: createFakeRunner({ stepMs: Number(args["fake-ms"]) / 4 }) } : built.deps;
  const server = await startServer({ deps, port: 0, host: "127.0.0.1", print: null, env });
  process.stdout.write(`${JSON.stringify({ url: server.url, key: KEY })}\n`);
  const stop = () => {
    void server.close().then(() => built.close()).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** Resident memory of a process in MiB, from `/proc` (null where unavailable). */
function rssMiB(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a process has used so far, from `/proc` (null where unavailable). */
function cpuMs(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface Row {
  scenario: string;
  seconds: number;
  requests: number;
  reqPerS: number;
  eventsPerS: number | null;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function row(scenario: string, r: autocannon.Result, eventsPerRequest: number | null): Row {
  const ok = r["2xx"];
  return {
    scenario,
    seconds: r.duration,
    requests: r.requests.total,
    reqPerS: Math.round((ok / r.duration) * 10) / 10,
    eventsPerS: eventsPerRequest === null ? null : Math.round((ok * eventsPerRequest) / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

async function main(): Promise<void> {
  if (args.serve) return serve();
  const services = await ensureServices({ instance, embeddings: false });
  const driver = createDriver({ uri: services.neo4jUri, user: services.neo4jAuth.user, password: services.neo4jAuth.password });
  const rows: Row[] = [];
  const profile = args["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", args["cpu-prof"]] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", fileURLToPath(import.meta.url), "--serve", "--instance", instance, "--runner", String(args.runner), "--fake-ms", String(args["fake-ms"]), "--event-tx", String(args["event-tx"])], {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  });
  try {
    const items = (await readQuery(driver, "MATCH (i:Item) RETURN i.id AS id ORDER BY i.id LIMIT 500")).map((r) => r.id as string);
    const invokeBuyers = Math.max(5, Number(args["invoke-buyers"]));
    const ranked = (await readQuery(driver, "MATCH (u:User)-[b:BEHAVED]->() WITH u, count(b) AS n WHERE n > 0 RETURN u.id AS id ORDER BY n DESC, u.id LIMIT $n", { n: int(2 * invokeBuyers) })).map((r) => r.id as string);
    const buyers = ranked.slice(0, invokeBuyers);
    const warmBuyers = ranked.length >= 2 * invokeBuyers ? ranked.slice(invokeBuyers) : buyers;
    if (items.length === 0 || buyers.length === 0) throw new Error("the graph holds no world: run `npm start` (or `npm run kg:load -- --preset tiny`) first, or pass --instance test");

    const { url, key } = await new Promise<{ url: string; key: string }>((resolve, reject) => {
      let buf = "";
      child.stdout?.on("data", (b: Buffer) => {
        buf += b.toString();
        const line = buf.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line) as { url: string; key: string });
      });
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
    console.log(`server ${url} (runner: ${args.runner}, Neo4j ${services.neo4jUri}), ${items.length} items, buyers ${buyers.join(", ")}`);

    if (Number(args.soak) > 0) {
      await soak({ driver, url, headers, items, buyers: buyers.slice(0, 5), pid: child.pid, seconds: Number(args.soak), interval: Number(args["soak-interval"]) });
      return;
    }

    if (!args["skip-events"]) {
      const batch = Number(args.batch);
      const run = randomUUID().slice(0, 8);
      let seq = 0;
      const types = ["view", "view", "view", "cart", "order"] as const;
      const body = () =>
        JSON.stringify({
          events: Array.from({ length: batch }, () => {
            const n = seq++;
            const type = types[n % types.length];
            return {
              eventId: `bench-${run}-${n}`,
              userId: `bench-${run}-u${n % 200}`,
              type,
              itemId: items[n % items.length],
              at: "2025-05-31T12:00:00Z",
              ...(type === "view" ? { dwellS: 5 + (n % 60) } : {}),
              ...(type === "order" ? { quantity: 10, amount: 99.5 } : {}),
            };
          }),
        });
      const neo4jPid = (await neo4jStatus(services.config, instance)).pid;
      const cpuBefore = { server: cpuMs(child.pid), neo4j: cpuMs(neo4jPid) };
      const r = await autocannon({
        url: `${url}/v1/events`,
        method: "POST",
        headers,
        connections: Number(args["events-connections"]),
        duration: Number(args.duration),
        timeout: 60,
        requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
      });
      rows.push(row(`POST /v1/events (batch ${batch}, ${args["events-connections"]} conns)`, r, batch));
      const per1000 = (after: number | null, before: number | null) =>
        after === null || before === null ? "n/a" : ((after - before) / ((r["2xx"] * batch) / 1000)).toFixed(1);
      console.log(
        `CPU ms per 1,000 events stored: server ${per1000(cpuMs(child.pid), cpuBefore.server)}, Neo4j ${per1000(cpuMs(neo4jPid), cpuBefore.neo4j)}; ` +
          `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on a machine with shared cores`,
      );
      const stored = await readQuery(driver, "MATCH (u:User)-[b:BEHAVED]->() WHERE u.id STARTS WITH $p RETURN count(b) AS n", { p: `bench-${run}-` });
      console.log(`events stored in Neo4j: ${String(stored[0]?.n)} (answered 2xx x batch: ${r["2xx"] * batch})`);
      await writeQuery(driver, "MATCH (u:User) WHERE u.id STARTS WITH $p DETACH DELETE u", { p: `bench-${run}-` });
    }

    if (!args["skip-invoke"]) {
      const neo4jPid = (await neo4jStatus(services.config, instance)).pid;
      const warmRounds = Number(args["warm-rounds"]);
      if (!Number.isInteger(warmRounds) || warmRounds < 0) throw new Error(`--warm-rounds must be a non-negative integer, got "${args["warm-rounds"]}"`);
      if (warmRounds > 0) {
        if (warmBuyers === buyers) console.log("warm-up on the measured buyers (the graph has too few buyers for other ones)");
        rows.push(await invokes(url, headers, warmBuyers, neo4jPid, child.pid, warmRounds, warmBuyers === buyers ? "warm-up" : "warm-up (other buyers)"));
      }
      rows.push(await invokes(url, headers, buyers, neo4jPid, child.pid, Number(args["invoke-rounds"]), warmRounds > 0 ? "measured" : ""));
    }
    console.table(rows);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await driver.close();
    await services.stop();
  }
}

/** `--invoke-connections` connections invoking the buyers `rounds` times each; prints the CPU per answered invoke of the server and of Neo4j. */
async function invokes(url: string, headers: Record<string, string>, buyers: string[], neo4jPid: number | null | undefined, serverPid: number | undefined, rounds: number, label: string): Promise<Row> {
  let n = 0;
  const cpuBefore = { server: cpuMs(serverPid), neo4j: cpuMs(neo4jPid) };
  const r = await autocannon({
    url: `${url}/v1/users/${buyers[0]}/invoke`,
    method: "POST",
    headers,
    connections: Number(args["invoke-connections"]),
    ...(Number(args["invoke-duration"]) > 0
      ? { duration: Number(args["invoke-duration"]) }
      : { amount: Number(args["invoke-connections"]) * rounds }),
    timeout: INVOKE_TIMEOUT_MS / 1000,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          path: `/v1/users/${buyers[n++ % Math.min(buyers.length, Number(args["invoke-buyers"]))]}/invoke`,
          body: JSON.stringify({ asOf: args["as-of"] }),
        }),
      },
    ],
  });
  const result = row(`POST /v1/users/{id}/invoke (${args["invoke-connections"]} conns, ${Math.min(buyers.length, Number(args["invoke-buyers"]))} buyers, ${rounds} round${rounds === 1 ? "" : "s"}, runner ${args.runner})${label ? ` ${label}` : ""}`, r, null);
  const perInvoke = (after: number | null, before: number | null) => (after === null || before === null || r["2xx"] === 0 ? "n/a" : ((after - before) / r["2xx"]).toFixed(0));
  console.log(
    `${label ? `${label}: ` : ""}CPU ms per invoke answered 2xx: server ${perInvoke(cpuMs(serverPid), cpuBefore.server)}, Neo4j ${perInvoke(cpuMs(neo4jPid), cpuBefore.neo4j)}; ` +
      `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  return result;
}

/**
 * `--soak N`: N seconds of steady mixed load in `--soak-interval` windows — event batches of
 * `--batch` from `--events-connections` connections, and one invoke per buyer per window — with
 * the server's resident memory and each window's latency printed, to show whether memory or
 * latency drift over time. Removes its throw-away buyers afterwards.
 */
async function soak(o: { driver: ReturnType<typeof createDriver>; url: string; headers: Record<string, string>; items: string[]; buyers: string[]; pid: number | undefined; seconds: number; interval: number }): Promise<void> {
  const batch = Number(args.batch);
  const run = randomUUID().slice(0, 8);
  let seq = 0;
  const body = () =>
    JSON.stringify({
      events: Array.from({ length: batch }, () => {
        const n = seq++;
        return { eventId: `soak-${run}-${n}`, userId: `soak-${run}-u${n % 200}`, type: "view", itemId: o.items[n % o.items.length], at: "2025-05-31T12:00:00Z", dwellS: 5 + (n % 60) };
      }),
    });
  const rows: Record<string, number | string | null>[] = [{ t: 0, rssMiB: rssMiB(o.pid) }];
  try {
    for (let t = o.interval; t <= o.seconds; t += o.interval) {
      const invokeMs: number[] = [];
      const invokes = Promise.all(
        o.buyers.map(async (b, i) => {
          const t0 = performance.now();
          const res = await fetch(`${o.url}/v1/users/${b}/invoke`, { method: "POST", headers: o.headers, body: JSON.stringify({ asOf: args["as-of"], config: { queryCount: 8 + ((t / o.interval + i) % 4) } }) });
          await res.arrayBuffer();
          invokeMs.push(res.ok ? performance.now() - t0 : Number.NaN);
        }),
      );
      const r = await autocannon({
        url: `${o.url}/v1/events`,
        method: "POST",
        headers: o.headers,
        connections: Number(args["events-connections"]),
        duration: o.interval,
        timeout: 60,
        requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
      });
      await invokes;
      rows.push({
        t,
        rssMiB: rssMiB(o.pid),
        eventsPerS: Math.round((r["2xx"] * batch) / r.duration),
        eventsP50: r.latency.p50,
        eventsP99: r.latency.p99,
        non2xx: r.non2xx + r.errors + r.timeouts,
        invokes: invokeMs.length,
        invokeMaxMs: Math.round(Math.max(...invokeMs)),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
    console.table(rows);
  } finally {
    await writeQuery(o.driver, "MATCH (u:User) WHERE u.id STARTS WITH $p DETACH DELETE u", { p: `soak-${run}-` });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

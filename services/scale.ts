/**
 * The scale-out engines as local processes: PostgreSQL 15 (Debian binaries in
 * `/usr/lib/postgresql/<v>/bin`, `initdb` into `<DATA_DIR>/postgres-<port>`, TCP on 127.0.0.1
 * only, trust auth for the local user `chrysalis`) and Redis (`redis-server`, data in
 * `<DATA_DIR>/redis-<port>`, `noeviction` as BullMQ requires). Postgres refuses to run as root,
 * so under root its data directory is owned by the `postgres` OS user and the server is exec'd
 * through `setpriv` as that user. Start, reuse, readiness, stop and status, with the pid, log and
 * lock files of `services/process.ts` under `<DATA_DIR>/run/`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT, type ServicesConfig } from "./config.js";
import type { ServiceStatus } from "./neo4j.js";
import {
  ServiceError,
  commandExists,
  decidePort,
  formatTail,
  isAlive,
  leases,
  livePid,
  portOpen,
  portTakenError,
  releaseInstance,
  removePid,
  runFiles,
  spawnDetached,
  stopPid,
  tailFile,
  waitUntil,
  withLock,
  writePid,
} from "./process.js";

export const POSTGRES_USER = "chrysalis";
const READY_TIMEOUT_MS = 60_000;

/** One started (or reused) local engine. */
export interface LocalEngineUp {
  url: string;
  started: boolean;
  pid: number;
}

/** The directory of the newest installed Debian PostgreSQL binaries, or null. */
export function postgresBinDir(root = "/usr/lib/postgresql"): string | null {
  let versions: string[];
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, "bin");
    if (fs.existsSync(path.join(bin, "postgres")) && fs.existsSync(path.join(bin, "initdb"))) return bin;
  }
  return null;
}

/** The OS user Postgres runs as: ourselves, or `postgres` when we are root. */
function postgresOsUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) {
    throw new ServiceError("running as root, but there is no `postgres` OS user to run PostgreSQL as. Fix: `apt-get install postgresql` (creates it), or run as a non-root user.");
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()), name: "postgres" };
}

/** Paths of the local Postgres on `cfg.postgres.port`. */
export function postgresTarget(cfg: ServicesConfig) {
  const port = cfg.postgres.port;
  return {
    port,
    dataDir: path.join(cfg.dataDir, `postgres-${port}`),
    files: runFiles(cfg.dataDir, `postgres-${port}`),
    url: `postgres://${POSTGRES_USER}@127.0.0.1:${port}/postgres`,
  };
}

/** Paths of the local Redis on `cfg.redis.port`. */
export function redisTarget(cfg: ServicesConfig) {
  const port = cfg.redis.port;
  return {
    port,
    dataDir: path.join(cfg.dataDir, `redis-${port}`),
    files: runFiles(cfg.dataDir, `redis-${port}`),
    url: `redis://127.0.0.1:${port}`,
  };
}

/** Sends one RESP `PING` and resolves true on `+PONG`. */
export function redisAnswers(port: number, host = "127.0.0.1", timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    let buf = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (d) => {
      buf += d.toString("utf8");
      if (buf.includes("\r\n")) done(buf.startsWith("+PONG"));
    });
  });
}

/** True when `pg_isready` reports the server accepting connections. */
function postgresAnswers(bin: string, port: number): boolean {
  const r = spawnSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", POSTGRES_USER, "-d", "postgres", "-t", "2"], { stdio: "ignore" });
  return r.status === 0;
}

function requirePostgresBin(): string {
  const bin = postgresBinDir();
  if (!bin) {
    throw new ServiceError("PostgreSQL binaries not found under /usr/lib/postgresql/<version>/bin. Fix: `apt-get install postgresql` (the CI script does), or set POSTGRES_URL to an existing server.");
  }
  return bin;
}

function initPostgres(bin: string, dataDir: string, logFile: string): void {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return;
  const owner = postgresOsUser();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(dataDir, owner.uid, owner.gid);
  const args = ["-D", dataDir, "-U", POSTGRES_USER, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"];
  const r = spawnSync(path.join(bin, "initdb"), args, { encoding: "utf8", ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), cwd: os.tmpdir() });
  fs.appendFileSync(logFile, `\n=== initdb\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  if (r.status !== 0) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new ServiceError(`initdb failed (exit ${r.status}): ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" ")}`);
  }
}

/** Makes sure the local Postgres answers: reuses ours, or initialises and starts one. */
export async function ensurePostgres(cfg: ServicesConfig): Promise<LocalEngineUp> {
  const bin = requirePostgresBin();
  const t = postgresTarget(cfg);
  return withLock(t.files.lockDir, async () => {
    const ourPid = livePid(t.files.pidFile, t.dataDir);
    const open = await portOpen(t.port);
    const answers = open && postgresAnswers(bin, t.port);
    const decision = decidePort({ ourPid, portOpen: open, answers });
    if (decision === "reuse" && ourPid !== null) {
      leases.add(t.files.leaseDir);
      return { url: t.url, started: false, pid: ourPid };
    }
    if (decision === "taken") {
      throw portTakenError({ service: "PostgreSQL", port: t.port, pidFile: t.files.pidFile, answers, portVar: "POSTGRES_PORT", external: `POSTGRES_URL=${t.url}` });
    }
    let pid = ourPid;
    if (pid === null) {
      fs.mkdirSync(path.dirname(t.files.logFile), { recursive: true });
      initPostgres(bin, t.dataDir, t.files.logFile);
      const owner = postgresOsUser();
      const serverArgs = [
        "-D", t.dataDir,
        "-p", String(t.port),
        "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=",
        "-c", "max_connections=200",
        "-c", "shared_buffers=64MB",
        "-c", "fsync=on",
      ];
      const postgres = path.join(bin, "postgres");
      pid = owner
        ? spawnDetached("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", postgres, ...serverArgs], { logFile: t.files.logFile, cwd: os.tmpdir() })
        : spawnDetached(postgres, serverArgs, { logFile: t.files.logFile, cwd: PROJECT_ROOT });
      writePid(t.files.pidFile, pid);
    }
    const started = ourPid === null;
    const runningPid = pid;
    try {
      await waitUntil({
        check: async () => postgresAnswers(bin, t.port),
        alive: () => isAlive(runningPid),
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 300,
        onTimeout: () => new ServiceError(`the local Postgres (pid ${runningPid}) did not accept connections on port ${t.port} within ${READY_TIMEOUT_MS / 1000} s. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
        onDead: () => new ServiceError(`the local Postgres (pid ${runningPid}) exited before accepting connections on port ${t.port}. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
      });
    } catch (e) {
      if (started) {
        await stopPostgresPid(runningPid);
        removePid(t.files.pidFile);
      }
      throw e;
    }
    if (started) fs.rmSync(t.files.releasedFlag, { force: true });
    leases.add(t.files.leaseDir);
    return { url: t.url, started, pid: runningPid };
  });
}

/**
 * Drops this process's lease on the local Postgres; stops it (smart shutdown: after the last
 * client disconnects) when this process started it and no other live process uses it.
 */
export function releasePostgres(cfg: ServicesConfig, startedByUs: boolean): Promise<boolean> {
  const t = postgresTarget(cfg);
  return releaseInstance(t.files, t.dataDir, "the local Postgres", startedByUs, 30_000);
}

/** Drops this process's lease on the local Redis; stops it when this process started it and no other live process uses it. */
export function releaseRedis(cfg: ServicesConfig, startedByUs: boolean): Promise<boolean> {
  const t = redisTarget(cfg);
  return releaseInstance(t.files, `:${t.port}`, "the local Redis", startedByUs, 15_000);
}

/** Postgres's fast shutdown (SIGINT: disconnect clients, checkpoint), then SIGKILL after the timeout. */
function stopPostgresPid(pid: number, timeoutMs = 30_000): Promise<boolean> {
  return stopPid(pid, timeoutMs, "SIGINT");
}

/** Stops our local Postgres; true when one was running. */
export async function stopPostgres(cfg: ServicesConfig): Promise<boolean> {
  const t = postgresTarget(cfg);
  return withLock(t.files.lockDir, async () => {
    const pid = livePid(t.files.pidFile, t.dataDir);
    if (pid !== null && !(await stopPostgresPid(pid))) throw new ServiceError(`could not stop the local Postgres (pid ${pid}).`);
    removePid(t.files.pidFile);
    return pid !== null;
  });
}

/** Makes sure the local Redis answers PING: reuses ours, or starts one. */
export async function ensureRedis(cfg: ServicesConfig): Promise<LocalEngineUp> {
  if (!commandExists("redis-server", ["--version"])) {
    throw new ServiceError("redis-server not found. Fix: `apt-get install redis-server` (the CI script does), or set REDIS_URL to an existing Redis 6.2+.");
  }
  const t = redisTarget(cfg);
  return withLock(t.files.lockDir, async () => {
    const ourPid = livePid(t.files.pidFile, `:${t.port}`);
    const open = await portOpen(t.port);
    const answers = open && (await redisAnswers(t.port));
    const decision = decidePort({ ourPid, portOpen: open, answers });
    if (decision === "reuse" && ourPid !== null) {
      leases.add(t.files.leaseDir);
      return { url: t.url, started: false, pid: ourPid };
    }
    if (decision === "taken") {
      throw portTakenError({ service: "Redis", port: t.port, pidFile: t.files.pidFile, answers, portVar: "REDIS_PORT", external: `REDIS_URL=${t.url}` });
    }
    let pid = ourPid;
    if (pid === null) {
      fs.mkdirSync(t.dataDir, { recursive: true });
      pid = spawnDetached(
        "redis-server",
        ["--bind", "127.0.0.1", "--port", String(t.port), "--dir", t.dataDir, "--daemonize", "no", "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction", "--protected-mode", "yes"],
        { logFile: t.files.logFile, cwd: t.dataDir },
      );
      writePid(t.files.pidFile, pid);
    }
    const started = ourPid === null;
    const runningPid = pid;
    try {
      await waitUntil({
        check: () => redisAnswers(t.port),
        alive: () => isAlive(runningPid),
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 200,
        onTimeout: () => new ServiceError(`the local Redis (pid ${runningPid}) did not answer PING on port ${t.port}. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
        onDead: () => new ServiceError(`the local Redis (pid ${runningPid}) exited before answering on port ${t.port}. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
      });
    } catch (e) {
      if (started) {
        await stopPid(runningPid, 5000);
        removePid(t.files.pidFile);
      }
      throw e;
    }
    if (started) fs.rmSync(t.files.releasedFlag, { force: true });
    leases.add(t.files.leaseDir);
    return { url: t.url, started, pid: runningPid };
  });
}

/** Stops our local Redis; true when one was running. */
export async function stopRedis(cfg: ServicesConfig): Promise<boolean> {
  const t = redisTarget(cfg);
  return withLock(t.files.lockDir, async () => {
    const pid = livePid(t.files.pidFile, `:${t.port}`);
    if (pid !== null && !(await stopPid(pid, 15_000))) throw new ServiceError(`could not stop the local Redis (pid ${pid}).`);
    removePid(t.files.pidFile);
    return pid !== null;
  });
}

/** Status lines of the local Postgres and Redis (or of the configured servers). */
export async function scaleStatus(cfg: ServicesConfig): Promise<ServiceStatus[]> {
  const pg = postgresTarget(cfg);
  const rd = redisTarget(cfg);
  const pgPid = livePid(pg.files.pidFile, pg.dataDir);
  const bin = postgresBinDir();
  const rdPid = livePid(rd.files.pidFile, `:${rd.port}`);
  return [
    { name: "postgres", mode: "embedded", running: bin !== null && postgresAnswers(bin, pg.port), ours: pgPid !== null, pid: pgPid, port: pg.port, uri: pg.url, logFile: pg.files.logFile },
    { name: "redis", mode: "embedded", running: await redisAnswers(rd.port), ours: rdPid !== null, pid: rdPid, port: rd.port, uri: rd.url, logFile: rd.files.logFile },
  ];
}

/**
 * Process plumbing shared by the service managers: pid files, liveness, detached spawning,
 * polling for readiness, stopping with SIGTERM then SIGKILL, log tails, port probes.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** An expected failure: a message that names the cause and the fix, shown without a stack. */
export class ServiceError extends Error {
  override name = "ServiceError";
}

/** Run-time files of one service instance under `<dataDir>/run/`. */
export interface RunFiles {
  pidFile: string;
  logFile: string;
  /** Held while the instance is checked, started or released. */
  lockDir: string;
  /** One file per live process that ensured the instance. */
  leaseDir: string;
  /** Present when the process that started the instance released it while others still used it. */
  releasedFlag: string;
}

/** `<dataDir>/run/<name>.pid`, `.log`, `.lock`, `.leases/`, `.released`. */
export function runFiles(dataDir: string, name: string): RunFiles {
  const base = path.join(dataDir, "run", name);
  return {
    pidFile: `${base}.pid`,
    logFile: `${base}.log`,
    lockDir: `${base}.lock`,
    leaseDir: `${base}.leases`,
    releasedFlag: `${base}.released`,
  };
}

/**
 * Pure decision on release: a process drops its lease; the instance is stopped when it was
 * started by this process or released earlier by its starter, and no other live process holds a
 * lease; otherwise a starter leaves the released flag for the last holder.
 */
export function decideRelease(o: { startedByUs: boolean; releasedBefore: boolean; otherLiveLeases: number }): "stop" | "flag" | "keep" {
  if (!o.startedByUs && !o.releasedBefore) return "keep";
  if (o.otherLiveLeases > 0) return o.startedByUs ? "flag" : "keep";
  return "stop";
}

/** The pid in a pid file, or null when absent or unreadable. */
export function readPid(pidFile: string): number | null {
  try {
    const n = Number.parseInt(fs.readFileSync(pidFile, "utf8").trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

export function writePid(pidFile: string, pid: number): void {
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, `${pid}\n`);
}

export function removePid(pidFile: string): void {
  fs.rmSync(pidFile, { force: true });
}

/** True when the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/** The command line of a process (NUL-separated args joined by spaces), or "" when unknown. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/**
 * The live pid recorded in `pidFile` whose command line contains `marker`; a stale pid file
 * (dead process, or a recycled pid running something else) is removed and null returned.
 */
export function livePid(pidFile: string, marker: string): number | null {
  const pid = readPid(pidFile);
  if (pid === null) return null;
  if (isAlive(pid) && commandLine(pid).includes(marker)) return pid;
  removePid(pidFile);
  return null;
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(port: number, host = "127.0.0.1", timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The last `n` non-empty lines of a text. */
export function lastLines(text: string, n: number): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.slice(Math.max(0, lines.length - n));
}

/** The last `n` lines of a file (reads at most its last 64 KiB), or [] when it is missing. */
export function tailFile(file: string, n = 20): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    return lastLines(buf.toString("utf8"), n);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Formats log lines for an error message. */
export function formatTail(file: string, lines: string[]): string {
  if (lines.length === 0) return `(log ${file} is empty)`;
  return `last ${lines.length} lines of ${file}:\n    ${lines.join("\n    ")}`;
}

/**
 * Spawns a detached process (its own process group, not killed with ours) whose stdout and
 * stderr append to `logFile`; returns its pid.
 */
export function spawnDetached(
  cmd: string,
  args: string[],
  opts: { logFile: string; cwd: string; env?: NodeJS.ProcessEnv },
): number {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, "a");
  try {
    fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${cmd} ${args.join(" ")}\n`);
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    child.on("error", () => undefined);
    child.unref();
    if (child.pid === undefined) throw new ServiceError(`could not start ${cmd}: is it installed and on PATH?`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/** Resolves when `check` returns true; throws `onTimeout()` after `timeoutMs`, or `onDead()` when `alive()` turns false. */
export async function waitUntil(opts: {
  check: () => Promise<boolean>;
  timeoutMs: number;
  intervalMs?: number;
  alive?: () => boolean;
  onTimeout: () => Error;
  onDead?: () => Error;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await opts.check()) return;
    if (opts.alive && !opts.alive()) {
      if (await opts.check()) return;
      throw (opts.onDead ?? opts.onTimeout)();
    }
    if (Date.now() >= deadline) throw opts.onTimeout();
    await sleep(opts.intervalMs ?? 500);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `signal` (default SIGTERM), wait up to `timeoutMs` for exit, then SIGKILL; true when the process is gone. */
export async function stopPid(pid: number, timeoutMs = 30_000, signal: NodeJS.Signals = "SIGTERM"): Promise<boolean> {
  if (!isAlive(pid)) return true;
  try {
    process.kill(pid, signal);
  } catch {
    return !isAlive(pid);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(200);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 25 && isAlive(pid); i++) await sleep(200);
  return !isAlive(pid);
}

/** Runs a command to completion with inherited stderr; returns its exit code (null: not found). */
export function runToCompletion(cmd: string, args: string[], cwd: string): number | null {
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") return null;
  return r.status ?? 1;
}

/** True when `cmd` can be executed (found on PATH). */
export function commandExists(cmd: string, versionArgs: string[] = ["--version"]): boolean {
  const r = spawnSync(cmd, versionArgs, { stdio: "ignore" });
  return !(r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT");
}

/** What to do about a service port, from what we observe. */
export type PortDecision = "reuse" | "wait" | "start" | "taken";

/**
 * Pure decision: reuse our live, answering server; wait for our live server that does not
 * answer yet; start when the port is free; report the port taken when something that is not
 * ours holds it.
 */
export function decidePort(obs: { ourPid: number | null; portOpen: boolean; answers: boolean }): PortDecision {
  if (obs.ourPid !== null) return obs.answers ? "reuse" : "wait";
  return obs.portOpen ? "taken" : "start";
}

/** Resident set size in KiB of a process (VmRSS from /proc), or null. */
export function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The error for a port held by a process that is not ours: names the port, what holds it and
 * the fixes (stop it, move our port, or use it as an external server when it answers).
 */
export function portTakenError(o: {
  service: string;
  port: number;
  pidFile: string;
  answers: boolean;
  portVar: string;
  external: string;
}): ServiceError {
  const what = o.answers
    ? `it answers ${o.service}, but we did not start it (no live pid file ${o.pidFile})`
    : `it does not answer ${o.service} and we did not start it (no live pid file ${o.pidFile})`;
  const fixes = [`stop the process on port ${o.port}`, `set ${o.portVar} to a free port`];
  if (o.answers) fixes.push(`set ${o.external} to use it as an external server`);
  return new ServiceError(`port ${o.port} is taken: ${what}. Fix: ${fixes.join(", or ")}.`);
}

/**
 * Runs `fn` holding a cross-process lock (an atomically created directory holding the owner's
 * pid). A lock whose owner died is taken over; waiting longer than `timeoutMs` fails.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const ownerFile = path.join(lockDir, "pid");
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readPid(ownerFile);
      const ageMs = lockAgeMs(lockDir);
      if ((owner !== null && !isAlive(owner)) || (owner === null && ageMs > 10_000)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new ServiceError(`gave up waiting for ${lockDir} (held by pid ${owner ?? "?"}). Fix: wait for that process, or remove the directory if it is not running.`);
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockAgeMs(dir: string): number {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

/** Leases: which live processes use a service (`<dir>/<pid>` files). */
export const leases = {
  add(dir: string, pid: number = process.pid): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, String(pid)), "");
  },
  remove(dir: string, pid: number = process.pid): void {
    fs.rmSync(path.join(dir, String(pid)), { force: true });
  },
  /** Pids of live holders; leases of dead processes are removed. */
  live(dir: string): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    const pids: number[] = [];
    for (const name of names) {
      const pid = Number.parseInt(name, 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) pids.push(pid);
      else fs.rmSync(path.join(dir, name), { force: true });
    }
    return pids;
  },
};

/** Stops the instance named by a pid file (SIGTERM, then SIGKILL), clearing its run files; true when one was running. */
export async function stopInstance(files: RunFiles, marker: string, label: string, timeoutMs: number): Promise<boolean> {
  const pid = livePid(files.pidFile, marker);
  if (pid !== null && !(await stopPid(pid, timeoutMs))) {
    throw new ServiceError(`could not stop ${label} (pid ${pid}) even with SIGKILL.`);
  }
  removePid(files.pidFile);
  fs.rmSync(files.releasedFlag, { force: true });
  return pid !== null;
}

/** Drops this process's lease and stops the instance when `decideRelease` says so; true when stopped. */
export async function releaseInstance(
  files: RunFiles,
  marker: string,
  label: string,
  startedByUs: boolean,
  timeoutMs: number,
): Promise<boolean> {
  return withLock(files.lockDir, async () => {
    leases.remove(files.leaseDir);
    const decision = decideRelease({
      startedByUs,
      releasedBefore: fs.existsSync(files.releasedFlag),
      otherLiveLeases: leases.live(files.leaseDir).length,
    });
    if (decision === "keep") return false;
    if (decision === "flag") {
      fs.writeFileSync(files.releasedFlag, "");
      return false;
    }
    return stopInstance(files, marker, label, timeoutMs);
  });
}

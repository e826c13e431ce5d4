/**
 * Neo4j: the embedded launcher (`kg/neo4j/`, built once with Maven, run with plain `java -cp`,
 * detached) or a configured server (`NEO4J_URI`). Start, reuse, readiness (`RETURN 1` over
 * Bolt), stop, status.
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import neo4j from "neo4j-driver";
import { PROJECT_ROOT, type ServicesConfig } from "./config.js";
import {
  ServiceError,
  commandExists,
  decidePort,
  formatTail,
  isAlive,
  leases,
  livePid,
  releaseInstance,
  portTakenError,
  portOpen,
  removePid,
  runFiles,
  runToCompletion,
  spawnDetached,
  stopInstance,
  stopPid,
  tailFile,
  waitUntil,
  withLock,
  writePid,
  type RunFiles,
} from "./process.js";

/** Which embedded database: the dev/demo one or the one tests use. */
export type Instance = "dev" | "test";

/** Marker found in the launcher's command line. */
export const NEO4J_MARKER = "chrysalis.Neo4jLauncher";

const LAUNCHER_DIR = path.join(PROJECT_ROOT, "kg", "neo4j");
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

/** Credentials for the driver. */
export interface Neo4jAuth {
  user: string;
  password: string;
}

/** Where an instance lives: port, URI, data dir and run files. */
export interface Neo4jTarget {
  embedded: boolean;
  uri: string;
  auth: Neo4jAuth;
  port: number | null;
  dataDir: string | null;
  files: RunFiles | null;
}

/** Resolves the target of an instance from the config. */
export function neo4jTarget(cfg: ServicesConfig, instance: Instance): Neo4jTarget {
  const auth = { user: cfg.neo4j.user, password: cfg.neo4j.password };
  if (cfg.neo4j.uri) return { embedded: false, uri: cfg.neo4j.uri, auth, port: null, dataDir: null, files: null };
  const port = instance === "test" ? cfg.neo4j.testBoltPort : cfg.neo4j.boltPort;
  return {
    embedded: true,
    uri: `bolt://127.0.0.1:${port}`,
    auth,
    port,
    dataDir: path.join(cfg.dataDir, instance === "test" ? "neo4j-test" : "neo4j"),
    files: runFiles(cfg.dataDir, `neo4j-${port}`),
  };
}

/** True when the server at `uri` answers `RETURN 1`. */
export async function boltAnswers(uri: string, auth: Neo4jAuth, timeoutMs = 3000): Promise<boolean> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(auth.user, auth.password), {
    connectionTimeout: timeoutMs,
    connectionAcquisitionTimeout: timeoutMs,
    maxConnectionPoolSize: 1,
  });
  const session = driver.session();
  try {
    const res = await session.run("RETURN 1 AS one");
    return neo4j.integer.toNumber(res.records[0]?.get("one")) === 1;
  } catch {
    return false;
  } finally {
    await session.close().catch(() => undefined);
    await driver.close().catch(() => undefined);
  }
}

function launcherBuilt(): boolean {
  const cls = path.join(LAUNCHER_DIR, "target", "classes", "chrysalis", "Neo4jLauncher.class");
  const src = path.join(LAUNCHER_DIR, "src", "main", "java", "chrysalis", "Neo4jLauncher.java");
  const lib = path.join(LAUNCHER_DIR, "target", "lib");
  try {
    if (fs.readdirSync(lib).filter((f) => f.endsWith(".jar")).length === 0) return false;
    return fs.statSync(cls).mtimeMs >= fs.statSync(src).mtimeMs;
  } catch {
    return false;
  }
}

/** The major version of `java` on PATH, or null when there is none. */
export function javaMajor(): number | null {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (r.error) return null;
  return parseJavaMajor(`${r.stderr}${r.stdout}`);
}

/** Parses `java -version` output ("17.0.15", "1.8.0_392", "21") into a major version. */
export function parseJavaMajor(text: string): number | null {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** Checks Java, then builds the launcher with Maven (once, under `lockDir`) when its classes or jars are missing or stale. */
export async function ensureLauncherBuilt(lockDir: string): Promise<void> {
  checkJava();
  if (launcherBuilt()) return;
  await withLock(lockDir, async () => buildLauncher());
}

function checkJava(): void {
  const major = javaMajor();
  if (major === null) {
    throw new ServiceError(
      "Java not found: the embedded Neo4j needs a JDK 17+ on PATH. Fix: install one (e.g. `apt-get install openjdk-17-jdk-headless`), or set NEO4J_URI to an existing Neo4j 5.x server.",
    );
  }
  if (major < 17) {
    throw new ServiceError(
      `Java ${major} found, but the embedded Neo4j 5.26 needs Java 17+. Fix: install a JDK 17+ and put it first on PATH, or set NEO4J_URI to an existing Neo4j 5.x server.`,
    );
  }
}

function buildLauncher(): void {
  if (launcherBuilt()) return;
  if (!commandExists("mvn", ["-v"])) {
    throw new ServiceError(
      "Maven not found: the embedded Neo4j launcher (kg/neo4j) is built once with `mvn`. Fix: install Maven (e.g. `apt-get install maven`), or set NEO4J_URI to an existing Neo4j 5.x server.",
    );
  }
  process.stderr.write("building the embedded Neo4j launcher once with Maven (jars are cached in ~/.m2)...\n");
  const code = runToCompletion("mvn", ["-q", "-B", "-Dstyle.color=never", "-f", path.join(LAUNCHER_DIR, "pom.xml"), "package", "-DskipTests"], PROJECT_ROOT);
  if (code !== 0 || !launcherBuilt()) {
    throw new ServiceError(
      `Maven build of kg/neo4j failed (exit ${code}). Fix: run \`mvn -B -f kg/neo4j/pom.xml package\` to see why (Maven Central must be reachable on a cold ~/.m2).`,
    );
  }
}

/** The outcome of ensuring one Neo4j instance. */
export interface Neo4jUp {
  uri: string;
  auth: Neo4jAuth;
  /** True when this call started the process. */
  started: boolean;
  pid: number | null;
}

/** Makes sure the instance answers `RETURN 1`: reuses ours, starts one, or checks `NEO4J_URI`. */
export async function ensureNeo4j(cfg: ServicesConfig, instance: Instance): Promise<Neo4jUp> {
  const t = neo4jTarget(cfg, instance);
  if (!t.embedded || !t.files || t.port === null || !t.dataDir) {
    if (await boltAnswers(t.uri, t.auth, 10_000)) return { uri: t.uri, auth: t.auth, started: false, pid: null };
    throw new ServiceError(
      `the configured NEO4J_URI (${t.uri}) is unreachable or did not answer RETURN 1. Fix: check that the server runs and that NEO4J_USER / NEO4J_PASSWORD are right, or unset NEO4J_URI to use the embedded Neo4j.`,
    );
  }
  const { files, port, dataDir } = t;
  return withLock(files.lockDir, async () => {
    const up = await ensureEmbeddedLocked(cfg, instance, t, files, port, dataDir);
    leases.add(files.leaseDir);
    return up;
  });
}

async function ensureEmbeddedLocked(
  cfg: ServicesConfig,
  instance: Instance,
  t: Neo4jTarget,
  files: RunFiles,
  port: number,
  dataDir: string,
): Promise<Neo4jUp> {
  const ourPid = livePid(files.pidFile, NEO4J_MARKER);
  const open = await portOpen(port);
  const answers = open && (await boltAnswers(t.uri, t.auth, ourPid ? 30_000 : 3000));
  const decision = decidePort({ ourPid, portOpen: open, answers });
  if (decision === "reuse") return { uri: t.uri, auth: t.auth, started: false, pid: ourPid };
  if (decision === "taken") throw portTakenError({
      service: "Bolt",
      port,
      pidFile: files.pidFile,
      answers,
      portVar: instance === "test" ? "NEO4J_TEST_BOLT_PORT" : "NEO4J_BOLT_PORT",
      external: `NEO4J_URI=${t.uri}`,
    });
  if (decision === "wait" && ourPid !== null) {
    await waitReady(t.uri, t.auth, ourPid, files);
    return { uri: t.uri, auth: t.auth, started: false, pid: ourPid };
  }
  await ensureLauncherBuilt(path.join(cfg.dataDir, "run", "launcher-build.lock"));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.rmSync(files.releasedFlag, { force: true });
  const args = [
    `-Xms${cfg.neo4j.heap}`,
    `-Xmx${cfg.neo4j.heap}`,
    "-XX:+ExitOnOutOfMemoryError",
    "-cp",
    `${path.join(LAUNCHER_DIR, "target", "classes")}:${path.join(LAUNCHER_DIR, "target", "lib", "*")}`,
    NEO4J_MARKER,
    "--data", dataDir,
    "--port", String(port),
    "--host", "127.0.0.1",
    "--pagecache-mb", String(cfg.neo4j.pagecacheMb),
  ];
  const pid = spawnDetached("java", args, { logFile: files.logFile, cwd: PROJECT_ROOT });
  writePid(files.pidFile, pid);
  try {
    await waitReady(t.uri, t.auth, pid, files);
  } catch (e) {
    await stopPid(pid, 10_000);
    removePid(files.pidFile);
    throw e;
  }
  return { uri: t.uri, auth: t.auth, started: true, pid };
}

async function waitReady(uri: string, auth: Neo4jAuth, pid: number, files: RunFiles): Promise<void> {
  await waitUntil({
    check: () => boltAnswers(uri, auth),
    alive: () => isAlive(pid),
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 500,
    onTimeout: () =>
      new ServiceError(
        `the embedded Neo4j (pid ${pid}) did not answer RETURN 1 on ${uri} within ${READY_TIMEOUT_MS / 1000} s. ${formatTail(files.logFile, tailFile(files.logFile, 20))}`,
      ),
    onDead: () =>
      new ServiceError(
        `the embedded Neo4j (pid ${pid}) exited before answering on ${uri}. ${formatTail(files.logFile, tailFile(files.logFile, 20))}`,
      ),
  });
}

/** Stops our embedded instance whoever started it (`npm run services -- down`); true when one was running. */
export async function stopNeo4j(cfg: ServicesConfig, instance: Instance): Promise<boolean> {
  const t = neo4jTarget(cfg, instance);
  if (!t.files) return false;
  const files = t.files;
  return withLock(files.lockDir, () => stopInstance(files, NEO4J_MARKER, "the embedded Neo4j", STOP_TIMEOUT_MS));
}

/**
 * Drops this process's lease on the instance; stops it when this process started it (or its
 * starter already released it) and no other live process uses it.
 */
export async function releaseNeo4j(cfg: ServicesConfig, instance: Instance, startedByUs: boolean): Promise<boolean> {
  const t = neo4jTarget(cfg, instance);
  if (!t.files) return false;
  return releaseInstance(t.files, NEO4J_MARKER, "the embedded Neo4j", startedByUs, STOP_TIMEOUT_MS);
}

/** One service's status line. */
export interface ServiceStatus {
  name: string;
  mode: "embedded" | "external";
  running: boolean;
  ours: boolean;
  pid: number | null;
  port: number | null;
  uri: string;
  logFile: string | null;
}

export async function neo4jStatus(cfg: ServicesConfig, instance: Instance): Promise<ServiceStatus> {
  const t = neo4jTarget(cfg, instance);
  const name = `neo4j (${instance})`;
  if (!t.files) {
    const running = await boltAnswers(t.uri, t.auth, 5000);
    return { name, mode: "external", running, ours: false, pid: null, port: null, uri: t.uri, logFile: null };
  }
  const pid = livePid(t.files.pidFile, NEO4J_MARKER);
  const running = await boltAnswers(t.uri, t.auth, pid ? 10_000 : 3000);
  return { name, mode: "embedded", running, ours: pid !== null, pid, port: t.port, uri: t.uri, logFile: t.files.logFile };
}

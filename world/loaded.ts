/**
 * The point in time that runs without an explicit `asOf` should take. A live deployment takes
 * "now"; a demo on a generated world takes that world's `asOf` (its history ends there), so
 * `DEFAULT_AS_OF`, else the manifest of the world `npm start` loads (`START_PRESET`, default
 * `demo`), else now.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { worldDir } from "./paths.js";
import { WORLD_FILES, WorldManifest } from "../contracts/records.js";
import { DEFAULT_START_PRESET, readEnvGroup } from "../lib/env.js";

export { DEFAULT_START_PRESET };

/** The `asOf` of the world in `<dataDir>/world/<preset>`, or null when it has not been generated. */
export function worldAsOf(dataDir: string, preset: string = DEFAULT_START_PRESET): string | null {
  const file = join(worldDir(preset, dataDir), WORLD_FILES.manifest);
  if (!existsSync(file)) return null;
  return WorldManifest.parse(JSON.parse(readFileSync(file, "utf8"))).asOf;
}

/** `DEFAULT_AS_OF`, else the started world's `asOf`, else undefined (the caller's "now"). */
export function defaultAsOf(env: NodeJS.ProcessEnv, dataDir: string): string | undefined {
  const configured = env.DEFAULT_AS_OF?.trim();
  if (configured) return configured;
  return worldAsOf(dataDir, readEnvGroup("start", env).START_PRESET) ?? undefined;
}

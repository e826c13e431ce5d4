/**
 * The checksum that ties a golden set to the world it was built from: sha256 over the world's
 * public files (`WORLD_FILES`, in a fixed order) and its latent files, each prefixed by its name.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { WORLD_FILES } from "../../contracts/records.js";
import { LATENT_DIR, LATENT_FILES } from "../../world/latent.js";

export function worldFileList(dir: string): string[] {
  return [
    ...Object.values(WORLD_FILES).map((f) => path.join(dir, f)),
    ...Object.values(LATENT_FILES).map((f) => path.join(dir, LATENT_DIR, f)),
  ];
}

export function worldChecksum(dir: string): string {
  const h = crypto.createHash("sha256");
  for (const file of worldFileList(dir)) {
    if (!fs.existsSync(file)) throw new Error(`world file missing: ${file}`);
    h.update(path.relative(dir, file));
    h.update("\0");
    h.update(fs.readFileSync(file));
    h.update("\0");
  }
  return h.digest("hex");
}

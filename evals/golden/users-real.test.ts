import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRealPresetWorld } from "../../world/real-presets.js";
import { loadWorld, type WorldData } from "../world-data.js";
import { worldChecksum } from "./checksum.js";
import { buildUsersRealSet, goldenPath } from "./build.js";
import { readGolden } from "./schema.js";

const committed = goldenPath("users-real");
const golden = readGolden(committed, "users-real");
let tmp: string;
let world: WorldData;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "users-real-"));
  await generateRealPresetWorld({ preset: golden.header.preset, seed: golden.header.seed, outDir: path.join(tmp, "world") });
  world = loadWorld(path.join(tmp, "world"));
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the users-real golden set", () => {
  it("names the real-catalog world it was built from, and that world is rebuilt from ../shared/data with the same checksum", () => {
    expect(golden.header).toMatchObject({ set: "users-real", preset: "real-taobao", asOf: world.manifest.asOf });
    expect(worldChecksum(world.dir)).toBe(golden.header.worldChecksum);
  });

  it("is what the builder makes of that world, byte for byte", async () => {
    await buildUsersRealSet({ preset: golden.header.preset, seed: golden.header.seed, worldDir: world.dir, outDir: path.join(tmp, "out") });
    expect(fs.readFileSync(goldenPath("users-real", path.join(tmp, "out")), "utf8")).toBe(fs.readFileSync(committed, "utf8"));
  });

  it("holds ids only, never a real title or any Chinese text", () => {
    const text = fs.readFileSync(committed, "utf8");
    expect(text).not.toMatch(/\p{Script=Han}/u);
    for (const item of world.items) expect(text.includes(item.title)).toBe(false);
    const itemIds = new Set(world.items.map((i) => i.id));
    for (const b of golden.buyers) for (const h of b.heldOut) expect(itemIds.has(h.itemId)).toBe(true);
    expect(golden.buyers.length).toBe(50);
  });
});

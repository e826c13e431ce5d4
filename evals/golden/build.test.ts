import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../world/generate.js";
import { readProfiles } from "../../world/latent.js";
import { loadWorld, type WorldData } from "../world-data.js";
import { groundingIssues } from "../metrics/grounding.js";
import { groundingVocabulary } from "../runner/users.js";
import { worldChecksum } from "./checksum.js";
import { buildGoldenSets, goldenPath } from "./build.js";
import { Catalog } from "./builders.js";
import { CandidateQuery, readGolden, type CriticGolden, type UqGolden, type UsersGolden, type TrendsGolden } from "./schema.js";

let tmp: string;
let worldDir: string;
let world: WorldData;
let users: UsersGolden;
let critic: CriticGolden;
let uq: UqGolden;
let trends: TrendsGolden;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "golden-"));
  worldDir = path.join(tmp, "world");
  await generateWorld({ preset: "tiny", seed: 7, outDir: worldDir });
  world = loadWorld(worldDir);
  await buildGoldenSets({ preset: "tiny", seed: 7, worldDir, outDir: path.join(tmp, "a"), users: 20, criticContexts: 10 });
  users = readGolden(goldenPath("users-ci", path.join(tmp, "a")), "users-ci");
  critic = readGolden(goldenPath("critic", path.join(tmp, "a")), "critic");
  uq = readGolden(goldenPath("uq", path.join(tmp, "a")), "uq");
  trends = readGolden(goldenPath("trends", path.join(tmp, "a")), "trends");
}, 120_000);

describe("golden set builder", () => {
  it("is deterministic: the same world gives byte-identical files", async () => {
    await buildGoldenSets({ preset: "tiny", seed: 7, worldDir, outDir: path.join(tmp, "b"), users: 20, criticContexts: 10 });
    for (const set of ["users-ci", "critic", "uq", "trends"] as const) {
      expect(fs.readFileSync(goldenPath(set, path.join(tmp, "b")), "utf8")).toBe(fs.readFileSync(goldenPath(set, path.join(tmp, "a")), "utf8"));
    }
  });

  it("names the world by checksum, and the checksum changes when a file does", () => {
    expect(users.header.worldChecksum).toBe(worldChecksum(worldDir));
    const copy = path.join(tmp, "copy");
    fs.cpSync(worldDir, copy, { recursive: true });
    fs.appendFileSync(path.join(copy, "buyers.jsonl"), "\n");
    expect(worldChecksum(copy)).not.toBe(users.header.worldChecksum);
  });

  it("users: held-out interactions fall in [asOf, heldOutEnd) and discoveries are new to the buyer", () => {
    expect(users.buyers.length).toBeGreaterThan(5);
    const asOf = Date.parse(users.header.asOf);
    const end = Date.parse(users.header.heldOutEnd);
    for (const b of users.buyers) {
      expect(b.heldOut.length).toBeGreaterThan(0);
      for (const h of b.heldOut) expect(Date.parse(h.at) >= asOf && Date.parse(h.at) < end).toBe(true);
      const histCats = new Set(
        world.events.filter((e) => e.userId === b.userId && Date.parse(e.at) < asOf && e.itemId).map((e) => world.itemById.get(e.itemId!)!.categoryId),
      );
      for (const d of b.discovery) expect(d.newCategory).toBe(!histCats.has(d.categoryId));
    }
  });

  it("critic: every kind is present; valid cases are grounded drafts, schema breaks are not drafts", () => {
    const kinds = new Set(critic.cases.map((c) => c.kind));
    for (const k of ["valid", "unknown_value", "value_not_allowed", "unknown_category", "unsupported_evidence", "injection", "url", "schema_break", "valid_new_combination", "multi_fault", "paraphrased_injection"]) expect(kinds).toContain(k);
    const cat = new Catalog(world, critic.header.asOf);
    const vocab = groundingVocabulary(world);
    const contexts = new Map(critic.contexts.map((c) => [c.contextId, c]));
    for (const c of critic.cases) {
      expect(c.expected).toBe(c.kind === "valid" || c.kind === "valid_new_combination" ? "pass" : "fail");
      const parsed = CandidateQuery.safeParse(c.query);
      if (c.kind === "schema_break") {
        expect(parsed.success && parsed.data.text !== "").toBe(false);
        continue;
      }
      expect(parsed.success).toBe(true);
      if (c.kind === "valid") {
        expect(groundingIssues({ text: parsed.data!.text, categoryId: c.categoryId!, valueIds: c.valueIds }, vocab)).toEqual([]);
        expect(cat.matching(c.categoryId!, c.valueIds)).toBeGreaterThanOrEqual(3);
        const ev = contexts.get(c.contextId)!.evidence.filter((e) => parsed.data!.evidence.includes(e.id));
        expect(c.valueIds.every((v) => ev.some((e) => e.valueIds.includes(v)))).toBe(true);
      }
      if (c.kind === "unknown_value") expect(parsed.data!.values.some((n) => !world.values.some((v) => v.name === n || v.aliases.includes(n)))).toBe(true);
      if (c.kind === "unknown_category") expect(world.categories.some((x) => x.name === parsed.data!.category)).toBe(false);
      if (c.kind === "value_not_allowed") expect(cat.allowed(c.categoryId!, c.valueIds[0])).toBe(false);
      if (c.kind === "retrieves_nothing") expect(cat.matching(c.categoryId!, c.valueIds)).toBe(0);
      if (c.kind === "valid_new_combination") {
        expect(cat.matching(c.categoryId!, c.valueIds)).toBeGreaterThanOrEqual(3);
        const shown = contexts.get(c.contextId)!.evidence.filter((e) => e.kind === "tuple").flatMap((e) => e.valueIds);
        expect(shown).not.toContain(c.valueIds[1]);
      }
      if (c.kind === "multi_fault") expect(parsed.data!.text).toMatch(/https?:|www\./);
    }
  });

  it("uq: labels follow the latent profile; train and test buyers are disjoint", async () => {
    const profiles = new Map((await readProfiles(worldDir)).map((p) => [p.buyerId, p]));
    expect(uq.pairs.some((p) => p.relevant)).toBe(true);
    expect(uq.pairs.some((p) => !p.relevant)).toBe(true);
    for (const p of uq.pairs) {
      const prof = profiles.get(p.userId)!;
      if (p.source === "main-preference") expect(prof.mainCategories.map((m) => m.categoryId)).toContain(p.query.categoryId);
      if (p.source === "potential") expect(prof.potential.map((m) => m.categoryId)).toContain(p.query.categoryId);
      if (p.source === "other-category") {
        expect(prof.mainCategories.map((m) => m.categoryId)).not.toContain(p.query.categoryId);
        expect(prof.potential.map((m) => m.categoryId)).not.toContain(p.query.categoryId);
      }
    }
    const train = new Set(uq.pairs.filter((p) => p.split === "train").map((p) => p.userId));
    expect(uq.pairs.filter((p) => p.split === "test").some((p) => train.has(p.userId))).toBe(false);
  });

  it("trends: noise documents have no terms, regular ones do", () => {
    expect(trends.docs.some((d) => !d.isNoise && d.terms.length > 0)).toBe(true);
    for (const d of trends.docs) if (d.isNoise) expect(d.terms).toEqual([]);
  });
});

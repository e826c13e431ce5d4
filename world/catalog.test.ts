import { describe, expect, it } from "vitest";
import { buildCatalog, FACTORS, TITLE_FILLERS, TITLE_PREFIXES, TITLE_SUFFIXES, toValueRecord } from "./catalog.js";
import { CategoryRecord, ValueRecord } from "../contracts/records.js";
import { buildVocabulary, extractValues } from "../lib/value-match.js";

const catalog = buildCatalog();
const vocab = buildVocabulary(catalog.values.map(toValueRecord));

describe("catalog", () => {
  it("has the required breadth and valid records", () => {
    const top = catalog.categories.filter((c) => c.parentId === null);
    const leaves = catalog.categories.filter((c) => c.allows.length > 0);
    expect(top.length).toBeGreaterThanOrEqual(8);
    expect(leaves.length).toBeGreaterThanOrEqual(40);
    expect(catalog.factors.length).toBeGreaterThanOrEqual(6);
    expect(catalog.values.length).toBeGreaterThanOrEqual(120);
    for (const c of catalog.categories) expect(CategoryRecord.safeParse(c).success).toBe(true);
    for (const v of catalog.values) expect(ValueRecord.safeParse(toValueRecord(v)).success).toBe(true);
  });

  it("uses unique, stable-looking ids and a consistent tree", () => {
    const ids = catalog.categories.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^c-[a-z]+$/.test(id))).toBe(true);
    const vids = catalog.values.map((v) => v.id);
    expect(new Set(vids).size).toBe(vids.length);
    expect(vids.every((id) => /^v-[a-z]+-[a-z0-9]+$/.test(id))).toBe(true);
    for (const c of catalog.categories) {
      if (c.parentId === null) continue;
      const parent = catalog.categories.find((p) => p.id === c.parentId)!;
      expect(parent.level).toBe(c.level - 1);
    }
  });

  it("allows IP only on cards and toys and no material on cards", () => {
    for (const leaf of catalog.leaves) {
      if (leaf.allows.includes("ip")) expect(leaf.group).toBe("toys");
    }
    const cards = catalog.categories.find((c) => c.id === "c-cards")!;
    expect(cards.allows).not.toContain(FACTORS.material);
    expect(cards.allows).toContain("IP");
  });

  it("gives every leaf values only of factors it allows", () => {
    for (const leaf of catalog.leaves) {
      for (const [key, values] of catalog.leafValues.get(leaf.slug)!) {
        expect(leaf.allows).toContain(key);
        for (const v of values) expect(v.factorKey).toBe(key);
      }
    }
  });

  it("has nouns, synonyms and title fillers that name no value", () => {
    const words = [
      ...catalog.leaves.flatMap((l) => [l.noun, ...l.synonyms]),
      ...Object.values(TITLE_FILLERS).flat(),
      ...TITLE_PREFIXES,
      ...TITLE_SUFFIXES,
    ];
    const offending = words.filter((w) => extractValues(w, vocab).length > 0);
    expect(offending).toEqual([]);
  });

  it("has cross-category pairs between existing leaves, including tops → skirts and cards → sleeves", () => {
    const leafIds = new Set(catalog.leaves.map((l) => catalog.categoryId(l.slug)));
    for (const p of catalog.pairs) {
      expect(leafIds.has(p.from)).toBe(true);
      expect(leafIds.has(p.to)).toBe(true);
    }
    expect(catalog.pairs.some((p) => p.from === "c-top" && p.to === "c-skirt")).toBe(true);
    expect(catalog.pairs.some((p) => p.from === "c-cards" && p.to === "c-sleeves")).toBe(true);
    expect(catalog.pairs.some((p) => p.from === "c-phonecase" && p.to === "c-lanyard")).toBe(true);
  });
});

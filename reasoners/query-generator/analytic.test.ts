import { describe, expect, it } from "vitest";
import { queryPool } from "./analytic.js";
import type { GeneratorInputs } from "../../contracts/queries.js";
import type { Portrait } from "../../contracts/portrait.js";
import type { CfvEntry } from "../../contracts/cfv.js";

const entry = (categoryId: string, valueId: string, name: string, factor: string, weight: number): CfvEntry => ({
  id: `cfv:long:${categoryId}:${valueId}`, valueId, name, factor, weight, support: [],
});

const inputs: GeneratorInputs = {
  portrait: { mainCategories: [{ categoryId: "c-top", name: "上衣", share: 0.8 }, { categoryId: "c-card", name: "卡片", share: 0.2 }] } as unknown as Portrait,
  cfv: {
    categories: [
      { categoryId: "c-top", name: "上衣", long: [entry("c-top", "v-low", "低价位", "价格带", 9), entry("c-top", "v-french", "法式", "风格", 6)], recent: [], potential: [] },
      { categoryId: "c-card", name: "卡片", long: [entry("c-card", "v-nz", "魔童闹海", "IP", 9)], recent: [], potential: [] },
    ],
    peers: [
      { id: "peer:c-skirt", categoryId: "c-skirt", name: "半身裙", weight: 0.4, via: ["c-top"] },
      { id: "peer:c-sleeve", categoryId: "c-sleeve", name: "卡套", weight: 0.2, via: ["c-card"] },
      { id: "peer:c-mug", categoryId: "c-mug", name: "马克杯", weight: 0.1, via: ["c-top"] },
    ],
  },
  trends: { docs: [], setAside: [], sellingPoints: [] },
  tuples: [],
  pairs: [],
  vocab: {
    categories: [
      { id: "c-top", name: "上衣", parentId: null, level: 2, noun: "上衣", allows: ["风格", "价格带"] },
      { id: "c-card", name: "卡片", parentId: null, level: 2, noun: "卡片", allows: ["IP"] },
      { id: "c-skirt", name: "半身裙", parentId: null, level: 2, noun: "半身裙", allows: ["风格", "价格带"] },
      { id: "c-sleeve", name: "卡套", parentId: null, level: 2, noun: "卡套", allows: ["IP", "风格"] },
      { id: "c-mug", name: "马克杯", parentId: null, level: 2, noun: "马克杯", allows: ["价格带"] },
    ],
    factors: ["风格", "价格带", "IP"],
    values: [
      { id: "v-low", factor: "价格带", name: "低价位" },
      { id: "v-french", factor: "风格", name: "法式" },
      { id: "v-nz", factor: "IP", name: "魔童闹海" },
    ],
  },
};

describe("analytic query generator: peer categories", () => {
  it("writes a potential query per peer category with the buyer's strongest allowed long-term value (share-weighted, never a price band), citing the peer and the CFV entry", () => {
    const peers = queryPool(inputs).filter((q) => q.evidence.some((e) => e.startsWith("peer:")));
    expect(peers.map((q) => [q.text, q.category, q.values, q.horizon, q.evidence])).toEqual([
      ["法式半身裙 批发", "半身裙", ["法式"], "potential", ["peer:c-skirt", "cfv:long:c-top:v-french"]],
      ["法式卡套 批发", "卡套", ["法式"], "potential", ["peer:c-sleeve", "cfv:long:c-top:v-french"]],
    ]);
  });

  it("writes none without peer categories", () => {
    const pool = queryPool({ ...inputs, cfv: { ...inputs.cfv, peers: undefined } });
    expect(pool.some((q) => q.evidence.some((e) => e.startsWith("peer:")))).toBe(false);
  });
});

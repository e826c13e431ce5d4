import { describe, expect, it } from "vitest";
import { peerCategories } from "./peers.js";
import type { CoEngagedCategory, Vocabulary } from "../contracts/kg.js";

const vocab: Pick<Vocabulary, "categories"> = {
  categories: [
    { id: "c-women", name: "女装", parentId: null, level: 1, noun: "女装", allows: [] },
    { id: "c-top", name: "上衣", parentId: "c-women", level: 2, noun: "上衣", allows: ["风格"] },
    { id: "c-dress", name: "连衣裙", parentId: "c-women", level: 2, noun: "连衣裙", allows: ["风格"] },
    { id: "c-skirt", name: "半身裙", parentId: "c-women", level: 2, noun: "半身裙", allows: ["风格"] },
    { id: "c-scarf", name: "围巾", parentId: "c-women", level: 2, noun: "围巾", allows: ["风格"] },
  ],
};
const pair = (from: string, to: string, weight: number): CoEngagedCategory => ({ from, to, weight, buyers: 5 });

describe("peerCategories", () => {
  it("scores untouched leaves by Σ share × co-engagement weight and names the buyer's categories behind each", () => {
    const shares = new Map([["c-top", 0.75], ["c-dress", 0.25]]);
    const out = peerCategories(shares, [pair("c-top", "c-skirt", 0.4), pair("c-dress", "c-skirt", 0.8), pair("c-dress", "c-scarf", 0.9), pair("c-top", "c-dress", 0.9)], vocab, 5);
    expect(out.map((p) => p.categoryId)).toEqual(["c-skirt", "c-scarf"]);
    expect(out[0]).toEqual({ id: "peer:c-skirt", categoryId: "c-skirt", name: "半身裙", weight: 0.5, via: ["c-top", "c-dress"] });
    expect(out[1].weight).toBeCloseTo(0.225);
  });

  it("never proposes a category the buyer touched, a non-leaf, or anything when the limit is 0", () => {
    const shares = new Map([["c-top", 1]]);
    const links = [pair("c-top", "c-women", 0.9), pair("c-top", "c-top", 0.9), pair("c-top", "c-skirt", 0.1)];
    expect(peerCategories(shares, links, vocab, 5).map((p) => p.categoryId)).toEqual(["c-skirt"]);
    expect(peerCategories(shares, links, vocab, 0)).toEqual([]);
    expect(peerCategories(new Map(), links, vocab, 5)).toEqual([]);
  });
});

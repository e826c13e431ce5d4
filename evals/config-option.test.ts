import { describe, expect, it } from "vitest";
import { parseConfigOption } from "./run.js";

describe("eval --config", () => {
  it("takes graph configuration as JSON", () => {
    expect(parseConfigOption('{"peerCategoryCount":5,"discoverySlotShare":0.4}')).toEqual({ peerCategoryCount: 5, discoverySlotShare: 0.4 });
  });
  it("refuses text that is not JSON, unknown keys and values out of range, naming the key", () => {
    expect(() => parseConfigOption("{peerCategoryCount:5}")).toThrow(/--config: not JSON/);
    expect(() => parseConfigOption('{"peerCount":5}')).toThrow(/--config: .*peerCount/);
    expect(() => parseConfigOption('{"discoverySlotShare":2}')).toThrow(/--config: discoverySlotShare/);
  });
});

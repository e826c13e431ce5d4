import { describe, expect, it } from "vitest";
import { readConfiguration } from "../../contracts/configuration.js";
import { llmRolesOf, reasonerModeConfig } from "./reasoner-modes.js";

describe("reasoner modes", () => {
  it("mixed runs the query generator and the critic on the LLM and every other role analytic, through the per-role configuration", () => {
    const conf = readConfiguration({ configurable: reasonerModeConfig("mixed") });
    expect(conf.reasoner).toEqual({
      compressor: "analytic",
      portrait: "analytic",
      cfv: "analytic",
      sourcePlanner: "analytic",
      trendExtractor: "analytic",
      queryGenerator: "llm",
      critic: "llm",
    });
    expect(llmRolesOf("mixed")).toEqual(["queryGenerator", "critic"]);
  });
  it("the other modes set every role alike", () => {
    expect(new Set(Object.values(readConfiguration({ configurable: reasonerModeConfig("llm") }).reasoner))).toEqual(new Set(["llm"]));
    expect(new Set(Object.values(readConfiguration({ configurable: reasonerModeConfig("analytic") }).reasoner))).toEqual(new Set(["analytic"]));
    expect(llmRolesOf("llm")).toHaveLength(7);
    expect(llmRolesOf("auto")).toEqual([]);
  });
});

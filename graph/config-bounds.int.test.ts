/**
 * The inference graph on the `tiny` world (real Neo4j and embedding server) runs with every
 * time-window option of the configuration at its largest accepted value: a value the schema
 * accepts must not crash a run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "neo4j-driver";
import { z } from "zod";
import { testDriver, testEmbedder } from "../test/services.js";
import { createKgReader } from "../kg/repositories.js";
import { createUqScorer } from "../kg/uq.js";
import { readQuery } from "../kg/driver.js";
import { createRunStep } from "../llm/run-step.js";
import { AS_OF } from "../world/presets.js";
import { ConfigurationSchema } from "../contracts/configuration.js";
import { createMemo } from "../lib/deps.js";
import { createGraph } from "./builder.js";
import type { GraphState } from "../contracts/state.js";
import { type GraphDeps } from "../contracts/deps.js";

let driver: Driver;
let deps: GraphDeps;

beforeAll(async () => {
  driver = testDriver();
  deps = { kg: createKgReader(driver), uq: createUqScorer(driver), embedder: await testEmbedder(), runStep: createRunStep(), chatModel: () => undefined, memo: createMemo() };
});
afterAll(async () => {
  await driver?.close();
});

describe("configuration bounds on the real graph", () => {
  it("runs with every day/week window at its maximum", async () => {
    const props = (z.toJSONSchema(ConfigurationSchema) as { properties: Record<string, { maximum?: number }> }).properties;
    const windows = Object.keys(props).filter((k) => /(Days|Weeks)$/.test(k));
    expect(windows.sort()).toEqual(["historyWeeks", "newItemDays", "newSellerDays", "recentOrderWeeks", "trendWeeks"]);
    expect(windows.map((k) => typeof props[k].maximum)).toEqual(windows.map(() => "number"));
    const configurable = Object.fromEntries(windows.map((k) => [k, props[k].maximum]));
    const [buyer] = await readQuery(driver, "MATCH (u:User)-[:BEHAVED]->() RETURN u.id AS id ORDER BY id LIMIT 1");
    const g = createGraph({ deps, checkpointer: false });
    const state = (await g.invoke({ userId: buyer.id as string, asOf: AS_OF }, { configurable: { ...configurable, defaultReasoner: "analytic" } })) as GraphState;
    expect(state.ranked.length).toBeGreaterThan(0);
    expect(state.steps.filter((s) => s.error)).toEqual([]);
  });
});

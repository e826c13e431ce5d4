/** `evalServicesConfig`: the eval Neo4j's port, URI and data dir from the registry's `eval` group; `holdsWorld`: the world check (nodes and relationships). */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../services/config.js";
import { EVAL_NEO4J_PORT, evalServicesConfig, holdsWorld, holdsWorldNodes, missingRelationships } from "./kg.js";
import { NODE_LABELS, REL_TYPES, type GraphCounts } from "../../kg/load.js";
import { WorldManifest } from "../../contracts/records.js";

describe("evalServicesConfig", () => {
  it("puts the eval Neo4j on its own port and data dir, embedded unless EVAL_NEO4J_URI is set", () => {
    const c = evalServicesConfig({ DATA_DIR: "/tmp/chrysalis-eval-env" });
    expect(c.neo4j.testBoltPort).toBe(EVAL_NEO4J_PORT);
    expect(c.neo4j.uri).toBeUndefined();
    expect(c.dataDir).toBe("/tmp/chrysalis-eval-env/eval");
  });

  it("takes EVAL_NEO4J_PORT and EVAL_NEO4J_URI from the environment", () => {
    const c = evalServicesConfig({ EVAL_NEO4J_PORT: " 7799 ", EVAL_NEO4J_URI: "neo4j://db.example:7687", NEO4J_URI: "neo4j://other:7687" });
    expect(c.neo4j.testBoltPort).toBe(7799);
    expect(c.neo4j.uri).toBe("neo4j://db.example:7687");
  });

  it("rejects a bad port with an error naming the variable", () => {
    expect(() => evalServicesConfig({ EVAL_NEO4J_PORT: "seventy" })).toThrow(ConfigError);
    expect(() => evalServicesConfig({ EVAL_NEO4J_PORT: "70000" })).toThrow(/EVAL_NEO4J_PORT/);
  });
});

describe("holdsWorld", () => {
  const manifest = WorldManifest.parse({
    preset: "ci",
    seed: 1,
    asOf: "2025-06-01T00:00:00.000Z",
    historyStart: "2024-06-01T00:00:00.000Z",
    heldOutEnd: "2025-06-29T00:00:00.000Z",
    counts: { categories: 5, factors: 2, values: 6, sellers: 2, items: 10, buyers: 3, events: 40, trends: 4 },
  });
  const complete = (): GraphCounts => ({
    nodes: { ...Object.fromEntries(NODE_LABELS.map((l) => [l, 0])), User: 3, Item: 10, Category: 5, Factor: 2, Value: 6, Seller: 2, TrendDoc: 4 } as GraphCounts["nodes"],
    relationships: {
      ...Object.fromEntries(REL_TYPES.map((t) => [t, 0])),
      BEHAVED: 35,
      SEARCHED: 5,
      IN: 10,
      SOLD_BY: 10,
      OF: 6,
      HAS: 20,
      ALLOWS: 8,
      PARENT: 4,
      PAIRS_WITH: 3,
      MENTIONS: 7,
    } as GraphCounts["relationships"],
  });

  it("accepts the world's nodes with every relationship the system reads", () => {
    expect(missingRelationships(complete(), manifest)).toEqual([]);
    expect(holdsWorld(complete(), manifest)).toBe(true);
  });

  it("refuses a graph whose node counts match but whose load stopped before PAIRS_WITH and MENTIONS", () => {
    const g = complete();
    g.relationships.PAIRS_WITH = 0;
    g.relationships.MENTIONS = 0;
    expect(holdsWorldNodes(g, manifest)).toBe(true);
    expect(holdsWorld(g, manifest)).toBe(false);
    expect(missingRelationships(g, manifest).map((m) => m.split(" ")[0])).toEqual(["PAIRS_WITH", "MENTIONS"]);
  });

  it("refuses items without their category and another world's nodes", () => {
    const g = complete();
    g.relationships.IN = 9;
    expect(missingRelationships(g, manifest)).toEqual(["IN (9, expected at least 10)"]);
    const other = complete();
    other.nodes.Item = 11;
    expect(holdsWorldNodes(other, manifest)).toBe(false);
    expect(holdsWorld(other, manifest)).toBe(false);
  });
});

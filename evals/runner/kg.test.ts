/** `evalServicesConfig`: the eval Neo4j's port, URI and data dir from the registry's `eval` group. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../services/config.js";
import { EVAL_NEO4J_PORT, evalServicesConfig } from "./kg.js";

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

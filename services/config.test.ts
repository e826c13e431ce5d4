import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ENV_VARS, PROJECT_ROOT, ServicesEnv, loadServicesConfig, modalityEnvValue } from "./config.js";

describe("loadServicesConfig", () => {
  it("defaults to the embedded servers on their dev ports", () => {
    const c = loadServicesConfig({});
    expect(c.neo4j).toEqual({ uri: undefined, user: "neo4j", password: "", boltPort: 7697, testBoltPort: 7698, heap: "1g", pagecacheMb: 128, connectionTimeoutMs: 3000, maxRetryMs: 3000 });
    expect(c.embeddings).toEqual({ baseUrl: undefined, apiKey: "local", model: "multilingual-e5-small-q4", port: 8911, modality: "model" });
    expect(c.dataDir).toBe(path.join(PROJECT_ROOT, ".data"));
  });

  it("reads production settings and picks no text modality for an external server by default", () => {
    const c = loadServicesConfig({
      NEO4J_URI: "neo4j+s://db.example.com:7687",
      NEO4J_USER: "reader",
      NEO4J_PASSWORD: "secret",
      EMBEDDINGS_BASE_URL: "https://emb.example.com/v1/",
      EMBEDDINGS_MODEL: "bge-m3",
      DATA_DIR: "/var/lib/chrysalis",
    });
    expect(c.neo4j.uri).toBe("neo4j+s://db.example.com:7687");
    expect(c.neo4j.user).toBe("reader");
    expect(c.embeddings.baseUrl).toBe("https://emb.example.com/v1");
    expect(c.embeddings.modality).toBe("none");
    expect(c.dataDir).toBe("/var/lib/chrysalis");
  });

  it("maps EMBEDDINGS_TEXT_PREFIX to a modality, whatever the server", () => {
    expect(loadServicesConfig({ EMBEDDINGS_BASE_URL: "http://h/v1", EMBEDDINGS_TEXT_PREFIX: "true" }).embeddings.modality).toBe("prefix");
    expect(loadServicesConfig({ EMBEDDINGS_BASE_URL: "http://h/v1", EMBEDDINGS_TEXT_PREFIX: "model" }).embeddings.modality).toBe("model");
    expect(loadServicesConfig({ EMBEDDINGS_TEXT_PREFIX: "false" }).embeddings.modality).toBe("none");
    for (const m of ["prefix", "model", "none"] as const) {
      expect(loadServicesConfig({ EMBEDDINGS_TEXT_PREFIX: modalityEnvValue(m) }).embeddings.modality).toBe(m);
    }
  });

  it("treats empty variables as unset and coerces numbers", () => {
    const c = loadServicesConfig({ NEO4J_URI: "", NEO4J_BOLT_PORT: " 7700 ", NEO4J_PAGECACHE_MB: "64", EMBEDDINGS_PORT: "9000" });
    expect(c.neo4j.uri).toBeUndefined();
    expect(c.neo4j.boltPort).toBe(7700);
    expect(c.neo4j.pagecacheMb).toBe(64);
    expect(c.embeddings.port).toBe(9000);
  });

  it("names every bad variable in one error", () => {
    let err: unknown;
    try {
      loadServicesConfig({ NEO4J_BOLT_PORT: "70000", NEO4J_HEAP: "lots", EMBEDDINGS_TEXT_PREFIX: "yes" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain("NEO4J_BOLT_PORT");
    expect(msg).toContain("NEO4J_HEAP");
    expect(msg).toContain("EMBEDDINGS_TEXT_PREFIX");
  });

  it("documents exactly the variables it reads", () => {
    expect(ENV_VARS.map((v) => v.name).sort()).toEqual([...ServicesEnv.keyof().options].sort());
    for (const v of ENV_VARS) expect(v.meaning.length).toBeGreaterThan(10);
  });
});

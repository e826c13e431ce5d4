import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServicesConfig, type ServicesConfig } from "./config.js";
import { ensureEmbeddings } from "./embeddings.js";
import { ServiceError, ensureServices } from "./index.js";
import { ensureNeo4j, stopNeo4j } from "./neo4j.js";

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => {
      s.on("error", () => undefined);
      s.end("not bolt\n");
    });
    srv.listen(0, "127.0.0.1", () => resolve(srv));
  });
}
const portOf = (srv: net.Server) => (srv.address() as net.AddressInfo).port;

async function freePort(): Promise<number> {
  const srv = await listen();
  const port = portOf(srv);
  await new Promise((r) => srv.close(r));
  return port;
}

const dirs: string[] = [];
function scratchConfig(env: NodeJS.ProcessEnv): ServicesConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-svc-"));
  dirs.push(dir);
  return loadServicesConfig({ DATA_DIR: dir, ...env });
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return e as ServiceError;
  }
  throw new Error("expected a ServiceError");
}

describe("service errors name the cause and the fix", () => {
  it("refuses a Bolt port held by a process that is not ours", async () => {
    const srv = await listen();
    try {
      const port = portOf(srv);
      const err = await failure(ensureNeo4j(scratchConfig({ NEO4J_BOLT_PORT: String(port) }), "dev"));
      expect(err.message).toContain(`port ${port} is taken`);
      expect(err.message).toContain("NEO4J_BOLT_PORT");
    } finally {
      srv.close();
    }
  });

  it("refuses an embeddings port held by a process that is not ours", async () => {
    const srv = await listen();
    try {
      const port = portOf(srv);
      const err = await failure(ensureEmbeddings(scratchConfig({ EMBEDDINGS_PORT: String(port) })));
      expect(err.message).toContain(`port ${port} is taken`);
      expect(err.message).toContain("EMBEDDINGS_PORT");
    } finally {
      srv.close();
    }
  });

  it("reports a Neo4j that exits before it is ready, with the end of its log, and leaves no pid file", async () => {
    const cfg = scratchConfig({ NEO4J_BOLT_PORT: String(await freePort()), NEO4J_HEAP: "64k" });
    const err = await failure(ensureNeo4j(cfg, "dev"));
    expect(err.message).toMatch(/exited before answering/);
    expect(err.message).toMatch(/last \d+ lines of .*neo4j-\d+\.log/);
    expect(err.message).toMatch(/heap/i);
    expect(fs.existsSync(path.join(cfg.dataDir, "run", `neo4j-${cfg.neo4j.boltPort}.pid`))).toBe(false);
    expect(await stopNeo4j(cfg, "dev")).toBe(false);
  });

  it("says a configured NEO4J_URI is unreachable and starts nothing", async () => {
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const cfg = scratchConfig({ NEO4J_URI: uri });
    const err = await failure(ensureServices({ config: cfg, embeddings: false }));
    expect(err.message).toContain(`NEO4J_URI (${uri}) is unreachable`);
    expect(fs.existsSync(path.join(cfg.dataDir, "run"))).toBe(false);
  });

  it("says a configured EMBEDDINGS_BASE_URL is unreachable and starts nothing", async () => {
    const url = `http://127.0.0.1:${await freePort()}/v1`;
    const cfg = scratchConfig({ EMBEDDINGS_BASE_URL: url });
    const err = await failure(ensureServices({ config: cfg, neo4j: false }));
    expect(err.message).toContain(`EMBEDDINGS_BASE_URL (${url}) is unreachable`);
    expect(fs.existsSync(path.join(cfg.dataDir, "run"))).toBe(false);
  });
});

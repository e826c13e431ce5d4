import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./config.js";
import { isAlive, readPid } from "./process.js";

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-cli-"));
afterAll(() => {
  cli("down");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let env: NodeJS.ProcessEnv = {};
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "services.ts"), ...args], {
    cwd: PROJECT_ROOT,
    env,
    encoding: "utf8",
    timeout: 170_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run services", () => {
  it("starts detached servers that outlive the command, reports them, and `down` leaves nothing running", async () => {
    const boltPort = await freePort();
    const embPort = await freePort();
    const base = { ...process.env };
    for (const k of ["NEO4J_URI", "EMBEDDINGS_BASE_URL", "EMBEDDINGS_TEXT_PREFIX"]) delete base[k];
    env = { ...base, DATA_DIR: dataDir, NEO4J_BOLT_PORT: String(boltPort), EMBEDDINGS_PORT: String(embPort), NEO4J_HEAP: "512m" };

    const up = cli("up");
    expect(up.err).toBe("");
    expect(up.code).toBe(0);
    expect(up.out).toContain("started  neo4j (dev)");
    expect(up.out).toContain("started  embeddings");
    expect(up.out).toContain(`bolt://127.0.0.1:${boltPort}`);

    const neoPid = readPid(path.join(dataDir, "run", `neo4j-${boltPort}.pid`));
    const embPid = readPid(path.join(dataDir, "run", `embeddings-${embPort}.pid`));
    expect(neoPid && isAlive(neoPid)).toBe(true);
    expect(embPid && isAlive(embPid)).toBe(true);

    const again = cli("up");
    expect(again.code).toBe(0);
    expect(again.out).toContain("reused   neo4j (dev)");
    expect(again.out).toContain("reused   embeddings");

    const st = cli("status");
    expect(st.out).toMatch(new RegExp(`neo4j \\(dev\\)\\s+running\\s+ours, pid ${neoPid}`));
    expect(st.out).toMatch(new RegExp(`embeddings\\s+running\\s+ours, pid ${embPid}`));

    const down = cli("down");
    expect(down.code).toBe(0);
    expect(down.out).toContain("stopped  neo4j (dev)");
    expect(down.out).toContain("stopped  embeddings");
    expect(isAlive(neoPid as number)).toBe(false);
    expect(isAlive(embPid as number)).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, "run", `neo4j-${boltPort}.log`), "utf8")).toContain("STOPPED");
    expect(cli("down").out).toContain("nothing of ours was running");
  });

  it("exits non-zero with the message and no stack trace on a bad command", () => {
    const r = cli("sideways");
    expect(r.code).toBe(1);
    expect(r.err).toContain("usage: npm run services -- up|down|status");
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

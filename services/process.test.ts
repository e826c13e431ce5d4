import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  decidePort,
  decideRelease,
  formatTail,
  isAlive,
  lastLines,
  leases,
  livePid,
  portTakenError,
  readPid,
  sleep,
  tailFile,
  withLock,
  writePid,
} from "./process.js";
import { parseJavaMajor } from "./neo4j.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-proc-"));

describe("decidePort", () => {
  it("reuses our answering server, waits for ours that does not answer yet, starts on a free port, refuses a foreign one", () => {
    expect(decidePort({ ourPid: 42, portOpen: true, answers: true })).toBe("reuse");
    expect(decidePort({ ourPid: 42, portOpen: false, answers: false })).toBe("wait");
    expect(decidePort({ ourPid: 42, portOpen: true, answers: false })).toBe("wait");
    expect(decidePort({ ourPid: null, portOpen: false, answers: false })).toBe("start");
    expect(decidePort({ ourPid: null, portOpen: true, answers: false })).toBe("taken");
    expect(decidePort({ ourPid: null, portOpen: true, answers: true })).toBe("taken");
  });
});

describe("portTakenError", () => {
  const base = { service: "Bolt", port: 7697, pidFile: ".data/run/neo4j-7697.pid", portVar: "NEO4J_BOLT_PORT", external: "NEO4J_URI=bolt://127.0.0.1:7697" };
  it("names the port, the variable to change, and how to stop the other process", () => {
    const msg = portTakenError({ ...base, answers: false }).message;
    expect(msg).toContain("port 7697 is taken");
    expect(msg).toContain("set NEO4J_BOLT_PORT to a free port");
    expect(msg).toContain("stop the process on port 7697");
    expect(msg).not.toContain("NEO4J_URI=");
  });
  it("offers to use a foreign server that answers the protocol", () => {
    expect(portTakenError({ ...base, answers: true }).message).toContain("set NEO4J_URI=bolt://127.0.0.1:7697 to use it");
  });
});

describe("log tails", () => {
  it("keeps the last non-empty lines", () => {
    expect(lastLines("a\n\nb\r\nc\nd\n", 2)).toEqual(["c", "d"]);
    expect(lastLines("", 5)).toEqual([]);
  });
  it("reads the last lines of a long file and says when a log is empty or missing", () => {
    const dir = tmp();
    const file = path.join(dir, "x.log");
    fs.writeFileSync(file, Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(30)}`).join("\n"));
    const tail = tailFile(file, 20);
    expect(tail).toHaveLength(20);
    expect(tail[0]).toMatch(/^line 4980 /);
    expect(tail[19]).toMatch(/^line 4999 /);
    expect(formatTail(file, tail)).toContain(`last 20 lines of ${file}`);
    expect(tailFile(path.join(dir, "missing.log"))).toEqual([]);
    expect(formatTail(file, [])).toContain("is empty");
  });
});

describe("pid files", () => {
  it("returns our live pid when the command line matches, and removes stale pid files", () => {
    const dir = tmp();
    const pidFile = path.join(dir, "run", "svc.pid");
    writePid(pidFile, process.pid);
    expect(readPid(pidFile)).toBe(process.pid);
    expect(livePid(pidFile, "node")).toBe(process.pid);
    expect(livePid(pidFile, "no-such-marker-xyz")).toBeNull();
    expect(fs.existsSync(pidFile)).toBe(false);

    const dead = spawnSync("true").pid;
    expect(dead).toBeGreaterThan(0);
    expect(isAlive(dead as number)).toBe(false);
    writePid(pidFile, dead as number);
    expect(livePid(pidFile, "true")).toBeNull();
    expect(fs.existsSync(pidFile)).toBe(false);
  });
  it("reads a garbled pid file as no pid", () => {
    const dir = tmp();
    const pidFile = path.join(dir, "x.pid");
    fs.writeFileSync(pidFile, "not a pid");
    expect(readPid(pidFile)).toBeNull();
    expect(readPid(path.join(dir, "none.pid"))).toBeNull();
  });
});

describe("parseJavaMajor", () => {
  it("reads modern and legacy version strings", () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor("no java here")).toBeNull();
  });
});

describe("missing Java", () => {
  it("names the cause and the fix", async () => {
    const { ensureLauncherBuilt } = await import("./neo4j.js");
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(ensureLauncherBuilt(path.join(tmp(), "build.lock"))).rejects.toThrow(/Java not found.*JDK 17\+.*NEO4J_URI/s);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe("decideRelease", () => {
  it("stops what we started when nobody else uses it, else leaves it to the last user", () => {
    expect(decideRelease({ startedByUs: true, releasedBefore: false, otherLiveLeases: 0 })).toBe("stop");
    expect(decideRelease({ startedByUs: true, releasedBefore: false, otherLiveLeases: 2 })).toBe("flag");
    expect(decideRelease({ startedByUs: false, releasedBefore: false, otherLiveLeases: 0 })).toBe("keep");
    expect(decideRelease({ startedByUs: false, releasedBefore: true, otherLiveLeases: 1 })).toBe("keep");
    expect(decideRelease({ startedByUs: false, releasedBefore: true, otherLiveLeases: 0 })).toBe("stop");
  });
});

describe("leases", () => {
  it("counts live holders and drops the leases of dead processes", () => {
    const dir = path.join(tmp(), "svc.leases");
    const dead = spawnSync("true").pid as number;
    leases.add(dir);
    leases.add(dir, dead);
    expect(leases.live(dir)).toEqual([process.pid]);
    expect(fs.readdirSync(dir)).toEqual([String(process.pid)]);
    leases.remove(dir);
    expect(leases.live(dir)).toEqual([]);
  });
});

describe("withLock", () => {
  it("runs holders one at a time and frees the lock after a failure", async () => {
    const lock = path.join(tmp(), "x.lock");
    const order: string[] = [];
    const job = (name: string) =>
      withLock(lock, async () => {
        order.push(`${name}+`);
        await sleep(50);
        order.push(`${name}-`);
      });
    await Promise.all([job("a"), job("b")]);
    expect(order.join(" ")).toMatch(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/);
    await expect(withLock(lock, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(fs.existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose owner died", async () => {
    const lock = path.join(tmp(), "y.lock");
    fs.mkdirSync(lock);
    writePid(path.join(lock, "pid"), spawnSync("true").pid as number);
    expect(await withLock(lock, async () => "got it", 2000)).toBe("got it");
  });

  it("gives up after its timeout while a live owner holds the lock", async () => {
    const lock = path.join(tmp(), "z.lock");
    fs.mkdirSync(lock);
    writePid(path.join(lock, "pid"), process.pid);
    await expect(withLock(lock, async () => "never", 300)).rejects.toThrow(/gave up waiting/);
  });
});

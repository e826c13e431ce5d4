import { describe, expect, it } from "vitest";
import { warmUpProbe } from "./warm-up.js";

const signal = new AbortController().signal;

describe("warm-up readiness probe", () => {
  it("says warming up until the warm-up ends, then how long it took", async () => {
    let finish!: () => void;
    let t = 1000;
    const probe = warmUpProbe("kg-caches", "catalog statistics", new Promise<void>((r) => (finish = r)), () => t);
    expect(probe.name).toBe("kg-caches");
    expect(await probe.check(signal)).toMatch(/^warming up: catalog statistics are being read/);
    t = 1250;
    finish();
    await probe.settled;
    expect(await probe.check(signal)).toBe("warm: catalog statistics read in 250 ms");
  });

  it("stays usable and says why when the warm-up fails", async () => {
    const probe = warmUpProbe("kg-caches", "catalog statistics", Promise.reject(new Error("Neo4j unavailable")));
    await probe.settled;
    expect(await probe.check(signal)).toBe("warming up failed (Neo4j unavailable); runs read catalog statistics on first use");
  });
});

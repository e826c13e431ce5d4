import neo4j from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { toNative } from "./mapping.js";

describe("toNative", () => {
  it("maps Integers to numbers and out-of-range Integers to strings", () => {
    expect(toNative(neo4j.int(42))).toBe(42);
    expect(toNative(neo4j.int("9223372036854775807"))).toBe("9223372036854775807");
  });

  it("maps DateTime to a UTC ISO string, whatever its offset", () => {
    const dt = new neo4j.types.DateTime(2025, 3, 5, 10, 0, 0, 0, 8 * 3600);
    expect(toNative(dt)).toBe("2025-03-05T02:00:00.000Z");
    const utc = neo4j.types.DateTime.fromStandardDate(new Date("2025-06-01T00:00:00Z"));
    expect(toNative(utc)).toBe("2025-06-01T00:00:00.000Z");
  });

  it("maps DateTimes with any offset, nanoseconds and Integer or number fields exactly as the driver's toStandardDate", () => {
    let x = 12345;
    const rand = (n: number) => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return x % n;
    };
    for (let k = 0; k < 2000; k++) {
      const fields = [1000 + rand(9000), 1 + rand(12), 1 + rand(28), rand(24), rand(60), rand(60), rand(1_000_000_000), (rand(37) - 18) * 3600 + rand(4) * 900] as const;
      const asInt = k % 2 === 0;
      const f = (v: number) => (asInt ? neo4j.int(v) : v);
      const dt = new neo4j.types.DateTime(f(fields[0]), f(fields[1]), f(fields[2]), f(fields[3]), f(fields[4]), f(fields[5]), f(fields[6]), f(fields[7]));
      expect(toNative(dt)).toBe(dt.toStandardDate().toISOString());
    }
  });

  it("maps Date and Duration to their ISO text", () => {
    expect(toNative(new neo4j.types.Date(2025, 1, 2))).toBe("2025-01-02");
    expect(toNative(new neo4j.types.Duration(0, 3, 0, 0))).toBe("P0M3DT0S");
    expect(toNative(new neo4j.types.Duration(1, 2, 3, 500_000_000))).toBe("P1M2DT3.5S");
  });

  it("maps nested lists, maps and nodes recursively", () => {
    const node = new neo4j.types.Node(neo4j.int(1), ["Item"], { id: "i-1", moq: neo4j.int(10), price: 4.5 });
    const value = { items: [node], meta: { n: neo4j.int(3), at: null, tags: ["a", neo4j.int(2)] } };
    expect(toNative(value)).toEqual({ items: [{ id: "i-1", moq: 10, price: 4.5 }], meta: { n: 3, at: null, tags: ["a", 2] } });
  });

  it("maps undefined to null and keeps plain scalars", () => {
    expect(toNative(undefined)).toBeNull();
    expect(toNative("碎花")).toBe("碎花");
    expect(toNative(true)).toBe(true);
    expect(toNative(1.5)).toBe(1.5);
  });
});

import { describe, expect, it } from "vitest";
import { Neo4jDateTime } from "../kg/datetime.js";

describe("wire schemas", () => {
  it("load after the KG modules, as npm start loads them, and still check date-times as Neo4j does", async () => {
    expect(Neo4jDateTime.safeParse("2025-05-20T10:00:00+23:59").success).toBe(false);
    const { ApiEvent } = await import("./schemas.js");
    const event = { eventId: "e1", userId: "b1", type: "view", itemId: "i-1" };
    expect(ApiEvent.safeParse({ ...event, at: "2025-05-20T10:00:00+08:00" }).success).toBe(true);
    expect(ApiEvent.safeParse({ ...event, at: "2025-05-20T10:00:00+23:59" }).success).toBe(false);
    expect(ApiEvent.safeParse({ ...event, at: "9999-05-20T10:00:00Z" }).success).toBe(false);
  });
});

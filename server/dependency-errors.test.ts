import { describe, expect, it } from "vitest";
import { Neo4jError } from "neo4j-driver";
import { dependencyError, unavailableDependency } from "./dependency-errors.js";

describe("unavailableDependency", () => {
  it("recognises Neo4j outages, connection failures and embedding timeouts through the cause chain", () => {
    expect(unavailableDependency(new Neo4jError("Could not perform discovery", "ServiceUnavailable", "", ""))).toBe("neo4j");
    expect(unavailableDependency(new Error("node failed", { cause: new Neo4jError("gone", "SessionExpired", "", "") }))).toBe("neo4j");
    expect(unavailableDependency(new Neo4jError("Connection acquisition timed out in 2000 ms.", "N/A", "", ""))).toBe("neo4j");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8911"), { code: "ECONNREFUSED" });
    expect(unavailableDependency(new TypeError("fetch failed", { cause: refused }))).toBe("embeddings");
    expect(unavailableDependency(Object.assign(new Error("Request timed out."), { name: "TimeoutError" }))).toBe("embeddings");
  });

  it("leaves every other error alone", () => {
    expect(unavailableDependency(new Neo4jError("Invalid input", "Neo.ClientError.Statement.SyntaxError", "", ""))).toBeNull();
    expect(unavailableDependency(new Error("the graph finished without a state"))).toBeNull();
    expect(unavailableDependency("string")).toBeNull();
    expect(dependencyError(new Error("x"))).toBeNull();
  });

  it("answers 503 dependency_unavailable with Retry-After", () => {
    const e = dependencyError(new Neo4jError("gone", "ServiceUnavailable", "", ""));
    expect(e?.status).toBe(503);
    expect(e?.code).toBe("dependency_unavailable");
    expect(e?.headers?.["Retry-After"]).toMatch(/^\d+$/);
  });
});

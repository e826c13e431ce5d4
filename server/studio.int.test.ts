import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toResult } from "../graph/assemble.js";
import { RecommendationResult } from "../contracts/result.js";
import type { GraphState } from "../contracts/state.js";
import { PROJECT_ROOT } from "../services/config.js";
import { modalityEnvValue } from "../services/index.js";
import { testDriver, testServices } from "../test/services.js";
import { exampleUserId } from "./wiring.js";

const PORT = Number(process.env.STUDIO_TEST_PORT ?? 2125);
const URL = `http://127.0.0.1:${PORT}`;

async function waitForOk(child: ChildProcess, log: () => string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`langgraph dev exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${URL}/ok`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`langgraph dev did not answer /ok within ${ms} ms:\n${log()}`);
}

describe("langgraph dev (Studio server)", () => {
  let child: ChildProcess;
  let output = "";
  let userId: string;

  beforeAll(async () => {
    const info = testServices();
    const driver = testDriver(info);
    try {
      userId = (await exampleUserId(driver)) ?? "";
    } finally {
      await driver.close();
    }
    expect(userId).not.toBe("");
    child = spawn(
      path.join(PROJECT_ROOT, "node_modules", ".bin", "langgraphjs"),
      ["dev", "--port", String(PORT), "--host", "127.0.0.1", "--no-browser", "--no-reload", "--n-jobs-per-worker", "2"],
      {
        cwd: PROJECT_ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          NEO4J_URI: info.neo4jUri,
          NEO4J_USER: info.neo4jUser,
          NEO4J_PASSWORD: info.neo4jPassword,
          EMBEDDINGS_BASE_URL: info.embeddingsBaseUrl,
          EMBEDDINGS_API_KEY: info.embeddingsApiKey,
          EMBEDDINGS_MODEL: info.embeddingsModel,
          EMBEDDINGS_TEXT_PREFIX: modalityEnvValue(info.embeddingsModality),
          LANGSMITH_TRACING: "false",
          LANGCHAIN_TRACING_V2: "false",
        },
      },
    );
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-20_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    await waitForOk(child, () => output, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
  });

  it("serves the registered graph to a LangGraph SDK client that runs it to a result", async () => {
    const client = new Client({ apiUrl: URL });
    const assistants = await client.assistants.search({ graphId: "chrysalis" });
    expect(assistants.map((a) => a.graph_id)).toContain("chrysalis");
    const state = (await client.runs.wait(null, "chrysalis", { input: { userId, asOf: "2025-06-01T00:00:00Z" } })) as unknown as GraphState;
    expect(state.userId).toBe(userId);
    const result = RecommendationResult.parse(toResult(state, { runId: "studio" }));
    expect(result.queries.length).toBeGreaterThan(0);
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.timings.map((t) => t.node)).toEqual(expect.arrayContaining(["load_context", "explain"]));
  });

  it("serves the Chrysalis routes next to the LangGraph API", async () => {
    expect(await (await fetch(`${URL}/healthz`)).json()).toEqual({ status: "ok" });
    const unauth = await fetch(`${URL}/v1/users/${userId}/recommendations`);
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toMatchObject({ code: "unauthorized" });
    expect((await fetch(`${URL}/ok`)).ok).toBe(true);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { unavailableReasonerIssues } from "../graph/config-check.js";
import { ConfigurationSchema, type ConfigurationInput } from "../contracts/configuration.js";
import { createFakeRunner, createTestApp, TEST_KEY } from "../test/support/server.js";

const open: ReturnType<typeof createTestApp>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

/** The app over a fake runner that validates the graph's real configuration schema and has no chat model. */
function appWithRealConfig() {
  const runner = createFakeRunner();
  const t = createTestApp({
    runner: {
      configSchema: ConfigurationSchema.strict() as never,
      checkConfig: (config) => unavailableReasonerIssues(config as ConfigurationInput, () => false),
      run: (userId, opts) => runner.run(userId, opts),
    },
  });
  open.push(t);
  return { ...t, runner };
}

const invoke = (app: ReturnType<typeof createTestApp>["app"], body: string) =>
  app.request("/v1/users/b1/invoke", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_KEY}` }, body });

describe("invoke configuration errors", () => {
  it("answers out-of-range numbers with 400 invalid_config naming the field", async () => {
    const { app, runner } = appWithRealConfig();
    for (const field of ["trendWeeks", "recentOrderWeeks"]) {
      const res = await invoke(app, JSON.stringify({ config: { [field]: 1e9 } }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string; details: { path: string }[] };
      expect(body.code).toBe("invalid_config");
      expect(body.message).toContain(`config.${field}`);
      expect(body.details[0].path).toBe(field);
    }
    expect(runner.calls).toHaveLength(0);
  });

  it("answers defaultReasoner llm without a chat model with 400 llm_not_configured", async () => {
    const { app, runner } = appWithRealConfig();
    const res = await invoke(app, JSON.stringify({ config: { defaultReasoner: "llm" } }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe("llm_not_configured");
    expect(body.message).toContain("config.defaultReasoner");
    expect(runner.calls).toHaveLength(0);
    expect((await invoke(app, JSON.stringify({ config: { defaultReasoner: "analytic" } }))).status).toBe(200);
  });

  it("rejects __proto__ in config like any other unknown key", async () => {
    const { app, runner } = appWithRealConfig();
    const proto = await invoke(app, '{"config":{"__proto__":{"maxCriticLoops":1}}}');
    expect(proto.status).toBe(400);
    expect(await proto.json()).toMatchObject({ code: "invalid_config" });
    const other = await invoke(app, '{"config":{"notAnOption":{"maxCriticLoops":1}}}');
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ code: "invalid_config" });
    expect(runner.calls).toHaveLength(0);
  });
});

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PROJECT_ROOT } from "../services/config.js";
import { STUDIO_PATHS } from "./studio.js";

const LanggraphJson = z.object({
  node_version: z.string(),
  graphs: z.record(z.string(), z.union([z.string(), z.object({ path: z.string() })])),
  http: z.object({ app: z.string() }),
});

const config = LanggraphJson.parse(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "langgraph.json"), "utf8")));

async function load(spec: string): Promise<unknown> {
  const [file, name] = spec.split(":");
  const abs = path.resolve(PROJECT_ROOT, file);
  expect(fs.existsSync(abs), `${file} exists`).toBe(true);
  const mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  expect(Object.keys(mod), `${file} exports ${name}`).toContain(name ?? "default");
  return mod[name ?? "default"];
}

describe("langgraph.json", () => {
  it("registers only graphs that are real compiled graphs with the design's nodes", async () => {
    expect(Object.keys(config.graphs).length).toBeGreaterThan(0);
    for (const spec of Object.values(config.graphs)) {
      const graph = (await load(typeof spec === "string" ? spec : spec.path)) as { stream?: unknown; getGraphAsync?: () => Promise<{ nodes: Record<string, unknown> }> };
      expect(typeof graph.stream).toBe("function");
      const drawable = await (graph.getGraphAsync as () => Promise<{ nodes: Record<string, unknown> }>).call(graph);
      expect(Object.keys(drawable.nodes)).toEqual(
        expect.arrayContaining(["load_context", "compress_behavior", "critique_queries", "retrieve_items", "explain"]),
      );
    }
  });

  it("points http.app at a Hono app that serves the Chrysalis routes and no catch-all", async () => {
    const app = (await load(config.http.app)) as { fetch?: unknown; routes?: { path: string }[] };
    expect(typeof app.fetch).toBe("function");
    const paths = new Set((app.routes ?? []).map((r) => r.path));
    expect([...paths].sort()).toEqual([...STUDIO_PATHS].sort());
    expect(paths.has("/*")).toBe(false);
  });
});

/**
 * A mock Tavily API for tests (Hono on 127.0.0.1, random port): `POST /search` checks the bearer
 * key, records the request and answers with results from a scripted function of the query, in
 * Tavily's wire format (snake_case, `images`, `response_time`, `request_id`).
 */
import { Hono } from "hono";
import { listenLoopback } from "./fakes/loopback.js";

export interface MockTavilyResult {
  title: string;
  url: string;
  content: string;
  score?: number;
  published_date?: string;
}

export interface MockTavily {
  /** Pass as `apiBaseURL` / `TAVILY_BASE_URL`. */
  baseUrl: string;
  requests: { body: Record<string, unknown>; authorization: string | null }[];
  close(): Promise<void>;
}

export async function startMockTavily(options: {
  apiKey: string;
  results: (query: string) => MockTavilyResult[];
}): Promise<MockTavily> {
  const requests: MockTavily["requests"] = [];
  const app = new Hono();
  app.post("/search", async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    const authorization = c.req.header("authorization") ?? null;
    requests.push({ body, authorization });
    if (authorization !== `Bearer ${options.apiKey}`) return c.json({ detail: { error: "Unauthorized: missing or invalid API key." } }, 401);
    const query = typeof body.query === "string" ? body.query : "";
    if (query === "") return c.json({ detail: { error: "query is required" } }, 400);
    const max = typeof body.max_results === "number" ? body.max_results : 5;
    const results = options.results(query).slice(0, max).map((r, i) => ({
      score: 0.9 - i * 0.1,
      raw_content: null,
      ...r,
    }));
    return c.json({ query, answer: null, images: [], results, response_time: 0.01, request_id: `mock-${requests.length}` });
  });
  const server = await listenLoopback(app);
  return { baseUrl: server.origin, requests, close: () => server.close() };
}

/**
 * A small OpenAI-compatible server for wire tests (Hono on 127.0.0.1, random port): non-streaming
 * `POST /v1/chat/completions` answering from a queue of scripted replies (text, JSON for
 * `response_format: json_schema`, tool calls, HTTP errors) with `usage` filled by gpt-tokenizer,
 * and `POST /v1/embeddings` with deterministic character-bigram vectors (float or base64). Every
 * request body is recorded. A `{json}` reply to a request that forces a named function becomes
 * that function's tool call, so one script serves both structured-output methods.
 */
import { Hono } from "hono";
import { countTokens } from "../llm/tokens.js";
import { listenLoopback } from "./fakes/loopback.js";

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  [key: string]: unknown;
}

export type MockChatReply =
  | { content: string; finishReason?: "stop" | "length" }
  | { json: unknown }
  | { toolCalls: { name: string; args: Record<string, unknown>; id?: string }[]; content?: string }
  | { status: number; message: string }
  | ((request: ChatRequestBody) => Exclude<MockChatReply, (...a: never[]) => unknown>);

export interface MockOpenAI {
  /** Base URL for the OpenAI client: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** Every request: path and parsed JSON body, in arrival order. */
  requests: { path: string; body: unknown; authorization: string | null }[];
  /** The `usage` of every chat completion answered, in order. */
  usages: { prompt_tokens: number; completion_tokens: number; total_tokens: number }[];
  chatRequests(): ChatRequestBody[];
  /** Adds scripted chat replies to the queue. */
  enqueue(...replies: MockChatReply[]): void;
  /** Scripted replies not used yet. */
  pending(): number;
  close(): Promise<void>;
}

export interface MockOpenAIOptions {
  replies?: MockChatReply[];
  /** Dimension of the embedding vectors (default 32). */
  embeddingDim?: number;
}

/** A deterministic, L2-normalised bag of character bigrams hashed into `dim` buckets. */
export function mockEmbedding(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const chars = [...text];
  const grams = chars.length < 2 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
  for (const g of grams) {
    let h = 2166136261;
    for (let i = 0; i < g.length; i++) h = Math.imul(h ^ g.charCodeAt(i), 16777619);
    v[(h >>> 0) % dim] += 1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v.map((_, i) => (i === 0 ? 1 : 0)) : v.map((x) => x / norm);
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  return "";
}

function forcedFunction(body: ChatRequestBody): string | undefined {
  const choice = body.tool_choice as { type?: string; function?: { name?: string } } | undefined;
  return choice && typeof choice === "object" && choice.type === "function" ? choice.function?.name : undefined;
}

export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  const queue: MockChatReply[] = [...(options.replies ?? [])];
  const requests: MockOpenAI["requests"] = [];
  const usages: MockOpenAI["usages"] = [];
  const dim = options.embeddingDim ?? 32;
  let seq = 0;
  const app = new Hono();

  app.post("/v1/chat/completions", async (c) => {
    const body = (await c.req.json()) as ChatRequestBody;
    requests.push({ path: c.req.path, body, authorization: c.req.header("authorization") ?? null });
    if (body.stream) return c.json({ error: { message: "the mock does not stream" } }, 400);
    let reply = queue.shift();
    if (reply === undefined) return c.json({ error: { message: "mock-openai: no scripted reply left" } }, 500);
    if (typeof reply === "function") reply = reply(body);
    if ("status" in reply) return c.json({ error: { message: reply.message, type: "mock_error" } }, reply.status as 400);
    seq += 1;
    const forced = forcedFunction(body);
    let message: Record<string, unknown>;
    let finish = "stop";
    const toolCalls =
      "toolCalls" in reply
        ? reply.toolCalls
        : "json" in reply && forced
          ? [{ name: forced, args: reply.json as Record<string, unknown> }]
          : undefined;
    if (toolCalls) {
      finish = "tool_calls";
      message = {
        role: "assistant",
        content: "toolCalls" in reply ? (reply.content ?? null) : null,
        tool_calls: toolCalls.map((tc, i) => ({
          id: ("id" in tc && tc.id) || `call_${seq}_${i}`,
          type: "function",
          function: { name: tc.name, arguments: JSON.stringify(tc.args) },
        })),
      };
    } else {
      const content = "json" in reply ? JSON.stringify(reply.json) : reply.content;
      message = { role: "assistant", content };
      if ("finishReason" in reply && reply.finishReason) finish = reply.finishReason;
    }
    const promptTokens = body.messages.reduce((s, m) => s + 3 + countTokens(contentText(m.content)), 3);
    const completionTokens = countTokens(JSON.stringify(message));
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    usages.push(usage);
    return c.json({
      id: `chatcmpl-mock-${seq}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage,
    });
  });

  app.post("/v1/embeddings", async (c) => {
    const body = (await c.req.json()) as { input: string | string[]; model: string; encoding_format?: string };
    requests.push({ path: c.req.path, body, authorization: c.req.header("authorization") ?? null });
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.some((s) => typeof s !== "string")) return c.json({ error: { message: "mock-openai: string inputs only" } }, 400);
    const data = inputs.map((text, index) => {
      const vec = mockEmbedding(text, dim);
      const embedding =
        body.encoding_format === "base64" ? Buffer.from(new Float32Array(vec).buffer).toString("base64") : vec;
      return { object: "embedding", index, embedding };
    });
    const tokens = inputs.reduce((s, t) => s + countTokens(t), 0);
    return c.json({ object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  });

  const server = await listenLoopback(app);
  return {
    baseUrl: `${server.origin}/v1`,
    requests,
    usages,
    chatRequests: () => requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body as ChatRequestBody),
    enqueue: (...replies) => queue.push(...replies),
    pending: () => queue.length,
    close: () => server.close(),
  };
}

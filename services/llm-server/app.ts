/**
 * The local model's OpenAI-compatible HTTP surface (Hono app, no listen): `GET /v1/models`,
 * `POST /v1/chat/completions` (messages, `response_format` text | json_object | json_schema,
 * `tools` + `tool_choice`, `max_tokens` / `max_completion_tokens`, `temperature`; no streaming),
 * `GET /health`. Validates requests with zod, answers errors in OpenAI's shape
 * (`{error: {message, type, param, code}}`) and hands the normalised request to a `ChatEngine`
 * (services/llm-server/engine.ts runs node-llama-cpp; tests pass a scripted one).
 */
import { Hono } from "hono";
import { z } from "zod";

/** One message as the engine sees it: tool calls carried as name + JSON argument text. */
export type EngineMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; toolCalls: { id: string; name: string; arguments: string }[] }
  | { role: "tool"; content: string; toolCallId: string; name: string };

export interface EngineTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ToolMode = "auto" | "required" | { name: string };

export interface EngineRequest {
  messages: EngineMessage[];
  /** `json_schema` response format: the schema the answer must follow (grammar-enforced). */
  jsonSchema?: Record<string, unknown>;
  /** `json_object` response format: any JSON object. */
  jsonObject?: boolean;
  /** Tools the model may call (empty when `tool_choice` is `none`). */
  tools: EngineTool[];
  toolMode: ToolMode;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface EngineResult {
  content: string | null;
  toolCalls: { name: string; arguments: string }[];
  finishReason: "stop" | "length" | "tool_calls";
  promptTokens: number;
  completionTokens: number;
}

export interface ChatEngine {
  modelId: string;
  contextSize: number;
  complete(req: EngineRequest): Promise<EngineResult>;
}

/** Thrown by an engine for a request it cannot serve (answered 400 with this code). */
export class EngineRequestError extends Error {
  override name = "EngineRequestError";
  constructor(
    message: string,
    readonly code: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

const TextPart = z.object({ type: z.literal("text"), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart), z.null()]).optional();
const ToolCall = z.object({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const Message = z.discriminatedUnion("role", [
  z.object({ role: z.enum(["system", "developer"]), content: Content }),
  z.object({ role: z.literal("user"), content: Content }),
  z.object({ role: z.literal("assistant"), content: Content, tool_calls: z.array(ToolCall).optional() }),
  z.object({ role: z.literal("tool"), content: Content, tool_call_id: z.string() }),
]);

const ChatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  response_format: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("text") }),
      z.object({ type: z.literal("json_object") }),
      z.object({
        type: z.literal("json_schema"),
        json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()), strict: z.boolean().nullable().optional() }),
      }),
    ])
    .optional(),
  tools: z
    .array(
      z.object({
        type: z.literal("function"),
        function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([z.enum(["none", "auto", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) })])
    .optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  stream: z.boolean().nullable().optional(),
});

function text(content: z.infer<typeof Content>): string {
  if (content === undefined || content === null) return "";
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

function errorBody(message: string, code: string, param: string | null, type = "invalid_request_error") {
  return { error: { message, type, param, code } };
}

/** Normalises a validated request into the engine's shape. */
export function toEngineRequest(body: z.infer<typeof ChatRequest>): EngineRequest {
  const names = new Map<string, string>();
  const messages: EngineMessage[] = body.messages.map((m) => {
    if (m.role === "assistant") {
      const toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
      for (const c of toolCalls) names.set(c.id, c.name);
      return { role: "assistant", content: text(m.content), toolCalls };
    }
    if (m.role === "tool") return { role: "tool", content: text(m.content), toolCallId: m.tool_call_id, name: names.get(m.tool_call_id) ?? "tool" };
    return { role: m.role === "user" ? "user" : "system", content: text(m.content) };
  });
  const choice = body.tool_choice ?? "auto";
  const allTools = (body.tools ?? []).map((t) => ({
    name: t.function.name,
    description: t.function.description ?? "",
    parameters: t.function.parameters ?? { type: "object", properties: {} },
  }));
  const tools = choice === "none" ? [] : allTools;
  const toolMode: ToolMode = typeof choice === "object" ? { name: choice.function.name } : choice === "required" ? "required" : "auto";
  if (typeof toolMode === "object" && !tools.some((t) => t.name === toolMode.name)) {
    throw new EngineRequestError(`tool_choice names "${toolMode.name}", which is not in tools`, "invalid_tool_choice", "tool_choice");
  }
  const rf = body.response_format;
  return {
    messages,
    ...(rf?.type === "json_schema" ? { jsonSchema: rf.json_schema.schema } : {}),
    ...(rf?.type === "json_object" ? { jsonObject: true } : {}),
    tools,
    toolMode,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    temperature: body.temperature ?? undefined,
  };
}

/** The app over an engine; every engine call is serialised (one model, one context sequence). */
export function createLlmApp(engine: ChatEngine): Hono {
  const app = new Hono();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  app.get("/health", (c) => c.json({ status: "ok", model: engine.modelId }));
  app.get("/v1/models", (c) =>
    c.json({ object: "list", data: [{ id: engine.modelId, object: "model", created: 0, owned_by: "local", context_length: engine.contextSize }] }),
  );

  app.post("/v1/chat/completions", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json(errorBody("the request body is not JSON", "invalid_json", null), 400);
    }
    const parsed = ChatRequest.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      const param = i.path.join(".");
      return c.json(errorBody(`${param || "(body)"}: ${i.message}`, "invalid_request", param || null), 400);
    }
    if (parsed.data.stream) return c.json(errorBody("stream: streaming is not supported by the local server", "unsupported_parameter", "stream"), 400);
    let req: EngineRequest;
    try {
      req = { ...toEngineRequest(parsed.data), signal: c.req.raw.signal };
    } catch (e) {
      if (e instanceof EngineRequestError) return c.json(errorBody(e.message, e.code, e.param), 400);
      throw e;
    }
    try {
      const out = await serial(() => (req.signal?.aborted ? Promise.reject(new Error("client went away")) : engine.complete(req)));
      const created = Math.floor(Date.now() / 1000);
      const toolCalls = out.toolCalls.map((t, i) => ({ id: `call_${created.toString(36)}_${i}`, type: "function" as const, function: t }));
      return c.json({
        id: `chatcmpl-${created.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
        object: "chat.completion",
        created,
        model: engine.modelId,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: out.content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
            finish_reason: out.finishReason,
          },
        ],
        usage: { prompt_tokens: out.promptTokens, completion_tokens: out.completionTokens, total_tokens: out.promptTokens + out.completionTokens },
      });
    } catch (e) {
      if (e instanceof EngineRequestError) return c.json(errorBody(e.message, e.code, e.param), 400);
      const message = e instanceof Error ? e.message : String(e);
      return c.json(errorBody(`generation failed: ${message}`, "generation_failed", null, "server_error"), 500);
    }
  });

  app.notFound((c) => c.json(errorBody(`${c.req.method} ${c.req.path} is not served here`, "not_found", null), 404));
  return app;
}

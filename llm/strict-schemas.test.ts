/**
 * Every role's real schema, serialised exactly as `withStructuredOutput(schema, {method:
 * "jsonSchema"})` puts it on the wire (the request body is captured by a fetch that answers
 * locally), checked against OpenAI's strict json_schema rules: the root is an object; every
 * object lists all its properties in `required` and sets `additionalProperties: false`; no
 * keyword strict mode rejects (string lengths, defaults, oneOf, …). Optional fields must be
 * nullable, lengths are checked after parsing (by the zod schema's refinements).
 */
import { describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage } from "@langchain/core/messages";
import { ROLE_SCHEMAS, ROLE_WIRE_SCHEMAS } from "./role-schemas.js";

const REJECTED_KEYWORDS = [
  "minLength", "maxLength", "default", "oneOf", "allOf", "not", "if", "then", "else",
  "patternProperties", "propertyNames", "minProperties", "maxProperties", "unevaluatedProperties", "contains",
];

/** Strict-mode violations of a JSON schema, each with its path. */
export function strictViolations(schema: unknown, at = "$", root = true): string[] {
  if (schema === null || typeof schema !== "object") return [];
  if (Array.isArray(schema)) return schema.flatMap((s, i) => strictViolations(s, `${at}[${i}]`, false));
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if (root && s.type !== "object") out.push(`${at}: the root must be an object`);
  for (const k of REJECTED_KEYWORDS) if (k in s) out.push(`${at}: keyword "${k}" is not allowed in strict mode`);
  if (s.type === "object" || "properties" in s) {
    const props = Object.keys((s.properties as Record<string, unknown>) ?? {});
    const required = new Set((s.required as string[]) ?? []);
    for (const p of props) if (!required.has(p)) out.push(`${at}.${p}: optional property (strict mode needs every property required; use nullable)`);
    if (s.additionalProperties !== false) out.push(`${at}: additionalProperties must be false`);
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === "properties" || k === "$defs" || k === "definitions") {
      for (const [name, sub] of Object.entries(v as Record<string, unknown>)) out.push(...strictViolations(sub, `${at}.${name}`, false));
    } else if (k === "items" || k === "anyOf" || k === "additionalProperties") {
      out.push(...strictViolations(v, `${at}.${k}`, false));
    }
  }
  return out;
}

/** The `response_format` that withStructuredOutput sends for `schema`. */
async function wireFormat(name: string, schema: unknown): Promise<{ type: string; json_schema: { name: string; strict?: boolean; schema: unknown } }> {
  let body: Record<string, unknown> | undefined;
  const fetchStub = async (_url: unknown, init?: { body?: unknown }) => {
    body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    return new Response(JSON.stringify({ error: { message: "captured", type: "invalid_request_error", code: "captured" } }), {
      status: 400,
      headers: { "content-type": "application/json" },
    });
  };
  const model = new ChatOpenAI({ model: "m", apiKey: "k", maxRetries: 0, useResponsesApi: false, configuration: { baseURL: "http://127.0.0.1:9/v1", fetch: fetchStub as typeof fetch } });
  await model
    .withStructuredOutput(schema as Record<string, unknown>, { name, method: "jsonSchema" })
    .invoke([new HumanMessage("x")])
    .catch(() => undefined);
  if (!body) throw new Error("no request was sent");
  return body.response_format as never;
}

describe("strict json_schema", () => {
  it("the checker finds optional keys, open objects and string lengths", () => {
    const v = strictViolations({ type: "object", properties: { a: { type: "string", minLength: 1 }, b: { type: "string" } }, required: ["a"] });
    expect(v).toEqual(
      expect.arrayContaining([
        expect.stringContaining("$.b: optional property"),
        expect.stringContaining("additionalProperties must be false"),
        expect.stringContaining('$.a: keyword "minLength"'),
      ]),
    );
  });

  for (const [role, schema] of [...Object.entries(ROLE_SCHEMAS), ...Object.entries(ROLE_WIRE_SCHEMAS).map(([r, s]) => [`${r} (wire)`, s] as const)]) {
    it(`${role}: the schema withStructuredOutput sends passes strict mode`, async () => {
      const rf = await wireFormat(role, schema);
      expect(rf.type).toBe("json_schema");
      expect(rf.json_schema.strict).toBe(true);
      expect(strictViolations(rf.json_schema.schema)).toEqual([]);
    });
  }
});

/**
 * Entry point of the local OpenAI-compatible model server (started detached by services/llm.ts):
 * `node --import tsx services/llm-server/main.ts --model <gguf> --port N [--threads T] [--context C]`.
 * Loads the model, then listens on 127.0.0.1 (so a listening port means a loaded model) and logs
 * to stdout (one line per completion: kind, prompt and completion tokens, ms); SIGTERM/SIGINT
 * close the server and free the model.
 */
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createLlmApp } from "./app.js";
import { LlamaEngine } from "./engine.js";
import { LOCAL_MODEL } from "../llm-model.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      port: { type: "string" },
      threads: { type: "string", default: "2" },
      context: { type: "string", default: "8192" },
      id: { type: "string", default: LOCAL_MODEL.id },
    },
  });
  if (!values.model || !values.port) throw new Error("usage: main.ts --model <gguf> --port N [--threads T] [--context C]");
  const t0 = Date.now();
  const engine = await LlamaEngine.load({
    modelPath: values.model,
    modelId: values.id!,
    contextSize: Number(values.context),
    threads: Number(values.threads),
  });
  console.log(`model ${values.id} loaded in ${Date.now() - t0} ms (context ${values.context}, threads ${values.threads})`);
  const logged = {
    modelId: engine.modelId,
    contextSize: engine.contextSize,
    async complete(req: Parameters<typeof engine.complete>[0]) {
      const t = Date.now();
      const kind = req.tools.length > 0 ? "tools" : req.jsonSchema ? "json_schema" : req.jsonObject ? "json_object" : "text";
      const out = await engine.complete(req).catch((e: unknown) => {
        console.log(`${new Date().toISOString()} ${kind} failed after ${Date.now() - t} ms: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      });
      const tail = out.finishReason === "length" && out.content ? ` ends ${JSON.stringify(out.content.slice(-200))}` : "";
      console.log(`${new Date().toISOString()} ${kind} prompt ${out.promptTokens} completion ${out.completionTokens} (max ${req.maxTokens ?? "default"}) ${Date.now() - t} ms ${out.finishReason}${tail}`);
      return out;
    },
  };
  const server = serve({ fetch: createLlmApp(logged).fetch, hostname: "127.0.0.1", port: Number(values.port) }, (info) => {
    console.log(`listening on http://127.0.0.1:${info.port}/v1`);
  });
  const shutdown = () => {
    server.close();
    void engine.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

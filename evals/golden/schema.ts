/**
 * Formats of the committed golden sets. Each set names the world it was built from (preset, seed,
 * `asOf` and a checksum of the world files) so the runner can refuse a mismatched world or KG.
 * Labels come from the world's latent truth and held-out behaviour, never from system output.
 */
import fs from "node:fs";
import { z } from "zod";
import { EventType } from "../../contracts/records.js";
import { EvidenceRef, GeneratedQuerySchema } from "../../contracts/queries.js";

export const GOLDEN_SETS = ["users-ci", "critic", "uq", "trends", "users-real"] as const;
export type GoldenSetName = (typeof GOLDEN_SETS)[number];

export const GoldenHeader = z.object({
  set: z.enum(GOLDEN_SETS),
  version: z.literal(1),
  preset: z.string(),
  seed: z.number().int(),
  asOf: z.string(),
  heldOutEnd: z.string(),
  /** sha256 over the world's public files and latent files (see `checksum.ts`). */
  worldChecksum: z.string().regex(/^[0-9a-f]{64}$/),
  builtBy: z.literal("evals/golden/build.ts"),
  notes: z.string(),
});
export type GoldenHeader = z.infer<typeof GoldenHeader>;

export const HeldOutInteraction = z.object({
  itemId: z.string(),
  type: EventType,
  at: z.string(),
  categoryId: z.string(),
  valueIds: z.array(z.string()),
});

export const GoldenBuyer = z.object({
  userId: z.string(),
  /** Latent buyer type, for slicing results only. */
  buyerType: z.string(),
  heldOut: z.array(HeldOutInteraction),
  /** Held-out items new to the buyer (category or values absent from history), frozen at build. */
  discovery: z.array(
    z.object({ itemId: z.string(), categoryId: z.string(), newCategory: z.boolean(), newValueIds: z.array(z.string()) }),
  ),
  /** Held-out events by the intent that produced them (latent). */
  intents: z.object({ history: z.number(), trend: z.number(), cross: z.number(), potential: z.number() }),
});
export type GoldenBuyer = z.infer<typeof GoldenBuyer>;

export const UsersGolden = z.object({ header: GoldenHeader, buyers: z.array(GoldenBuyer) });
export type UsersGolden = z.infer<typeof UsersGolden>;

/** A piece of evidence a query may cite, as the system's state would hold it. */
export const EvidenceRecord = z.object({
  kind: EvidenceRef.shape.kind,
  id: z.string(),
  categoryId: z.string().nullable(),
  /** Values the evidence really carries (tuple: values of items touched that week; trend: labelled values). */
  valueIds: z.array(z.string()),
  text: z.string().optional(),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;

export const CriticContext = z.object({
  contextId: z.string(),
  userId: z.string(),
  asOf: z.string(),
  evidence: z.array(EvidenceRecord),
});
export type CriticContext = z.infer<typeof CriticContext>;

export const CRITIC_KINDS = [
  "valid",
  "unknown_value",
  "value_not_allowed",
  "unknown_category",
  "unsupported_evidence",
  "retrieves_nothing",
  "injection",
  "url",
  "schema_break",
  "valid_new_combination",
  "multi_fault",
  "paraphrased_injection",
] as const;

/** Kinds the critic must pass. */
export const PASSING_CRITIC_KINDS: readonly CriticKind[] = ["valid", "valid_new_combination"];
export type CriticKind = (typeof CRITIC_KINDS)[number];

/**
 * A generated draft in the query generator's terms (`GeneratedQuerySchema` of
 * contracts/queries.ts: names, not ids; evidence as ids), as the critic receives it, without the
 * generator's length bounds (the critic must judge whatever a generator produced).
 */
export const CandidateQuery = GeneratedQuerySchema.extend({
  text: z.string(),
  values: z.array(z.string()),
  evidence: z.array(z.string()),
});
export type CandidateQuery = z.infer<typeof CandidateQuery>;

export const CriticCase = z.object({
  id: z.string(),
  contextId: z.string(),
  kind: z.enum(CRITIC_KINDS),
  expected: z.enum(["pass", "fail"]),
  /** The raw candidate (for `schema_break` it does not satisfy `CandidateQuery`). */
  query: z.unknown(),
  /** Ids behind the names, when they exist (for reporting). */
  categoryId: z.string().nullable(),
  valueIds: z.array(z.string()),
  note: z.string(),
});
export type CriticCase = z.infer<typeof CriticCase>;

export const CriticGolden = z.object({ header: GoldenHeader, contexts: z.array(CriticContext), cases: z.array(CriticCase) });
export type CriticGolden = z.infer<typeof CriticGolden>;

export const UQ_SOURCES = ["main-preference", "potential", "heldout-discovery", "heldout-history", "other-category", "off-preference"] as const;

export const UqPair = z.object({
  id: z.string(),
  userId: z.string(),
  query: z.object({ text: z.string(), categoryId: z.string(), valueIds: z.array(z.string()) }),
  relevant: z.boolean(),
  source: z.enum(UQ_SOURCES),
  split: z.enum(["train", "test"]),
});
export type UqPair = z.infer<typeof UqPair>;

export const UqGolden = z.object({ header: GoldenHeader, pairs: z.array(UqPair) });
export type UqGolden = z.infer<typeof UqGolden>;

export const TrendGoldenDoc = z.object({
  docId: z.string(),
  source: z.string(),
  title: z.string(),
  text: z.string(),
  publishedAt: z.string(),
  terms: z.array(z.string()),
  valueIds: z.array(z.string()),
  categoryIds: z.array(z.string()),
  isNoise: z.boolean(),
  isInjection: z.boolean(),
});
export type TrendGoldenDoc = z.infer<typeof TrendGoldenDoc>;

export const TrendsGolden = z.object({ header: GoldenHeader, docs: z.array(TrendGoldenDoc) });
export type TrendsGolden = z.infer<typeof TrendsGolden>;

export const GOLDEN_SCHEMAS = { "users-ci": UsersGolden, critic: CriticGolden, uq: UqGolden, trends: TrendsGolden, "users-real": UsersGolden } as const;

/** Serialises a golden set with one record per line (stable, diff-friendly). */
export function stringifyGolden(header: GoldenHeader, arrays: Record<string, unknown[]>): string {
  const parts = [`{"header":${JSON.stringify(header)}`];
  for (const [name, rows] of Object.entries(arrays)) {
    parts.push(`,\n${JSON.stringify(name)}:[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]`);
  }
  return parts.join("") + "\n}\n";
}

export function readGolden<N extends GoldenSetName>(file: string, set: N): z.infer<(typeof GOLDEN_SCHEMAS)[N]> {
  return GOLDEN_SCHEMAS[set].parse(JSON.parse(fs.readFileSync(file, "utf8"))) as z.infer<(typeof GOLDEN_SCHEMAS)[N]>;
}

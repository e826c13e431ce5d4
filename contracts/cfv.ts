/**
 * The category–factor–value (CFV) preference contract (analyze_cfv): what a reasoner returns
 * (`CfvStepSchema`, names resolved by the role) and the resolved CFV with ids (`CfvSchema`).
 */
import { z } from "zod";

export const CfvEntrySchema = z.object({
  id: z.string().describe("cfv:<horizon>:<categoryId>:<valueId>"),
  valueId: z.string(),
  name: z.string(),
  factor: z.string(),
  weight: z.number().min(0).max(10),
  /** Evidence refs behind a potential value: `trend:<docId>`, `pair:<from>:<to>`. */
  support: z.array(z.string()),
});

export type CfvEntry = z.infer<typeof CfvEntrySchema>;

/** What a reasoner returns per entry; the node resolves names to KG values and assigns ids. */
export const CfvStepEntrySchema = z.object({
  valueId: z.string().nullable().describe("KG value id when known, else null"),
  name: z.string().describe("value name from the vocabulary"),
  factor: z.string().nullable().describe("the value's factor, or null"),
  weight: z.number().min(0).max(10),
  support: z.array(z.string()).describe("for potential values: trend:<docId> or pair:<from>:<to>"),
});

export const CfvStepSchema = z.object({
  categories: z.array(
    z.object({
      categoryId: z.string(),
      name: z.string(),
      long: z.array(CfvStepEntrySchema),
      recent: z.array(CfvStepEntrySchema),
      potential: z.array(CfvStepEntrySchema),
    }),
  ),
});

export type CfvStep = z.infer<typeof CfvStepSchema>;

/** What the cfv model is asked for when the buyer has categories: the same shape, at least one category. */
export const CfvStepWireSchema = z.object({ categories: CfvStepSchema.shape.categories.min(1) });

/**
 * A potential category: a leaf the buyer never touched that buyers engaged in the buyer's own
 * categories also engage with (the peer signal: precomputed `CO_ENGAGED`, kg/co-engagement.ts).
 * Citable by queries as evidence `peer:<categoryId>`.
 */
export const PeerCategorySchema = z.object({
  id: z.string().describe("peer:<categoryId>"),
  categoryId: z.string(),
  name: z.string(),
  /** Σ over the buyer's categories of their engagement share × the co-engagement weight. */
  weight: z.number().min(0),
  /** The buyer's categories it is co-engaged with, strongest contribution first. */
  via: z.array(z.string()),
});

export type PeerCategory = z.infer<typeof PeerCategorySchema>;

export const CfvSchema = z.object({
  categories: z.array(
    z.object({
      categoryId: z.string(),
      name: z.string(),
      long: z.array(CfvEntrySchema),
      recent: z.array(CfvEntrySchema),
      potential: z.array(CfvEntrySchema),
    }),
  ),
  /** Potential categories from peers, strongest first (absent when the role computed none). */
  peers: z.array(PeerCategorySchema).optional(),
});

export type Cfv = z.infer<typeof CfvSchema>;


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

/**
 * What a reasoner returns per entry; the role resolves names to KG values and assigns ids. A model
 * answers by name only (`cfvStepWireSchema`): `valueId` and `factor` default to null.
 */
export const CfvStepEntrySchema = z.object({
  valueId: z.string().nullable().default(null).describe("KG value id when known, else null"),
  name: z.string().describe("value name from the vocabulary"),
  factor: z.string().nullable().default(null).describe("the value's factor, or null"),
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

/** The most entries per horizon, and support refs per entry, a model writes (the analytic CFV keeps all). */
export const CFV_WIRE_LIMITS = { long: 3, recent: 2, potential: 2, support: 2 } as const;

/**
 * What the cfv model is asked for: values by name with weight and support, at most
 * `CFV_WIRE_LIMITS` per horizon, at most `categories` categories and at least one when the buyer
 * has some — bounded so that a small model's indented JSON fits the role's `max_tokens`.
 */
export function cfvStepWireSchema(categories: number) {
  const entry = z.object({
    name: CfvStepEntrySchema.shape.name,
    weight: CfvStepEntrySchema.shape.weight,
    support: CfvStepEntrySchema.shape.support.max(CFV_WIRE_LIMITS.support),
  });
  const category = z.object({
    categoryId: z.string(),
    name: z.string(),
    long: z.array(entry).max(CFV_WIRE_LIMITS.long),
    recent: z.array(entry).max(CFV_WIRE_LIMITS.recent),
    potential: z.array(entry).max(CFV_WIRE_LIMITS.potential),
  });
  return z.object({ categories: z.array(category).min(categories > 0 ? 1 : 0).max(Math.max(1, categories)) });
}

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


/**
 * The business portrait contract (build_portrait): main categories, B-type, drop-shipper type,
 * core intent and the four-part profile.
 */
import { z } from "zod";

export const B_TYPES = ["boutique", "wholesaler", "live_stream", "drop_shipper", "cross_border", "gift_shop"] as const;

export const DROP_SHIPPER_TYPES = ["none", "store_group", "curated"] as const;

export const PortraitSchema = z.object({
  reasons: z.array(z.string()).describe("the observations the portrait rests on, first"),
  mainCategories: z
    .array(z.object({ categoryId: z.string(), name: z.string(), share: z.number().min(0).max(1) }))
    .describe("main leaf categories with their share of behaviour"),
  bType: z.enum(B_TYPES).describe("vertical B-buyer type"),
  dropShipperType: z.enum(DROP_SHIPPER_TYPES).describe("drop-shipper type; none for other buyers"),
  coreIntent: z.string().describe("the buyer's core purchase intent, one sentence"),
  profile: z.object({
    identity: z.string().describe("objective identity"),
    customerGroup: z.string().describe("the buyer's own customers"),
    operatingStrategy: z.string(),
    purchaseMotive: z.string(),
  }),
});

export type Portrait = z.infer<typeof PortraitSchema>;

/**
 * What a portrait reasoner judges: everything but the main categories, whose shares the role
 * computes from data (a model only restated them, and wrote percentages where shares are 0..1).
 */
export const PortraitJudgementSchema = PortraitSchema.omit({ mainCategories: true });

export type PortraitJudgement = z.infer<typeof PortraitJudgementSchema>;

/** What the portrait model is asked for: the judgement with one to three observations. */
export const PortraitJudgementWireSchema = PortraitJudgementSchema.extend({
  reasons: PortraitSchema.shape.reasons.min(1).max(3),
});

/**
 * build_portrait — reads `compression.tuples`; writes `portrait`: main categories with shares,
 * vertical B-buyer type, drop-shipper type, core intent and the four-part profile (objective
 * identity, customer group, operating strategy, purchase motive). Reasoning role `portrait`
 * (business-portrait agent, or the documented rules of llm/analytic/portrait.ts).
 */
import { z } from "zod";
import type { RunnableConfig } from "@langchain/core/runnables";
import { chatModelFor, getDeps, reasonerFor, vocabularyOf } from "../graph/deps.js";
import { readConfiguration } from "../graph/configuration.js";
import type { GraphState, GraphUpdate } from "../graph/state.js";
import { analyticPortrait, B_TYPES, DROP_SHIPPER_TYPES } from "../llm/analytic/portrait.js";
import { prompts } from "./prompt-bridge.js";

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

export async function buildPortrait(state: GraphState, config?: RunnableConfig): Promise<GraphUpdate> {
  const deps = await getDeps(config);
  const cfg = readConfiguration(config);
  const vocab = await vocabularyOf(deps);
  const tuples = state.compression!.tuples;
  const analytic = analyticPortrait(tuples, vocab, state.asOf!);
  const role = "portrait" as const;
  const out = await deps.runStep({
    role,
    schema: PortraitSchema,
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () => prompts.portrait({ tuples, asOf: state.asOf!, mainCategories: analytic.mainCategories }),
    analytic: () => analytic,
  });
  const known = new Set(vocab.categories.map((c) => c.id));
  const portrait = { ...out.value, mainCategories: out.value.mainCategories.filter((c) => known.has(c.categoryId)) };
  if (portrait.mainCategories.length === 0) portrait.mainCategories = analytic.mainCategories;
  return { portrait, steps: [out.report] };
}

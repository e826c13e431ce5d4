/**
 * Role `portrait` (business-portrait agent): reads the compressed tuples and the vocabulary;
 * returns the portrait — main categories with shares (only categories the KG knows), vertical
 * B-buyer type, drop-shipper type, core intent and the four-part profile. LLM with
 * `prompts/portrait.ts`, or the documented rules of `./analytic.ts`.
 */
import type { Tuple } from "../../contracts/behaviour.js";
import { PortraitSchema, portraitWireSchema, type Portrait } from "../../contracts/portrait.js";
import type { StepReport } from "../../contracts/steps.js";
import { chatModelFor, reasonerFor, vocabularyOf, type RoleContext } from "../../lib/deps.js";
import { portraitMessages } from "../../prompts/portrait.js";
import { analyticPortrait } from "./analytic.js";

export async function runPortrait(
  { deps, cfg }: RoleContext,
  input: { tuples: Tuple[]; asOf: string },
): Promise<{ portrait: Portrait; report: StepReport }> {
  const vocab = await vocabularyOf(deps);
  const { tuples, asOf } = input;
  const analytic = analyticPortrait(tuples, vocab, asOf);
  const role = "portrait" as const;
  const out = await deps.runStep({
    role,
    schema: PortraitSchema,
    wireSchema: portraitWireSchema(analytic.mainCategories.length),
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () => portraitMessages({ tuples, asOf, mainCategories: analytic.mainCategories }),
    analytic: () => analytic,
  });
  const known = new Set(vocab.categories.map((c) => c.id));
  const portrait = { ...out.value, mainCategories: out.value.mainCategories.filter((c) => known.has(c.categoryId)) };
  if (portrait.mainCategories.length === 0) portrait.mainCategories = analytic.mainCategories;
  return { portrait, report: out.report };
}

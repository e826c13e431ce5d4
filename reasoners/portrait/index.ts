/**
 * Role `portrait` (business-portrait agent): reads the compressed tuples and the vocabulary;
 * returns the portrait — main categories with shares (computed from data by `./analytic.ts`,
 * shown to the model, never restated by it), vertical B-buyer type, drop-shipper type, core
 * intent and the four-part profile (LLM with `prompts/portrait.ts`, or the documented rules of
 * `./analytic.ts`).
 */
import type { Tuple } from "../../contracts/behaviour.js";
import { PortraitJudgementSchema, PortraitJudgementWireSchema, type Portrait } from "../../contracts/portrait.js";
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
  const { mainCategories, ...judgement } = analytic;
  const out = await deps.runStep({
    role,
    schema: PortraitJudgementSchema,
    wireSchema: PortraitJudgementWireSchema,
    reasoner: reasonerFor(role, cfg, deps),
    model: chatModelFor(role, cfg, deps),
    maxRetries: cfg.maxRetries,
    prompt: () => portraitMessages({ tuples, asOf, mainCategories }),
    analytic: () => judgement,
  });
  const portrait: Portrait = { ...out.value, mainCategories };
  return { portrait, report: out.report };
}

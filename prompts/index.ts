/**
 * The prompt of every reasoning role, keyed by role (contracts/steps.ts REASONING_ROLES), and the shared
 * helpers. Each role file holds its prompt text, `<role>Prompt(view)` (the template over prepared
 * views), `<role>Messages(inputs)` (the view of the typed run inputs, with the role's budget).
 */
export { compressorMessages, compressorPrompt, type CompressorPromptInput } from "./compressor.js";
export { portraitMessages, portraitPrompt, type PortraitPromptInput } from "./portrait.js";
export { CFV_BUDGET, cfvMessages, cfvPrompt, type CfvPromptInput } from "./cfv.js";
export { sourcePlannerMessages, sourcePlannerPrompt, type SourcePlannerPromptInput } from "./source-planner.js";
export { TREND_EXTRACTOR_BUDGET, trendExtractorMessages, trendExtractorPrompt, type TrendExtractorPromptInput } from "./trend-extractor.js";
export { QUERY_GENERATOR_BUDGET, queryGeneratorMessages, queryGeneratorPrompt, type QueryGeneratorPromptInput } from "./query-generator.js";
export { CRITIC_BUDGET, criticMessages, criticPrompt, type CriticPromptInput } from "./critic.js";
export {
  clip,
  escapeUntrusted,
  fillTemplate,
  tagged,
  trendDocsText,
  vocabularyText,
  vocabularyView,
  weightsText,
  type TrendDocView,
  type VocabularyView,
} from "./common.js";

/**
 * The prompt of every reasoning role, keyed by role (llm/step.ts REASONING_ROLES), and the shared
 * helpers. Each prompt is a function of its typed input returning `BaseMessage[]`.
 */
export { compressorPrompt, type CompressorPromptInput } from "./compressor.js";
export { portraitPrompt, type PortraitPromptInput } from "./portrait.js";
export { cfvPrompt, type CfvPromptInput } from "./cfv.js";
export { sourcePlannerPrompt, type SourcePlannerPromptInput } from "./source-planner.js";
export { trendExtractorPrompt, type TrendExtractorPromptInput } from "./trend-extractor.js";
export { queryGeneratorPrompt, type QueryGeneratorPromptInput } from "./query-generator.js";
export { criticPrompt, type CriticPromptInput } from "./critic.js";
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

/**
 * Per-role completion budgets: the `max_tokens` each reasoning role's chat model sends. They bound
 * the answer the role's schema and prompt ask for (e.g. the compressor sees at most
 * `COMPRESSOR_MAX_TERMS` search terms, one short entry each), so a model that rambles is cut off
 * (and the step retried or degraded) instead of running for minutes.
 */
import type { ReasoningRole } from "../contracts/steps.js";

export const ROLE_MAX_TOKENS: Record<ReasoningRole, number> = {
  compressor: 900,
  portrait: 600,
  cfv: 2400,
  sourcePlanner: 250,
  trendExtractor: 700,
  queryGenerator: 2400,
  critic: 900,
};

/**
 * The most queries one model answer of the query generator is asked for in its first round,
 * whatever `queryCount` says: the answer must fit the role's `max_tokens`, and the critic's prompt
 * grows with every candidate (the analytic generator drafts the full `queryCount`).
 */
export const GENERATOR_MAX_LLM_QUERIES = 16;

/** The most search terms the compressor role reads per buyer (the most frequent ones); the rest are matched against the vocabulary. */
export const COMPRESSOR_MAX_TERMS = 12;

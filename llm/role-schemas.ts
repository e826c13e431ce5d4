/**
 * The structured-output schema each reasoning role sends to the model (`withStructuredOutput`),
 * in one table: the strict-mode test (llm/strict-schemas.test.ts) serialises every entry, and
 * tools that need a role's schema look it up here. The source planner answers with tool calls,
 * not a schema. Reads the schemas where the nodes define them.
 */
import type { z } from "zod";
import type { ReasoningRole } from "../contracts/steps.js";
import { TermFactorsSchema } from "../contracts/behaviour.js";
import { PortraitJudgementSchema, PortraitJudgementWireSchema } from "../contracts/portrait.js";
import { cfvStepWireSchema } from "../contracts/cfv.js";
import { TrendPointsSchema } from "../contracts/trends.js";
import { GeneratedQueriesSchema, generatedQueriesWireSchema, JudgeSchema, JudgeWireSchema } from "../contracts/queries.js";

/** Stricter schemas a role sends to the model for some calls (`RunStepArgs.wireSchema`). */
export const ROLE_WIRE_SCHEMAS: Partial<Record<ReasoningRole, z.ZodType>> = {
  portrait: PortraitJudgementWireSchema,
  cfv: cfvStepWireSchema(5),
  queryGenerator: generatedQueriesWireSchema(16),
  critic: JudgeWireSchema,
};

export const ROLE_SCHEMAS: Record<Exclude<ReasoningRole, "sourcePlanner">, z.ZodType> = {
  compressor: TermFactorsSchema,
  portrait: PortraitJudgementSchema,
  cfv: cfvStepWireSchema(0),
  trendExtractor: TrendPointsSchema,
  queryGenerator: GeneratedQueriesSchema,
  critic: JudgeSchema,
};

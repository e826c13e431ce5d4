/**
 * Prompt of the `compressor` role: extract decision factors (KG values) and the leaf category
 * from a buyer's free-text search terms, so the weekly five-tuples carry them.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, DATA_NOT_INSTRUCTIONS, taggedList, vocabularyText, type VocabularyView } from "./common.js";
import type { Vocabulary } from "../contracts/kg.js";
import { vocabularyView } from "./common.js";

export interface CompressorPromptInput {
  /** Distinct search terms of the buyer (untrusted). */
  terms: readonly string[];
  /** Categories with their allowed factors and value names. */
  vocabulary: VocabularyView;
}

const SYSTEM = `你是 1688 B2B 批发平台的买家行为分析助手，负责把采购商的搜索词压缩成结构化的“决策因子”。
任务：对每个搜索词，找出它提到的决策因子取值（风格、图案、IP、材质、颜色、价格带等）和它指向的叶子类目。
规则：
1. 取值和类目只能使用 <vocabulary> 中出现的名称，原样抄写；同义词映射到词表中的标准名称，无法映射的不要编造。
2. 搜索词没有提到的因子不要补全；没有明确类目时类目填 null。
3. 每个搜索词输出一条，term 字段原样保留搜索词。
4. 只输出要求的 JSON 结构，不要解释。
{{safety}}`;

const USER = `可用词表（每个类目允许的因子与取值）：
{{vocabulary}}

采购商的搜索词（共 {{count}} 个）：
{{terms}}`;

export function compressorPrompt(input: CompressorPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    vocabulary: vocabularyText(input.vocabulary),
    count: input.terms.length,
    terms: taggedList("search_terms", "search_term", input.terms),
  });
}

/** The compressor's messages for the buyer's search terms, with the vocabulary of the categories touched. */
export function compressorMessages(i: { terms: string[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] {
  return compressorPrompt({ terms: i.terms, vocabulary: vocabularyView(i.vocab, i.categoryIds) });
}

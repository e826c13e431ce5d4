/**
 * Prompt of the `compressor` role: extract decision factors (KG values) and the leaf category
 * from a buyer's free-text search terms, so the weekly five-tuples carry them.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, DATA_NOT_INSTRUCTIONS, lineList, vocabularyText, type VocabularyView } from "./common.js";
import type { Vocabulary } from "../contracts/kg.js";
import { vocabularyView } from "./common.js";
import { vocabularyMentionedIn } from "./views.js";

export interface CompressorPromptInput {
  /** Distinct search terms of the buyer (untrusted). */
  terms: readonly string[];
  /** Categories with their allowed factors and value names. */
  vocabulary: VocabularyView;
}

const SYSTEM = `把采购商的每个搜索词压缩成决策因子：它提到的取值和它指向的叶子类目。
取值、类目只用 <vocabulary> 的名称（同义词映射到标准名，无法映射不要编造）；没提到的因子不补，无明确类目填 null；
每个搜索词一条，term 原样保留。
{{safety}}`;

const USER = `{{vocabulary}}
搜索词（{{count}} 个，每行一个）：
{{terms}}`;

export function compressorPrompt(input: CompressorPromptInput): BaseMessage[] {
  return chatPrompt(SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    vocabulary: vocabularyText(input.vocabulary),
    count: input.terms.length,
    terms: lineList("search_terms", input.terms),
  });
}

/** The compressor's messages for the buyer's search terms, with the vocabulary of the categories touched cut to the values the terms may mention. */
export function compressorMessages(i: { terms: string[]; vocab: Vocabulary; categoryIds: string[] }): BaseMessage[] {
  return compressorPrompt({ terms: i.terms, vocabulary: vocabularyMentionedIn(vocabularyView(i.vocab, i.categoryIds), i.terms.join(" ")) });
}

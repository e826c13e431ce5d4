/**
 * Token counting with a real BPE tokenizer (gpt-tokenizer, `o200k_base` by default; `cl100k_base`
 * on request), for diagnostics, the compression figures and the prompt budget. gpt-tokenizer
 * counts without building the token array and keeps its own merge cache, about nine times faster
 * than js-tiktoken on uncached Chinese titles with the same counts (`llm/tokens.test.ts` checks
 * them against js-tiktoken). Special-token text such as `<|endoftext|>` inside untrusted input is
 * counted as ordinary text, never rejected.
 */
import { countTokens as countO200k } from "gpt-tokenizer/encoding/o200k_base";
import { countTokens as countCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import type { BaseMessage } from "@langchain/core/messages";

export type TokenEncoding = "o200k_base" | "cl100k_base";

const COUNTERS = { o200k_base: countO200k, cl100k_base: countCl100k } as const;
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Number of BPE tokens of `text` under `encoding` (what encoding it and taking the length gives). */
export function countTokens(text: string, encoding: TokenEncoding = "o200k_base"): number {
  return text.length === 0 ? 0 : COUNTERS[encoding](text, AS_TEXT);
}

/** Tokens OpenAI-style chat formatting adds per message and to prime the reply. */
const PER_MESSAGE_OVERHEAD = 3;
const REPLY_PRIMING = 3;

/** The text of a message's content (string, or the text parts of content blocks). */
export function messageText(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return content
    .map((part) => {
      if (typeof part === "string") return part;
      if (part && typeof part === "object" && "text" in part && typeof part.text === "string") return part.text;
      return "";
    })
    .join("");
}

function roleOf(message: BaseMessage): string {
  switch (message.type) {
    case "human":
      return "user";
    case "ai":
      return "assistant";
    case "system":
      return "system";
    case "tool":
      return "tool";
    default:
      return String(message.type);
  }
}

/**
 * Prompt tokens of a chat request: each message's role and content (and an assistant message's
 * tool calls, as JSON) plus the per-message and reply-priming overhead of the OpenAI chat format.
 */
export function countMessageTokens(messages: readonly BaseMessage[], encoding: TokenEncoding = "o200k_base"): number {
  if (messages.length === 0) return 0;
  let total = REPLY_PRIMING;
  for (const m of messages) {
    total += PER_MESSAGE_OVERHEAD + countTokens(roleOf(m), encoding) + countTokens(messageText(m), encoding);
    const toolCalls = (m as { tool_calls?: unknown[] }).tool_calls;
    if (Array.isArray(toolCalls) && toolCalls.length > 0) {
      total += countTokens(JSON.stringify(toolCalls), encoding);
    }
  }
  return total;
}

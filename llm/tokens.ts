/**
 * Token counting with a real BPE tokenizer (js-tiktoken, `o200k_base` by default; `cl100k_base`
 * on request), for diagnostics, the compression figures and the prompt budget. Encoders are built
 * on first use and memoised per encoding (a pure cache, not a client). Special-token text such as
 * `<|endoftext|>` inside untrusted input is counted as ordinary text, never rejected.
 */
import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";
import cl100kBase from "js-tiktoken/ranks/cl100k_base";
import type { BaseMessage } from "@langchain/core/messages";

export type TokenEncoding = "o200k_base" | "cl100k_base";

const RANKS = { o200k_base: o200kBase, cl100k_base: cl100kBase } as const;
const encoders = new Map<TokenEncoding, Tiktoken>();

function encoder(encoding: TokenEncoding): Tiktoken {
  let enc = encoders.get(encoding);
  if (enc === undefined) {
    enc = new Tiktoken(RANKS[encoding]);
    encoders.set(encoding, enc);
  }
  return enc;
}

const PIECE_CACHE_LIMIT = 200_000;
const pieceCounts = new Map<TokenEncoding, Map<string, number>>();

/**
 * Number of tokens of `text` under `encoding`: the sum over the encoding's pre-tokenizer pieces of
 * each piece's BPE token count, which is what `encode(text).length` computes. Piece counts are
 * memoised per encoding (up to 200,000 pieces), so titles and terms that recur across events and
 * buyers are byte-pair encoded once.
 */
export function countTokens(text: string, encoding: TokenEncoding = "o200k_base"): number {
  if (text.length === 0) return 0;
  const enc = encoder(encoding);
  let cache = pieceCounts.get(encoding);
  if (cache === undefined) {
    cache = new Map();
    pieceCounts.set(encoding, cache);
  }
  let total = 0;
  for (const match of text.matchAll(new RegExp(RANKS[encoding].pat_str, "gu"))) {
    const piece = match[0];
    let n = cache.get(piece);
    if (n === undefined) {
      n = enc.encode(piece, [], []).length;
      if (cache.size >= PIECE_CACHE_LIMIT) cache.clear();
      cache.set(piece, n);
    }
    total += n;
  }
  return total;
}

/** Number of tokens of `text` by encoding it whole (the reference `countTokens` must equal). */
export function encodedLength(text: string, encoding: TokenEncoding = "o200k_base"): number {
  return text.length === 0 ? 0 : encoder(encoding).encode(text, [], []).length;
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

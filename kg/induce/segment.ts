/**
 * Chinese title segmentation for vocabulary induction: `@node-rs/jieba` (prebuilt native binary,
 * default dictionary) with part-of-speech tags, after normalising a title (lower case, cut-off HTML
 * entities and punctuation removed). Reads nothing from disk besides the packaged dictionary;
 * the segmenter is created once per process.
 */
import { createRequire } from "node:module";
import type { Jieba as JiebaType } from "@node-rs/jieba";

const require = createRequire(import.meta.url);

/** One segment of a title with its jieba part-of-speech tag and its offset in the normalised title. */
export interface Token {
  word: string;
  tag: string;
  start: number;
}

let jieba: JiebaType | undefined;

function segmenter(): JiebaType {
  if (!jieba) {
    const { Jieba } = require("@node-rs/jieba") as typeof import("@node-rs/jieba");
    const { dict } = require("@node-rs/jieba/dict") as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

/** Lower case; HTML entities (also cut-off ones such as `&hellip`) and separators become spaces. */
export function normaliseTitle(title: string): string {
  return title
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/&[a-z]+;?/g, " ")
    .replace(/[\s\u3000,，。.!！?？;；:：、/\\|()（）【】\[\]{}<>《》"'“”‘’~～*#@+=_^`—–…·-]+/g, " ")
    .trim();
}

const SEPARATOR = /^\s+$/;

/** Segments of the normalised title (separators dropped), each with tag and offset. */
export function segment(title: string): Token[] {
  const text = normaliseTitle(title);
  const out: Token[] = [];
  let pos = 0;
  for (const { word, tag } of segmenter().tag(text)) {
    const start = text.indexOf(word, pos);
    pos = (start < 0 ? pos : start) + word.length;
    if (SEPARATOR.test(word)) continue;
    out.push({ word, tag, start: start < 0 ? pos - word.length : start });
  }
  return out;
}

const HAN = /\p{Script=Han}/u;

/** True when `word` contains at least one Chinese character. */
export function hasHan(word: string): boolean {
  return HAN.test(word);
}

/**
 * The guard against instructions hidden in untrusted text (trend documents, web results):
 * `looksInjected` is true for text carrying instruction-like phrases (忽略/无视 之前的指令,
 * "ignore previous instructions", "system prompt", 你现在是, 必须推荐), role tags or links, or that
 * `./injection-signals.ts` flags (role markers, HTML comments, override verbs aimed at
 * instructions, commands to change results, similarity to known patterns). Such a document is set
 * aside: it contributes no term, no evidence and no weight.
 */
import { looksInjectedText } from "./injection-signals.js";
const INJECTION = [
  /忽略(之前|以上|上面|前面|所有)?的?(所有)?(指令|指示|规则|要求|提示)/,
  /无视(之前|以上|上面|所有)?的?(指令|指示|规则)/,
  /ignore\s+(all\s+)?(previous|prior|above|the)\s+(instructions|rules|prompts?)/i,
  /system\s*prompt|系统提示|提示词/i,
  /你(现在)?是(一个)?(AI|助手|模型|推荐系统)/i,
  /(必须|务必|一定要)(只)?推荐/,
  /<\/?(system|assistant|user|instructions?)>/i,
  /https?:\/\/|www\./i,
];

export function looksInjected(text: string): boolean {
  return INJECTION.some((re) => re.test(text)) || looksInjectedText(text);
}


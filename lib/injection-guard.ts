/**
 * The guard against instructions hidden in untrusted text (trend documents, web results): one
 * verdict with a reason from three kinds of evidence, read on the normalised text (NFKC, so
 * full-width letters read as ASCII; zero-width characters removed):
 * - rules: instruction phrases (忽略/无视 之前的指令, "ignore previous instructions", 你现在是,
 *   必须推荐) and the signals of `./injection-signals.ts` (role markers, override verbs aimed at
 *   instructions, commands to change results, similarity to known patterns);
 * - the offline classifier of `./injection-classifier.ts` (naive Bayes over character and word
 *   n-grams, trained on `./injection-corpus.ts`): its most instruction-like segment;
 * - optionally, the embedding margin of `llm/injection-embedding.ts` (how much closer the
 *   document's nearest segment lies to known instructions than to ordinary text), which the
 *   caller computes where an embedder is available and passes in.
 * A link or an HTML comment alone is not an injection (news cites URLs, pages carry comments);
 * each lowers the classifier evidence needed. A flagged document is set aside: it contributes no
 * term, no evidence and no weight. `looksInjected` is the offline boolean. Pure.
 */
import { normalizeUntrusted, injectionClassifier } from "./injection-classifier.js";
import { injectionSignals, type InjectionSignal } from "./injection-signals.js";

const PHRASES = [
  /忽略(之前|以上|上面|前面|所有)?的?(所有)?(指令|指示|规则|要求|提示)/,
  /无视(之前|以上|上面|所有)?的?(指令|指示|规则)/,
  /ignore\s+(all\s+)?(previous|prior|above|the)\s+(instructions|rules|prompts?)/i,
  /system\s*prompt|系统提示|提示词/i,
  /你(现在)?是(一个)?(AI|助手|模型|推荐系统)/i,
  /(必须|务必|一定要)(只)?推荐/,
  /<\/?(system|assistant|user|instructions?)>/i,
];
const LEGACY_LINK = /https?:\/\/|www\./i;

/** Signals that by themselves mark an injection. */
const DECISIVE: readonly InjectionSignal[] = ["role_marker", "override_instruction", "imperative_command", "similar_to_known"];

/** Classifier probability that flags a document on its own. */
export const CLASSIFIER_THRESHOLD = 0.99;
/** Classifier probability that flags a document carrying a link or an HTML comment. */
export const CORROBORATED_CLASSIFIER_THRESHOLD = 0.9;
/** Embedding margin (instruction minus ordinary nearest-neighbour cosine) that flags a document. */
export const EMBEDDING_MARGIN_THRESHOLD = 0.02;

export interface InjectionVerdict {
  injected: boolean;
  /** Why, in a few words: the rule signals, or the classifier / embedding score and the segment. */
  reason: string;
  signals: InjectionSignal[];
  classifierProbability: number;
  /** The document's most instruction-like segment by the classifier. */
  segment: string;
  embeddingMargin?: number;
}

export interface VerdictOptions {
  /** From `llm/injection-embedding.ts`, when an embedder was available. */
  embeddingMargin?: number;
}

const quote = (s: string) => `"${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`;

/** The guard's verdict on one untrusted text. */
export function injectionVerdict(text: string, opts: VerdictOptions = {}): InjectionVerdict {
  const normal = normalizeUntrusted(text);
  const signals = injectionSignals(normal);
  const { probability, segment } = injectionClassifier().documentScore(normal);
  const base = { signals, classifierProbability: probability, segment, ...(opts.embeddingMargin === undefined ? {} : { embeddingMargin: opts.embeddingMargin }) };
  const decisive = signals.filter((s) => DECISIVE.includes(s));
  if (decisive.length > 0 || PHRASES.some((re) => re.test(normal))) {
    return { ...base, injected: true, reason: `rules: ${decisive.length > 0 ? decisive.join(", ") : "instruction phrase"}` };
  }
  if (probability >= CLASSIFIER_THRESHOLD) {
    return { ...base, injected: true, reason: `classifier: p=${probability.toFixed(3)} on ${quote(segment)}` };
  }
  const carrier = signals.filter((s) => s === "link" || s === "html_comment");
  if (carrier.length > 0 && probability >= CORROBORATED_CLASSIFIER_THRESHOLD) {
    return { ...base, injected: true, reason: `${carrier.join(", ")} + classifier: p=${probability.toFixed(3)} on ${quote(segment)}` };
  }
  if (opts.embeddingMargin !== undefined && opts.embeddingMargin >= EMBEDDING_MARGIN_THRESHOLD) {
    return { ...base, injected: true, reason: `embedding: margin ${opts.embeddingMargin.toFixed(3)} to known instructions` };
  }
  return { ...base, injected: false, reason: "no instruction signal" };
}

/** Whether untrusted text carries instructions (the offline verdict: rules + classifier). */
export function looksInjected(text: string): boolean {
  return injectionVerdict(text).injected;
}

/**
 * The rules alone with a link counting as a hit, on the text as given: what the critic applies to
 * a generated query (which must carry no link at all), and the trend guard as it was before the
 * classifier (the measurement's "before" figure).
 */
export function matchesInjectionRules(text: string): boolean {
  return PHRASES.some((re) => re.test(text)) || LEGACY_LINK.test(text) || injectionSignals(text).length > 0;
}

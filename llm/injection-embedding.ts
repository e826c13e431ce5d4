/**
 * The embedding check of the injection guard: a nearest-neighbour margin in the embedding space.
 * Each segment of a document (sentences, lines, HTML-comment bodies: `lib/injection-classifier.ts`)
 * is embedded with the project's embedder and compared by cosine with the instruction sentences
 * and the ordinary sentences of the classifier's corpus (`lib/injection-corpus.ts`, embedded once
 * per checker); a segment's margin is its best cosine to an instruction minus its best cosine to
 * an ordinary sentence, and a document's margin is its highest segment margin. The verdict
 * (`lib/injection-guard.ts` `injectionVerdict`) turns the margin into a flag. Reads the embedding
 * server through the given embedder; writes nothing.
 */
import type { Embedder } from "../contracts/deps.js";
import { segmentsOf } from "../lib/injection-classifier.js";
import { INSTRUCTION_TEXTS, ORDINARY_TEXTS } from "../lib/injection-corpus.js";
import { injectionVerdict, type InjectionVerdict } from "../lib/injection-guard.js";

/** Segments embedded per document at most (the longest documents are cut, not skipped). */
export const MAX_SEGMENTS_PER_DOC = 24;

export interface EmbeddingInjectionCheck {
  /** The embedding margin of each text, in order. */
  margins(texts: string[]): Promise<number[]>;
  /** The margin of each given segment against the reference sets, leaving out `exclude` (for cross-validation). */
  segmentMargins(segments: string[], exclude?: ReadonlySet<string>): Promise<number[]>;
}

export interface ReferenceSets {
  instruction: readonly string[];
  ordinary: readonly string[];
}

function normalise(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<number[][]> {
  if (texts.length === 0) return [];
  const vectors = embedder.embedQueries ? await embedder.embedQueries(texts) : await Promise.all(texts.map((t) => embedder.embedQuery(t)));
  return vectors.map(normalise);
}

/** An embedding check over `embedder` (reference sets: the classifier's corpus unless given). */
export function createEmbeddingInjectionCheck(embedder: Embedder, refs: ReferenceSets = { instruction: INSTRUCTION_TEXTS, ordinary: ORDINARY_TEXTS }): EmbeddingInjectionCheck {
  let reference: Promise<{ text: string; v: number[]; instruction: boolean }[]> | undefined;
  const referenceVectors = () => {
    reference ??= (async () => {
      const texts = [...refs.instruction, ...refs.ordinary];
      const vs = await embedAll(embedder, texts);
      return texts.map((text, i) => ({ text, v: vs[i], instruction: i < refs.instruction.length }));
    })();
    reference.catch(() => (reference = undefined));
    return reference;
  };
  const segmentMargins = async (segments: string[], exclude?: ReadonlySet<string>) => {
    const [refsV, vs] = await Promise.all([referenceVectors(), embedAll(embedder, segments)]);
    return vs.map((v) => {
      let pos = -1;
      let neg = -1;
      for (const r of refsV) {
        if (exclude?.has(r.text)) continue;
        const c = dot(v, r.v);
        if (r.instruction) pos = Math.max(pos, c);
        else neg = Math.max(neg, c);
      }
      return pos - neg;
    });
  };
  return {
    segmentMargins,
    async margins(texts) {
      const perDoc = texts.map((t) => segmentsOf(t).slice(0, MAX_SEGMENTS_PER_DOC));
      const flat = [...new Set(perDoc.flat())];
      const m = new Map<string, number>();
      const ms = await segmentMargins(flat);
      flat.forEach((s, i) => m.set(s, ms[i]));
      return perDoc.map((segs) => (segs.length === 0 ? -1 : Math.max(...segs.map((s) => m.get(s)!))));
    },
  };
}

/**
 * The guard's verdict on each text with the embedding check: texts the offline verdict already
 * flags are not embedded; the others get their margin.
 */
export async function verdictsWithEmbeddings(check: EmbeddingInjectionCheck, texts: string[]): Promise<InjectionVerdict[]> {
  const offline = texts.map((t) => injectionVerdict(t));
  const open = texts.map((t, i) => ({ t, i })).filter(({ i }) => !offline[i].injected);
  const margins = await check.margins(open.map((o) => o.t));
  open.forEach(({ t, i }, k) => (offline[i] = injectionVerdict(t, { embeddingMargin: margins[k] })));
  return offline;
}

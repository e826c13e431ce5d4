/**
 * Binds the world's factor vocabulary (`lib/value-match.ts`) to one catalog for the loader and
 * the importer: values from item titles, short titles from value ids, and weighted trend-document
 * mentions (weight 1 when the title and the text mention it, 2/3 title only, 1/3 text only).
 */
import type { CategoryRecord, ValueRecord } from "../contracts/records.js";
import { buildVocabulary, extractValues, mentions, shortTitle } from "../lib/value-match.js";

export interface Mention {
  id: string;
  weight: number;
}

export interface VocabularyTools {
  valuesFromTitle(title: string, allowedFactors: readonly string[]): string[];
  shortTitle(noun: string, valueIds: readonly string[]): string;
  docMentions(title: string, text: string): { valueMentions: Mention[]; categoryMentions: Mention[] };
}

function weigh(inTitle: readonly string[], inText: readonly string[]): Mention[] {
  const ids = [...new Set([...inTitle, ...inText])];
  return ids.map((id) => ({
    id,
    weight: Math.round((((inTitle.includes(id) ? 2 : 0) + (inText.includes(id) ? 1 : 0)) / 3) * 1000) / 1000,
  }));
}

export function createVocabularyTools(
  values: readonly ValueRecord[],
  categories: readonly CategoryRecord[],
): VocabularyTools {
  const vocab = buildVocabulary(values);
  const mentionable = categories.map((c) => ({ id: c.id, name: c.name, noun: c.noun }));
  return {
    valuesFromTitle: (title, allowedFactors) =>
      extractValues(title, vocab, allowedFactors.length > 0 ? allowedFactors : undefined),
    shortTitle: (noun, valueIds) =>
      shortTitle(
        noun,
        valueIds.flatMap((id) => {
          const v = vocab.byId.get(id);
          return v ? [v] : [];
        }),
      ),
    docMentions: (title, text) => {
      const t = mentions(title, vocab, mentionable);
      const b = mentions(text, vocab, mentionable);
      return {
        valueMentions: weigh(t.valueIds, b.valueIds),
        categoryMentions: weigh(t.categoryIds, b.categoryIds),
      };
    },
  };
}

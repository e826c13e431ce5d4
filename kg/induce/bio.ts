/**
 * Reader of character-level BIO files (`<char> <tag>` per line, blank line between titles), the
 * format of the labelled Taobao titles in `../shared/data/taobao-titles/`. Gives each title's text
 * and its labelled spans (type, start, end exclusive) by character offset.
 */
import { readFileSync } from "node:fs";

export interface BioSpan {
  type: string;
  start: number;
  end: number;
  text: string;
}

export interface BioTitle {
  text: string;
  spans: BioSpan[];
}

/** Parses BIO text into titles; a space character line (`  O`) keeps its place in the text. */
export function parseBio(content: string): BioTitle[] {
  const titles: BioTitle[] = [];
  for (const block of content.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.length > 0);
    if (lines.length === 0) continue;
    let text = "";
    const spans: BioSpan[] = [];
    let open: { type: string; start: number } | null = null;
    const close = () => {
      if (open) spans.push({ type: open.type, start: open.start, end: text.length, text: text.slice(open.start) });
      open = null;
    };
    for (const line of lines) {
      const cut = line.lastIndexOf(" ");
      const char = cut <= 0 ? " " : line.slice(0, cut);
      const tag = line.slice(cut + 1);
      if (tag.startsWith("B-") || (tag.startsWith("I-") && (!open || open.type !== tag.slice(2)))) {
        close();
        open = { type: tag.slice(2), start: text.length };
      } else if (!tag.startsWith("I-")) close();
      text += char;
    }
    close();
    titles.push({
      text,
      spans: spans.map((s) => ({ ...s, text: text.slice(s.start, s.end) })),
    });
  }
  return titles;
}

/** Reads and parses a BIO file. */
export function readBio(file: string): BioTitle[] {
  return parseBio(readFileSync(file, "utf8"));
}

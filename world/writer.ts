/**
 * A buffered, synchronous line writer: lines are joined in memory up to a chunk size and written
 * with `writeSync`, so large files (millions of events) stream to disk in bounded memory and in a
 * deterministic byte order.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export class LineWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string, private readonly chunkChars = 1 << 20) {
    this.fd = openSync(path, "w");
  }

  /** Appends one line (a newline is added). */
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
    this.lines++;
    if (this.size >= this.chunkChars) this.flush();
  }

  /** Appends `JSON.stringify(record)` as one line. */
  json(record: unknown): void {
    this.line(JSON.stringify(record));
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join("\n") + "\n");
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

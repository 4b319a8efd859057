// Reads a file of lines in large byte blocks: single lines (an export's header and checkpoints),
// then runs of a given number of non-blank lines as raw bytes, which a worker thread decodes and
// parses. Splitting costs one native newline search per line; nothing is decoded here.
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;

export interface LineRun {
  /** The run's bytes: whole lines, newline-separated. */
  bytes: Buffer;
  /** Line number of its first line (1-based). */
  firstLine: number;
  /** Non-blank lines in it. */
  count: number;
}

export class LineReader {
  private readonly blocks: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private ended = false;
  /** Lines consumed so far. */
  private line = 0;

  constructor(file: string) {
    this.blocks = createReadStream(file, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  }

  /** Reads another block onto what is left of the current one; false at the end of the file. */
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const r = await this.blocks.next();
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), r.value]) : r.value;
    this.pos = 0;
    return true;
  }

  /** End (exclusive) of the line starting at `from`, or -1 when it is not all read yet. */
  private lineEnd(from: number): number {
    const nl = this.buf.indexOf(NEWLINE, from);
    if (nl >= 0) return nl;
    return this.ended ? this.buf.length : -1;
  }

  private blank(from: number, to: number): boolean {
    if (from === to) return true;
    if (this.buf[from] === OPEN_BRACE) return false;
    return this.buf.toString('utf8', from, to).trim() === '';
  }

  /** The next non-blank line without consuming it, with its number; null at the end. */
  async peek(): Promise<{ text: string; line: number } | null> {
    let at = this.pos;
    let line = this.line;
    for (;;) {
      if (at >= this.buf.length) {
        if (this.ended) return null;
        const offset = at - this.pos;
        if (!(await this.more())) return null;
        at = this.pos + offset;
        continue;
      }
      const end = this.lineEnd(at);
      if (end < 0) {
        const offset = at - this.pos;
        await this.more();
        at = this.pos + offset;
        continue;
      }
      line += 1;
      if (!this.blank(at, end)) return { text: this.buf.toString('utf8', at, end), line };
      at = end + 1;
    }
  }

  /** Consumes lines up to and including the one peek returned. */
  async skip(): Promise<void> {
    const run = await this.run(1);
    if (!run) throw new Error('LineReader.skip: nothing to skip');
  }

  /** The next `count` non-blank lines (fewer at the end) as bytes; null when none are left. */
  async run(count: number): Promise<LineRun | null> {
    const firstLine = this.line + 1;
    const parts: Buffer[] = [];
    let found = 0;
    let from = this.pos;
    while (found < count) {
      if (from >= this.buf.length) {
        if (from > this.pos) parts.push(this.buf.subarray(this.pos, from));
        this.pos = from;
        if (!(await this.more())) break;
        from = this.pos;
        continue;
      }
      const end = this.lineEnd(from);
      if (end < 0) {
        if (from > this.pos) parts.push(this.buf.subarray(this.pos, from));
        this.pos = from;
        if (!(await this.more())) break;
        from = this.pos;
        continue;
      }
      this.line += 1;
      if (!this.blank(from, end)) found += 1;
      from = end + 1;
    }
    if (from > this.pos) {
      parts.push(this.buf.subarray(this.pos, Math.min(from, this.buf.length)));
      this.pos = from;
    }
    if (found === 0) return null;
    return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), firstLine, count: found };
  }

  async close(): Promise<void> {
    await this.blocks.return?.();
  }
}

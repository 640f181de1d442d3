/**
 * JSON Lines repair. A line that ends inside a value (a record cut short, an unescaped quote) must cost that line
 * only: the framer decides by the byte after a newline inside a value. A `{` there starts the next line, so the
 * value was a broken line; anything else is a value written over several lines (pretty-printed JSON after JSON
 * Lines, `cat a b`), and lines stop being records. A value that never closes, or whose brackets do not match,
 * is read again from the line after its start (the framer's abandonValue), so the lines after it are not lost.
 */
import { LBRACE, NL } from './frame.js';

export const BROKEN_LINE = 'malformed JSON line: the line ends inside a JSON value';

const NEWLINE = Buffer.from([NL]);

/**
 * A newline that ends a chunk is held back until the next byte is known: deciding without it made the records
 * and problems depend on where reads happened to end. The next chunk is then copied once, behind the newline; a
 * chunk ends exactly on a newline rarely, except on pipes written by lines.
 */
export class NewlineHold {
  private held = false;

  /** What to scan of this chunk: the held newline first, and without the newline it ends with. */
  take(chunk: Buffer): Buffer {
    let bytes = this.held ? Buffer.concat([NEWLINE, chunk]) : chunk;
    this.held = bytes.length > 0 && bytes[bytes.length - 1] === NL;
    if (this.held) bytes = bytes.subarray(0, bytes.length - 1);
    return bytes;
  }

  /** At the end of the input: the newline still held, if any. */
  release(): Buffer | undefined {
    if (!this.held) return undefined;
    this.held = false;
    return NEWLINE;
  }
}

/** A newline inside a value of JSON Lines: whether the next line starts a record (so this one was broken). */
export function nextLineStarts(buf: Buffer, nl: number): boolean {
  return buf[nl + 1] === LBRACE;
}

/** Where to read again in an abandoned value's bytes: after its first newline; -1 if it has none. */
export function replayFrom(bytes: Buffer): number {
  const nl = bytes.indexOf(NL);
  return nl === -1 ? -1 : nl + 1;
}

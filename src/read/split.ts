/**
 * A byte-level JSON framer: it finds where each record starts and ends without parsing it, so that each
 * record is parsed alone (JSON.parse on its own bytes). This is what lets one malformed record (AWS's own
 * documentation publishes records with trailing commas) cost only that record, and what keeps memory bound by
 * the largest record rather than the largest file. It tracks only strings and brackets; validating JSON is
 * left to JSON.parse, record by record.
 *
 * Frames it yields:
 * - a top-level value (a record of JSON Lines, a lookup-events Event, a whole digest file, ...): `where: 'top'`;
 * - an element of a top-level array: `where: 'array'`;
 * - an element of the array under one of CONTAINER_KEYS in a top-level object (`{"Records":[...]}`,
 *   `{"Events":[...]}`, `{"QueryResultRows":[...]}`): `where` is that key. The rest of such an object is
 *   skipped, never buffered, so a 2 GB Records file is never held in memory.
 */
import type { ProblemCode } from '../problems.js';
import { RecordFieldReader, type SummaryFields } from './fields.js';
import { walkRecord, type WalkState } from './record-walk.js';

export const CONTAINER_KEYS = ['Records', 'Events', 'QueryResultRows'] as const;
export type ContainerKey = (typeof CONTAINER_KEYS)[number];
export type Where = 'top' | 'array' | ContainerKey;

export type Frame =
  /** One JSON value's bytes (not yet validated); for a record, the summary's fields when they are plain. */
  | { kind: 'value'; where: Where; bytes: Buffer; offset: number; fields?: SummaryFields }
  /** A value that was there but cannot be delivered (too large, truncated). It still counts as a record. */
  | { kind: 'lost'; where: Where; offset: number; message: string; code: ProblemCode }
  /** A Records / Events / QueryResultRows list or a top-level array starts: the input is JSON, even if empty. */
  | { kind: 'container'; where: Where; offset: number }
  /** Bytes that are not JSON, or a structure that cannot be framed. */
  | { kind: 'error'; offset: number; message: string; fatal: boolean; code: ProblemCode };

export interface SplitOptions {
  /** A value larger than this is skipped (reported as lost) instead of buffered. */
  maxValueBytes: number;
  /** Start in the middle of an input, at `offset`, in this state (a file read in two parts at once). */
  resume?: { state: Boundary; offset: number };
  /** false: every record through the state machine, never the fast lane (record-walk.ts); for the tests that hold the two to the same frames. */
  fastLane?: boolean;
}

/**
 * A place between two records where framing can start afresh: between the elements of a Records (or Events)
 * list of a top-level object, or between two top-level values of JSON Lines.
 */
export type Boundary = { where: 'Records' | 'Events' } | { where: 'top'; lineMode: boolean };

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d;
const COMMA = 0x2c, COLON = 0x3a, NL = 0x0a, CR = 0x0d, SPACE = 0x20, TAB = 0x09;
const NEWLINE = Buffer.from([NL]);
const MAX_KEY = 32;
/**
 * Deepest nesting read inside one value. CloudTrail records nest a few levels; past this a value is reported
 * and skipped, since copying it between threads (structured clone) recurses and would overflow the stack.
 */
export const MAX_NESTING = 1000;
export const TOO_DEEP = `value nested more than ${MAX_NESTING} levels deep; skipped (CloudTrail records nest a few levels)`;
const TOP_SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

export function isContainerKey(key: string | null): key is ContainerKey {
  return key !== null && (CONTAINER_KEYS as readonly string[]).includes(key);
}

function isScalarStart(c: number): boolean {
  // digits, '-', and the first letters of true / false / null
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e;
}
function isWhitespace(c: number): boolean {
  // A UTF-8 BOM (EF BB BF) between values is skipped like white space: `cat` of files saved by editors has them.
  return c === SPACE || c === NL || c === CR || c === TAB || c === 0xef || c === 0xbb || c === 0xbf;
}
function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `character '${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

type Mode = 'none' | 'value' | 'object' | 'array';

export class JsonSplitter {
  private readonly max: number;
  private readonly fastLane: boolean;
  private frames: Frame[] = [];
  private chunkOffset = 0;
  private stack: number[] = [];
  private mode: Mode = 'none';
  private dead = false;
  private skipLine = false;
  /** The last chunk ended with a newline, not yet scanned (see push). */
  private heldNewline = false;
  private lineMode = false;

  // strings
  private inString = false;
  private escaped = false;
  private keyString = false;
  private keyText = '';

  // members of the top-level object, to notice a container key
  private expectKey = false;
  private afterColon = false;
  private lastKey: string | null = null;

  // container / array elements
  private elemWhere: Where | null = null;
  private elemDepth = -1;

  // the value being captured
  private capturing = false;
  private capWhere: Where = 'top';
  private capStart = 0;
  private capIndex = 0;
  private parts: Buffer[] = [];
  private partsSize = 0;
  private oversize = false;
  private tooDeep = false;
  private scalar = false;
  private valueHasNewline = false;

  // the record being captured: its top-level fields (fields.ts), the string being read, a comma just seen
  private readonly rec = new RecordFieldReader();
  private recDepth = -1;
  private strStart = 0;
  private strChunk = 0;
  private strEscaped = false;
  private afterComma = false;

  // the fast lane's scratch (record-walk.ts): bracket kinds by depth, and what it leaves of a top-level walk
  private readonly kinds = new Uint8Array(MAX_NESTING + 2);
  private readonly walkState: WalkState = { expectKey: false, afterColon: false, nlBuf: undefined, nl: -1 };

  // next positions of interesting bytes in the current chunk, so strings are skipped with indexOf
  private nextQuote = -1;
  private nextBackslash = -1;
  private nextNewline = -1;

  constructor(options: SplitOptions) {
    this.max = options.maxValueBytes;
    this.fastLane = options.fastLane !== false;
    const resume = options.resume;
    if (resume) {
      this.chunkOffset = resume.offset;
      if (resume.state.where === 'top') this.lineMode = resume.state.lineMode;
      else {
        this.stack = [LBRACE, LBRACK];
        this.mode = 'object';
        this.elemWhere = resume.state.where;
        this.elemDepth = 2;
      }
    }
  }

  /** Where the framer stands, if it is between two records (see Boundary); undefined inside anything else. */
  boundary(): Boundary | undefined {
    if (this.dead || this.inString || this.capturing || this.scalar || this.skipLine) return undefined;
    if (this.mode === 'none' && this.stack.length === 0) return { where: 'top', lineMode: this.lineMode };
    if (this.mode === 'object' && this.stack.length === 2 && this.stack[0] === LBRACE && this.stack[1] === LBRACK
      && (this.elemWhere === 'Records' || this.elemWhere === 'Events') && this.elemDepth === 2) {
      return { where: this.elemWhere };
    }
    return undefined;
  }

  /**
   * A newline that ends a chunk is held back until the next byte is known: JSON Lines repair decides by the byte
   * after a newline inside a value (a `{` starts the next line, so the value was a broken line), and deciding
   * without it made the records and problems depend on where reads happened to end. The next chunk is then
   * copied once, behind the newline; a chunk ends exactly on a newline rarely, except on pipes written by lines.
   */
  push(chunk: Buffer): Frame[] {
    let bytes = this.heldNewline ? Buffer.concat([NEWLINE, chunk]) : chunk;
    this.heldNewline = bytes.length > 0 && bytes[bytes.length - 1] === NL;
    if (this.heldNewline) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length === 0) return this.take();
    return this.pushChunk(bytes);
  }

  private pushChunk(chunk: Buffer): Frame[] {
    this.nextQuote = this.nextBackslash = this.nextNewline = -1;
    // a caller may hand the same Buffer again with other bytes in it
    this.walkState.nlBuf = undefined;
    if (!this.dead) this.scan(chunk, 0);
    if (this.capturing) {
      if (!this.oversize) {
        const rest = chunk.subarray(this.capIndex);
        this.partsSize += rest.length;
        // Copy: the tail is usually small and would otherwise keep the whole chunk alive.
        if (this.partsSize > this.max) this.dropCapture();
        else this.parts.push(Buffer.from(rest));
      } else {
        this.partsSize += chunk.length - this.capIndex;
      }
      this.capIndex = 0;
    }
    this.chunkOffset += chunk.length;
    return this.take();
  }

  end(): Frame[] {
    if (this.heldNewline) {
      this.heldNewline = false;
      this.frames.push(...this.pushChunk(NEWLINE));
    }
    if (!this.dead) {
      if (this.capturing && this.scalar && this.stack.length === this.depthOfCapture()) {
        this.finish(Buffer.alloc(0), 0);
      }
      if (this.inString || this.stack.length > 0 || this.capturing) {
        if (this.mode === 'value') this.abandonValue('unexpected end of input inside this value', Buffer.alloc(0), 0, 'JSON_TRUNCATED');
        else if (this.capturing) this.lose('input ends inside this record (truncated)');
        else this.error(this.chunkOffset, 'unexpected end of input (truncated JSON)', true, 'JSON_TRUNCATED');
        if (!this.dead && (this.inString || this.stack.length > 0 || this.capturing)) return this.end();
      }
    }
    return this.take();
  }

  private take(): Frame[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }

  private error(offset: number, message: string, fatal: boolean, code: ProblemCode): void {
    this.frames.push({ kind: 'error', offset, message, fatal, code });
    if (fatal) this.dead = true;
  }

  private depthOfCapture(): number {
    return this.capWhere === 'top' ? 0 : this.elemDepth;
  }

  private scan(buf: Buffer, from: number): void {
    const n = buf.length;
    let i = from;
    while (i < n && !this.dead) {
      if (this.skipLine) {
        const nl = buf.indexOf(NL, i);
        if (nl === -1) return;
        this.skipLine = false;
        i = nl + 1;
        continue;
      }
      if (this.inString) {
        i = this.scanString(buf, i);
        continue;
      }
      const c = buf[i]!;
      if (this.scalar) {
        if (c === COMMA || c === RBRACK || c === RBRACE || isWhitespace(c) || c === LBRACE || c === LBRACK || c === QUOTE || c === COLON) {
          this.finish(buf, i);
          if (this.skipLine) {
            // The word was not JSON: the rest of its line goes with it, and a newline right here ends that line.
            if (c === NL) this.skipLine = false;
            if (c === NL || c === CR) i++;
            continue;
          }
        } else {
          i++;
          continue;
        }
      }
      const depth = this.stack.length;
      switch (c) {
        case QUOTE:
          this.valueStart(i, depth, false);
          this.strStart = i;
          this.strChunk = this.chunkOffset;
          this.strEscaped = false;
          this.afterComma = false;
          if (depth === 1 && this.expectKey && this.stack[0] === LBRACE) {
            // Only Records, Events and QueryResultRows matter: most keys (every key of a JSON Lines record)
            // are told apart by their first letter without making a string of them.
            const first = i + 1 < buf.length ? buf[i + 1] : undefined;
            this.keyString = first === undefined || first === 0x52 || first === 0x45 || first === 0x51;
            this.keyText = '';
            this.lastKey = null;
            this.expectKey = false;
          }
          this.inString = true;
          i++;
          continue;
        case LBRACE:
        case LBRACK:
          if (c === LBRACE && this.fastLane && !this.capturing && (depth === 0 || (this.elemWhere !== null && depth === this.elemDepth))) {
            const end = this.walk(buf, i, depth === 0);
            if (end !== -1) {
              i = end;
              continue;
            }
          }
          if (depth === 0) {
            this.mode = c === LBRACE ? 'value' : 'array';
            if (c === LBRACE) {
              this.beginCapture('top', i);
              this.expectKey = true;
              this.lastKey = null;
            } else {
              this.elemWhere = 'array';
              this.elemDepth = 1;
              this.frames.push({ kind: 'container', where: 'array', offset: this.chunkOffset + i });
            }
          } else if (depth === 1 && this.afterColon && c === LBRACK && this.stack[0] === LBRACE && isContainerKey(this.lastKey)) {
            // `{"Records":[` - from here on only the elements are captured.
            if (this.mode === 'value') this.dropCapture();
            this.capturing = false;
            this.mode = 'object';
            this.elemWhere = this.lastKey;
            this.elemDepth = 2;
            this.afterColon = false;
            this.frames.push({ kind: 'container', where: this.lastKey, offset: this.chunkOffset + i });
          } else {
            this.valueStart(i, depth, false);
          }
          this.stack.push(c);
          this.afterComma = false;
          if (this.capturing) {
            const inside = depth + 1;
            if (inside - this.depthOfCapture() > MAX_NESTING && !this.tooDeep) {
              this.tooDeep = true;
              this.dropCapture();
            }
            if (inside === this.depthOfCapture() + 1) {
              this.recDepth = inside;
              if (c === LBRACE) this.rec.begin();
              else this.rec.invalid();
            } else if (inside === this.recDepth + 1) this.rec.other();
          }
          i++;
          continue;
        case RBRACE:
        case RBRACK: {
          const open = this.stack.pop();
          if (open === undefined) {
            this.error(this.chunkOffset + i, `not JSON: unexpected ${describeByte(c)}`, false, 'NOT_JSON');
            this.skipLine = true;
            i++;
            continue;
          }
          if ((open === LBRACE) !== (c === RBRACE)) {
            this.structureError(buf, i, `unexpected ${describeByte(c)}: brackets do not match`);
            if (!this.dead) i++;
            continue;
          }
          const after = this.stack.length;
          if (this.afterComma) this.rec.invalid(); // `,}`: a trailing comma, which JSON.parse refuses
          this.afterComma = false;
          if (this.capturing && this.capWhere !== 'top' && after === this.elemDepth) {
            this.finish(buf, i + 1);
          } else if (this.elemWhere !== null && after === this.elemDepth - 1) {
            this.elemWhere = null; // the container array closed
            this.elemDepth = -1;
          }
          if (after === 0) {
            if (this.mode === 'value') {
              this.lineMode = !this.valueHasNewline;
              this.finish(buf, i + 1);
            }
            this.mode = 'none';
          }
          i++;
          continue;
        }
        case COMMA:
          if (depth === 1 && this.stack[0] === LBRACE) {
            this.expectKey = true;
            this.afterColon = false;
          }
          if (this.afterComma) this.rec.invalid();
          this.afterComma = true;
          if (depth === this.recDepth) this.rec.comma();
          i++;
          continue;
        case COLON:
          if (depth === 1 && this.stack[0] === LBRACE) this.afterColon = true;
          i++;
          continue;
        case NL:
          if (this.mode === 'value' && depth > 0) {
            if (this.lineMode && this.lineBreaksValue(buf, i)) {
              this.brokenLine();
              i++;
              continue;
            }
            this.valueHasNewline = true;
          }
          i++;
          continue;
        default:
          if (isWhitespace(c)) {
            i++;
            continue;
          }
          if (depth > 0) {
            // Inside a container any stray text is captured like a scalar, so that JSON.parse reports it.
            this.valueStart(i, depth, true);
            this.afterComma = false;
            if (depth === this.recDepth) this.rec.other();
          } else if (isScalarStart(c)) {
            this.mode = 'value';
            this.beginCapture('top', i);
            this.scalar = true;
          } else {
            this.error(this.chunkOffset + i, `not JSON: unexpected ${describeByte(c)}`, false, 'NOT_JSON');
            this.skipLine = true;
          }
          i++;
      }
    }
  }

  /** A record whole in this buffer, by the fast lane (record-walk.ts); -1 if it is left to the state machine. */
  private walk(buf: Buffer, i: number, top: boolean): number {
    const end = walkRecord(buf, i, this.rec, top, this.max, MAX_NESTING, this.kinds, this.walkState);
    if (end === -1) return -1;
    const fields = this.rec.result();
    const frame: Frame = { kind: 'value', where: top ? 'top' : this.elemWhere!, bytes: buf.subarray(i, end), offset: this.chunkOffset + i };
    if (fields) frame.fields = fields;
    this.frames.push(frame);
    this.afterComma = false;
    if (top) {
      // what the state machine leaves after a one-line top-level object
      this.mode = 'none';
      this.lineMode = true;
      this.expectKey = this.walkState.expectKey;
      this.afterColon = this.walkState.afterColon;
      this.lastKey = null;
    }
    return end;
  }

  /** Called at the first byte of any value below the top level. */
  private valueStart(i: number, depth: number, scalar: boolean): void {
    if (depth === 0) {
      // a top-level string: captured like any other top-level value, and rejected later as not a record
      this.mode = 'value';
      this.beginCapture('top', i);
      return;
    }
    if (depth === 1) this.afterColon = false;
    if (this.elemWhere !== null && depth === this.elemDepth && !this.capturing) {
      this.beginCapture(this.elemWhere, i);
      this.scalar = scalar;
    }
  }

  private scanString(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.escaped) {
      this.escaped = false;
      return i + 1;
    }
    if (this.nextQuote < i) this.nextQuote = indexOr(buf, QUOTE, i, n);
    if (this.nextBackslash < i) this.nextBackslash = indexOr(buf, BACKSLASH, i, n);
    const q = this.nextQuote;
    const bs = this.nextBackslash;
    const stop = Math.min(q, bs);
    if (this.mode === 'value' && this.lineMode) {
      if (this.nextNewline < i) this.nextNewline = indexOr(buf, NL, i, n);
      if (this.nextNewline < stop && this.lineBreaksValue(buf, this.nextNewline)) {
        this.inString = false;
        this.keyString = false;
        this.brokenLine();
        return this.nextNewline + 1;
      }
    }
    if (this.keyString) {
      this.keyText += buf.toString('latin1', i, Math.min(stop, i + MAX_KEY + 1));
      if (this.keyText.length > MAX_KEY) this.keyText = this.keyText.slice(0, MAX_KEY + 1);
    }
    if (this.capturing) {
      // A raw newline inside a string: JSON.parse refuses it (published records have them).
      if (this.nextNewline < i) this.nextNewline = indexOr(buf, NL, i, n);
      if (this.nextNewline < stop) this.rec.invalid();
    }
    if (bs < q) {
      this.strEscaped = true;
      if (bs + 1 >= n) {
        this.escaped = true;
        return n;
      }
      return bs + 2;
    }
    if (q >= n) return n;
    // the string ends at q
    this.inString = false;
    const depth = this.stack.length;
    if (this.capturing && depth === this.recDepth) {
      // A string split across chunks is rare (one per chunk at most): leave that record to JSON.parse.
      if (this.strChunk !== this.chunkOffset) this.rec.invalid();
      else this.rec.string(buf, this.strStart + 1, q, this.strEscaped);
    }
    if (this.keyString) {
      this.keyString = false;
      this.lastKey = this.keyText;
    } else if (this.capturing && depth === this.depthOfCapture()) {
      this.finish(buf, q + 1);
      if (depth === 0) this.mode = 'none';
    }
    return q + 1;
  }


  private beginCapture(where: Where, i: number): void {
    this.recDepth = -1;
    this.rec.invalid();
    this.capturing = true;
    this.capWhere = where;
    this.capStart = this.chunkOffset + i;
    this.capIndex = i;
    this.parts = [];
    this.partsSize = 0;
    this.oversize = false;
    this.tooDeep = false;
    this.scalar = false;
    this.valueHasNewline = false;
  }

  private dropCapture(): void {
    this.parts = [];
    this.oversize = true;
  }

  private captured(buf: Buffer, end: number): Buffer {
    const tail = buf.subarray(this.capIndex, end);
    return this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
  }

  private finish(buf: Buffer, end: number): void {
    const size = this.partsSize + (end - this.capIndex);
    if (this.scalar && this.capWhere === 'top' && (this.oversize || !TOP_SCALAR.test(this.captured(buf, end).toString('latin1')))) {
      // Words at the top level are text, not JSON: one problem for the line, not one per word.
      this.error(this.capStart, `not JSON: unexpected ${describeByte(this.parts[0]?.[0] ?? buf[this.capIndex]!)}`, false, 'NOT_JSON');
      this.skipLine = true;
      this.mode = 'none';
      this.endCapture();
      return;
    }
    if (this.tooDeep) {
      this.frames.push({ kind: 'lost', where: this.capWhere, offset: this.capStart, message: TOO_DEEP, code: 'RECORD_TOO_DEEP' });
    } else if (this.oversize || size > this.max) {
      this.frames.push({
        kind: 'lost', where: this.capWhere, offset: this.capStart,
        message: `value of ${size} bytes is larger than the ${this.max}-byte limit per record; skipped`, code: 'RECORD_TOO_LARGE',
      });
    } else {
      const fields = this.recDepth === this.depthOfCapture() + 1 ? this.rec.result() : undefined;
      const frame: Frame = { kind: 'value', where: this.capWhere, bytes: this.captured(buf, end), offset: this.capStart };
      if (fields) frame.fields = fields;
      this.frames.push(frame);
    }
    if (this.capWhere === 'top') this.mode = 'none';
    this.endCapture();
  }

  /** The input ends inside the record being captured. */
  private lose(message: string): void {
    this.frames.push({ kind: 'lost', where: this.capWhere, offset: this.capStart, message, code: 'JSON_TRUNCATED' });
    this.endCapture();
    this.dead = true;
  }

  private endCapture(): void {
    this.recDepth = -1;
    this.capturing = false;
    this.scalar = false;
    this.parts = [];
    this.partsSize = 0;
    this.oversize = false;
    this.tooDeep = false;
  }

  private resetStructure(): void {
    this.stack = [];
    this.inString = this.escaped = this.keyString = false;
    this.expectKey = this.afterColon = false;
    this.lastKey = null;
    this.elemWhere = null;
    this.elemDepth = -1;
    this.mode = 'none';
    this.endCapture();
  }

  /**
   * JSON Lines: a newline inside a value. When the next line starts a new object the value was a broken line;
   * otherwise it is a value written over several lines (pretty-printed JSON after JSON Lines, `cat a b`), and
   * lines stop being records. At the end of a chunk the next byte is not known: the value is taken as multi-line,
   * and a broken line is then found the slower way (abandonValue re-reads from its first newline).
   */
  private lineBreaksValue(buf: Buffer, nl: number): boolean {
    const next = buf[nl + 1];
    if (next === LBRACE) return true;
    this.lineMode = false;
    return false;
  }

  /** JSON Lines: a line ended inside a value. The value is lost; the next line starts afresh. */
  private brokenLine(): void {
    this.frames.push({ kind: 'lost', where: 'top', offset: this.capStart, message: 'malformed JSON line: the line ends inside a JSON value', code: 'LINE_BROKEN' });
    this.resetStructure();
  }

  private structureError(buf: Buffer, i: number, message: string): void {
    if (this.mode === 'value') {
      this.abandonValue(message, buf, i + 1, 'JSON_MALFORMED');
      return;
    }
    // Inside a Records or Events array there is no safe place to resume: say where it broke and stop.
    this.error(this.chunkOffset + i, `${message}; the rest of this input cannot be read`, true, 'JSON_MALFORMED');
  }

  /**
   * A top-level value cannot be framed (it never closes, or its brackets do not match). It was probably one
   * broken line of JSON Lines, so read again from the line after its start: the lines after it are not lost.
   */
  private abandonValue(message: string, buf: Buffer, end: number, code: ProblemCode): void {
    const start = this.capStart;
    const bytes = this.oversize ? null : this.captured(buf, end);
    this.frames.push({ kind: 'lost', where: 'top', offset: start, message: `malformed JSON: ${message}`, code });
    this.resetStructure();
    if (bytes === null) {
      this.skipLine = true;
      return;
    }
    const nl = bytes.indexOf(NL);
    if (nl === -1) return;
    const replay = bytes.subarray(nl + 1);
    // Scan the replayed bytes as if they were a chunk of their own, then carry on with the current chunk.
    const saved = { chunkOffset: this.chunkOffset, q: this.nextQuote, b: this.nextBackslash, n: this.nextNewline };
    this.chunkOffset = start + nl + 1;
    this.nextQuote = this.nextBackslash = this.nextNewline = -1;
    this.scan(replay, 0);
    if (this.capturing) {
      // The replayed bytes end where the current chunk's position is; keep the capture going from there.
      const rest = replay.subarray(this.capIndex);
      this.parts.push(Buffer.from(rest));
      this.partsSize += rest.length;
      this.capIndex = end;
    }
    this.chunkOffset = saved.chunkOffset;
    this.nextQuote = saved.q;
    this.nextBackslash = saved.b;
    this.nextNewline = saved.n;
  }
}

function indexOr(buf: Buffer, byte: number, from: number, none: number): number {
  const at = buf.indexOf(byte, from);
  return at === -1 ? none : at;
}

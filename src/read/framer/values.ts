/**
 * The framer's state and the life of a value in it: captured, finished into a frame or lost, and for JSON Lines
 * repaired (a broken line is dropped, a value that never closes is read again from its second line). The byte scan
 * that drives it is framer.ts; the parts both use are frame.ts, containers.ts, capture.ts, json-lines.ts and
 * fields.ts.
 */
import type { ProblemCode } from '../../problems.js';
import { Capture } from './capture.js';
import { boundaryOf, resumeInside, type Boundary } from './containers.js';
import { RecordFieldReader } from './fields.js';
import { describeByte, MAX_NESTING, TOO_DEEP, TOP_SCALAR, type Frame, type Where } from './frame.js';
import { BROKEN_LINE, NewlineHold, nextLineStarts, replayFrom } from './json-lines.js';
import type { WalkState } from './record-walk.js';

export interface FramerOptions {
  /** A value larger than this is skipped (reported as lost) instead of buffered. */
  maxValueBytes: number;
  /** Start in the middle of an input, at `offset`, in this state (a file read in two parts at once). */
  resume?: { state: Boundary; offset: number };
  /** false: every record through the state machine, never the fast lane; for the tests that hold the two to the same frames. */
  fastLane?: boolean;
}

type Mode = 'none' | 'value' | 'object' | 'array';

export abstract class FramerState {
  protected readonly max: number;
  protected readonly fastLane: boolean;
  protected frames: Frame[] = [];
  protected chunkOffset = 0;
  protected stack: number[] = [];
  protected mode: Mode = 'none';
  protected dead = false;
  protected skipLine = false;
  protected readonly hold = new NewlineHold();
  protected lineMode = false;
  protected valueHasNewline = false;

  // strings; a key of the top-level object that may name a container is spelt out
  protected inString = false;
  protected escaped = false;
  protected keyString = false;
  protected keyText = '';
  protected expectKey = false;
  protected afterColon = false;
  protected lastKey: string | null = null;

  // the list whose elements are captured, and its depth
  protected elemWhere: Where | null = null;
  protected elemDepth = -1;

  protected readonly cap = new Capture();
  // the record being captured: its top-level fields, the string being read, a comma just seen
  protected readonly rec = new RecordFieldReader();
  protected recDepth = -1;
  protected strStart = 0;
  protected strChunk = 0;
  protected strEscaped = false;
  protected afterComma = false;

  // the fast lane's scratch: bracket kinds by depth, and what it leaves behind
  protected readonly kinds = new Uint8Array(MAX_NESTING + 2);
  protected readonly walkState: WalkState = { expectKey: false, afterColon: false, nlBuf: undefined, nl: -1 };

  // next positions of interesting bytes in the current chunk, so strings are skipped with indexOf
  protected nextQuote = -1;
  protected nextBackslash = -1;
  protected nextNewline = -1;

  constructor(options: FramerOptions) {
    this.max = options.maxValueBytes;
    this.fastLane = options.fastLane !== false;
    const resume = options.resume;
    if (resume) {
      this.chunkOffset = resume.offset;
      if (resume.state.where === 'top') this.lineMode = resume.state.lineMode;
      else {
        const inside = resumeInside(resume.state.where);
        this.stack = inside.stack;
        this.elemWhere = inside.elemWhere;
        this.elemDepth = inside.elemDepth;
        this.mode = 'object';
      }
    }
  }

  /** Where the framer stands, if it is between two records (see Boundary); undefined inside anything else. */
  boundary(): Boundary | undefined {
    if (this.dead || this.inString || this.cap.active || this.cap.scalar || this.skipLine) return undefined;
    if (this.stack.length === 0 ? this.mode !== 'none' : this.mode !== 'object') return undefined;
    return boundaryOf({ stack: this.stack, elemWhere: this.elemWhere, elemDepth: this.elemDepth }, this.lineMode);
  }

  push(chunk: Buffer): Frame[] {
    const bytes = this.hold.take(chunk);
    return bytes.length === 0 ? this.take() : this.pushChunk(bytes);
  }

  protected pushChunk(chunk: Buffer): Frame[] {
    this.nextQuote = this.nextBackslash = this.nextNewline = -1;
    // a caller may hand the same Buffer again with other bytes in it
    this.walkState.nlBuf = undefined;
    if (!this.dead) this.scan(chunk, 0);
    if (this.cap.active) this.cap.carry(chunk, this.max);
    this.chunkOffset += chunk.length;
    return this.take();
  }

  end(): Frame[] {
    const held = this.hold.release();
    if (held) this.frames.push(...this.pushChunk(held));
    if (!this.dead) {
      if (this.cap.active && this.cap.scalar && this.stack.length === this.depthOfCapture()) this.finish(Buffer.alloc(0), 0);
      if (this.inString || this.stack.length > 0 || this.cap.active) {
        if (this.mode === 'value') this.abandonValue('unexpected end of input inside this value', Buffer.alloc(0), 0, 'JSON_TRUNCATED');
        else if (this.cap.active) this.lose('input ends inside this record (truncated)');
        else this.error(this.chunkOffset, 'unexpected end of input (truncated JSON)', true, 'JSON_TRUNCATED');
        if (!this.dead && (this.inString || this.stack.length > 0 || this.cap.active)) return this.end();
      }
    }
    return this.take();
  }

  protected take(): Frame[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }

  protected error(offset: number, message: string, fatal: boolean, code: ProblemCode): void {
    this.frames.push({ kind: 'error', offset, message, fatal, code });
    if (fatal) this.dead = true;
  }

  protected depthOfCapture(): number {
    return this.cap.where === 'top' ? 0 : this.elemDepth;
  }

  protected beginCapture(where: Where, i: number): void {
    this.recDepth = -1;
    this.rec.invalid();
    this.cap.begin(where, this.chunkOffset + i, i);
    this.valueHasNewline = false;
  }

  protected finish(buf: Buffer, end: number): void {
    const cap = this.cap;
    if (cap.scalar && cap.where === 'top' && (cap.oversize || !TOP_SCALAR.test(cap.bytes(buf, end).toString('latin1')))) {
      // Words at the top level are text, not JSON: one problem for the line, not one per word.
      this.error(cap.start, `not JSON: unexpected ${describeByte(cap.first(buf))}`, false, 'NOT_JSON');
      this.skipLine = true;
      this.mode = 'none';
      this.endCapture();
      return;
    }
    const size = cap.size(end);
    if (cap.tooDeep) {
      this.frames.push({ kind: 'lost', where: cap.where, offset: cap.start, message: TOO_DEEP, code: 'RECORD_TOO_DEEP' });
    } else if (cap.oversize || size > this.max) {
      this.frames.push({
        kind: 'lost', where: cap.where, offset: cap.start,
        message: `value of ${size} bytes is larger than the ${this.max}-byte limit per record; skipped`, code: 'RECORD_TOO_LARGE',
      });
    } else {
      const fields = this.recDepth === this.depthOfCapture() + 1 ? this.rec.result() : undefined;
      const frame: Frame = { kind: 'value', where: cap.where, bytes: cap.bytes(buf, end), offset: cap.start };
      if (fields) frame.fields = fields;
      this.frames.push(frame);
    }
    if (cap.where === 'top') this.mode = 'none';
    this.endCapture();
  }

  /** The input ends inside the record being captured. */
  protected lose(message: string): void {
    this.frames.push({ kind: 'lost', where: this.cap.where, offset: this.cap.start, message, code: 'JSON_TRUNCATED' });
    this.endCapture();
    this.dead = true;
  }

  protected endCapture(): void {
    this.recDepth = -1;
    this.cap.end();
  }

  protected resetStructure(): void {
    this.stack = [];
    this.inString = this.escaped = this.keyString = false;
    this.expectKey = this.afterColon = false;
    this.lastKey = null;
    this.elemWhere = null;
    this.elemDepth = -1;
    this.mode = 'none';
    this.endCapture();
  }

  /** JSON Lines: a newline inside a value; a newline that does not start a record ends line mode (json-lines.ts). */
  protected lineBreaksValue(buf: Buffer, nl: number): boolean {
    if (nextLineStarts(buf, nl)) return true;
    this.lineMode = false;
    return false;
  }

  /** JSON Lines: a line ended inside a value. The value is lost; the next line starts afresh. */
  protected brokenLine(): void {
    this.frames.push({ kind: 'lost', where: 'top', offset: this.cap.start, message: BROKEN_LINE, code: 'LINE_BROKEN' });
    this.resetStructure();
  }

  protected structureError(buf: Buffer, i: number, message: string): void {
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
  protected abandonValue(message: string, buf: Buffer, end: number, code: ProblemCode): void {
    const start = this.cap.start;
    const bytes = this.cap.oversize ? null : this.cap.bytes(buf, end);
    this.frames.push({ kind: 'lost', where: 'top', offset: start, message: `malformed JSON: ${message}`, code });
    this.resetStructure();
    if (bytes === null) {
      this.skipLine = true;
      return;
    }
    const from = replayFrom(bytes);
    if (from === -1) return;
    const replay = bytes.subarray(from);
    // Scan the replayed bytes as if they were a chunk of their own, then carry on with the current chunk.
    const saved = { chunkOffset: this.chunkOffset, q: this.nextQuote, b: this.nextBackslash, n: this.nextNewline };
    this.chunkOffset = start + from;
    this.nextQuote = this.nextBackslash = this.nextNewline = -1;
    this.scan(replay, 0);
    // The replayed bytes end where the current chunk's position is; keep the capture going from there.
    if (this.cap.active) this.cap.carryFrom(replay, end);
    this.chunkOffset = saved.chunkOffset;
    this.nextQuote = saved.q;
    this.nextBackslash = saved.b;
    this.nextNewline = saved.n;
  }
  /** Scans bytes from `from`, as far as they go. */
  protected abstract scan(buf: Buffer, from: number): void;
}

/**
 * The byte-level JSON framer: a state machine over strings and brackets that can stop at any byte and resume
 * with the next chunk. Validating JSON is left to JSON.parse, record by record. Its parts: what it yields
 * (frame.ts), the containers it looks into and the boundaries it can resume at (containers.ts), the state and the
 * life of a value (values.ts: capture, finish, JSON Lines repair), the fast lane for a record whole in a buffer
 * (record-walk.ts), and the pick-up of a record's top-level fields (fields.ts).
 *
 * Frames: a top-level value (a record of JSON Lines, a lookup-events Event, a whole digest file, ...) is `top`;
 * an element of a top-level array is `array`; an element of the list under a container key is that key.
 */
import { isContainerKey, MAX_KEY, mayNameContainer } from './containers.js';
import {
  BACKSLASH, COLON, COMMA, CR, describeByte, isScalarStart, indexOr, isWhitespace, LBRACE, LBRACK, MAX_NESTING, NL, QUOTE, RBRACE, RBRACK, type Frame,
} from './frame.js';
import { walkRecord } from './record-walk.js';
import { FramerState } from './values.js';

export type { FramerOptions } from './values.js';

export class JsonFramer extends FramerState {
  protected scan(buf: Buffer, from: number): void {
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
      if (this.cap.scalar) {
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
            this.keyString = mayNameContainer(i + 1 < n ? buf[i + 1] : undefined);
            this.keyText = '';
            this.lastKey = null;
            this.expectKey = false;
          }
          this.inString = true;
          i++;
          continue;
        case LBRACE:
        case LBRACK:
          if (c === LBRACE && this.fastLane && !this.cap.active && (depth === 0 || (this.elemWhere !== null && depth === this.elemDepth))) {
            const end = this.walk(buf, i, depth === 0);
            if (end !== -1) {
              i = end;
              continue;
            }
          }
          this.open(c, i, depth);
          i++;
          continue;
        case RBRACE:
        case RBRACK:
          i = this.close(buf, c, i);
          continue;
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
          this.other(c, i, depth);
          i++;
      }
    }
  }

  private open(c: number, i: number, depth: number): void {
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
      if (this.mode === 'value') this.cap.drop();
      this.cap.active = false;
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
    if (this.cap.active) {
      const inside = depth + 1;
      if (inside - this.depthOfCapture() > MAX_NESTING && !this.cap.tooDeep) {
        this.cap.tooDeep = true;
        this.cap.drop();
      }
      if (inside === this.depthOfCapture() + 1) {
        this.recDepth = inside;
        if (c === LBRACE) this.rec.begin();
        else this.rec.invalid();
      } else if (inside === this.recDepth + 1) this.rec.other();
    }
  }

  /** A closing bracket at `i`; returns where scanning goes on. */
  private close(buf: Buffer, c: number, i: number): number {
    const open = this.stack.pop();
    if (open === undefined) {
      this.error(this.chunkOffset + i, `not JSON: unexpected ${describeByte(c)}`, false, 'NOT_JSON');
      this.skipLine = true;
      return i + 1;
    }
    if ((open === LBRACE) !== (c === RBRACE)) {
      this.structureError(buf, i, `unexpected ${describeByte(c)}: brackets do not match`);
      return this.dead ? i : i + 1;
    }
    const after = this.stack.length;
    if (this.afterComma) this.rec.invalid(); // `,}`: a trailing comma, which JSON.parse refuses
    this.afterComma = false;
    if (this.cap.active && this.cap.where !== 'top' && after === this.elemDepth) {
      this.finish(buf, i + 1);
    } else if (this.elemWhere !== null && after === this.elemDepth - 1) {
      this.elemWhere = null; // the container list closed
      this.elemDepth = -1;
    }
    if (after === 0) {
      if (this.mode === 'value') {
        this.lineMode = !this.valueHasNewline;
        this.finish(buf, i + 1);
      }
      this.mode = 'none';
    }
    return i + 1;
  }

  /** Any other byte outside strings: white space, or the start (or more) of a number or word. */
  private other(c: number, i: number, depth: number): void {
    if (isWhitespace(c)) return;
    if (depth > 0) {
      // Inside a container any stray text is captured like a scalar, so that JSON.parse reports it.
      this.valueStart(i, depth, true);
      this.afterComma = false;
      if (depth === this.recDepth) this.rec.other();
    } else if (isScalarStart(c)) {
      this.mode = 'value';
      this.beginCapture('top', i);
      this.cap.scalar = true;
    } else {
      this.error(this.chunkOffset + i, `not JSON: unexpected ${describeByte(c)}`, false, 'NOT_JSON');
      this.skipLine = true;
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
    if (this.elemWhere !== null && depth === this.elemDepth && !this.cap.active) {
      this.beginCapture(this.elemWhere, i);
      this.cap.scalar = scalar;
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
    if (this.cap.active) {
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
    if (this.cap.active && depth === this.recDepth) {
      // A string split across chunks is rare (one per chunk at most): leave that record to JSON.parse.
      if (this.strChunk !== this.chunkOffset) this.rec.invalid();
      else this.rec.string(buf, this.strStart + 1, q, this.strEscaped);
    }
    if (this.keyString) {
      this.keyString = false;
      this.lastKey = this.keyText;
    } else if (this.cap.active && depth === this.depthOfCapture()) {
      this.finish(buf, q + 1);
      if (depth === 0) this.mode = 'none';
    }
    return q + 1;
  }
}

/**
 * The framer's fast lane: one record (`{...}`) that lies whole in the buffer at hand, walked with local variables
 * only. The byte-by-byte state machine (framer.ts, values.ts) keeps its state on the object so that it can stop at any byte
 * and resume with the next chunk; that costs about half the time of a read. Nearly every record of an S3 file
 * read whole, and all but one per chunk elsewhere, needs no resuming, so this walk takes them, and gives up
 * (returns -1) on anything it would have to resume or repair: the end of the buffer, a newline inside a JSON
 * Lines value, mismatched brackets, nesting past MAX_NESTING, a value over the size limit, a top-level key that
 * may open a container. The state machine then reads the record from its first byte as before, so a record
 * gives the same frame and the same fields by either way (the differential and chunk-invariance tests hold
 * both to that).
 */
import type { RecordFieldReader } from './fields.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d;
const COMMA = 0x2c, COLON = 0x3a, NL = 0x0a, CR = 0x0d, SPACE = 0x20, TAB = 0x09;

/** Kept between walks: what the state machine's top-level key detection would have left behind (for a JSON
 * Lines record), and where the buffer's next newline is (an S3 file is one line: searching it again for every
 * record would read the rest of the buffer each time). */
export interface WalkState {
  expectKey: boolean;
  afterColon: boolean;
  nlBuf: Buffer | undefined;
  nl: number;
}

/**
 * Walks the record whose `{` is at `start`. Returns the index just past its `}`, or -1 to leave it to the state
 * machine. `top`: a top-level value (JSON Lines), where a newline inside it is the state machine's to judge and
 * keys are watched for containers; `state` then receives what the state machine keeps of its walk. The
 * record's top-level strings go to `rec` exactly as the state machine hands them on.
 */
export function walkRecord(buf: Buffer, start: number, rec: RecordFieldReader, top: boolean, maxBytes: number, maxNesting: number, kinds: Uint8Array, state: WalkState): number {
  const n = buf.length;
  // The first newline at or after where the walk stands: strings that contain one make the record the ordinary
  // parser's (JSON.parse refuses raw newlines); on one line per record it is found once per record.
  let nl = state.nlBuf === buf && (state.nl === -1 || state.nl >= start) ? state.nl : buf.indexOf(NL, start);
  let i = start + 1;
  let depth = 1;
  kinds[1] = LBRACE;
  let afterComma = false;
  let expectKey = true;
  let afterColon = false;
  rec.begin();
  for (;;) {
    if (i >= n) return -1;
    const c = buf[i]!;
    if (c === QUOTE) {
      const s = i + 1;
      let q = buf.indexOf(QUOTE, s);
      while (q !== -1 && buf[q - 1] === BACKSLASH) {
        let k = 1;
        while (buf[q - 1 - k] === BACKSLASH) k++;
        if ((k & 1) === 0) break;
        q = buf.indexOf(QUOTE, q + 1);
      }
      if (q === -1) {
        state.nlBuf = undefined;
        return -1;
      }
      if (nl !== -1 && nl < s) nl = buf.indexOf(NL, s);
      if (nl !== -1 && nl < q) {
        if (top) return -1;
        rec.invalid();
      }
      if (depth === 1) {
        if (top) {
          if (expectKey) {
            // Records, Events, QueryResultRows: a key that may open a container is the state machine's to judge.
            const first = buf[s];
            if (first === 0x52 || first === 0x45 || first === 0x51) return -1;
            expectKey = false;
          }
          afterColon = false;
        }
        let escaped = false;
        if (rec.wantsString()) {
          for (let k = s; k < q; k++) {
            if (buf[k] === BACKSLASH) {
              escaped = true;
              break;
            }
          }
        }
        rec.string(buf, s, q, escaped);
      }
      afterComma = false;
      i = q + 1;
      continue;
    }
    if (c === LBRACE || c === LBRACK) {
      if (depth === 1) afterColon = false;
      if (++depth > maxNesting) return -1;
      kinds[depth] = c;
      if (depth === 2) rec.other();
      afterComma = false;
      i++;
      continue;
    }
    if (c === RBRACE || c === RBRACK) {
      if ((kinds[depth] === LBRACE) !== (c === RBRACE)) return -1;
      if (afterComma) rec.invalid(); // `,}`: a trailing comma, which JSON.parse refuses
      afterComma = false;
      if (--depth === 0) break;
      i++;
      continue;
    }
    if (c === COMMA) {
      if (afterComma) rec.invalid();
      afterComma = true;
      if (depth === 1) {
        rec.comma();
        expectKey = true;
        afterColon = false;
      }
      i++;
      continue;
    }
    if (c === COLON) {
      if (depth === 1) afterColon = true;
      i++;
      continue;
    }
    if (c === NL) {
      if (top) return -1;
      i++;
      continue;
    }
    // A UTF-8 BOM's bytes count as white space, as in the state machine.
    if (c === SPACE || c === CR || c === TAB || c === 0xef || c === 0xbb || c === 0xbf) {
      i++;
      continue;
    }
    // a number, true, false, null, or stray text: JSON.parse judges it, the pick-up only notes a non-string
    if (depth === 1) {
      rec.other();
      afterColon = false;
    }
    afterComma = false;
    i++;
  }
  state.nlBuf = buf;
  state.nl = nl;
  const end = i + 1;
  if (end - start > maxBytes) return -1;
  state.expectKey = expectKey;
  state.afterColon = afterColon;
  return end;
}

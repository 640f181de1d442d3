/**
 * The fast path for records no matcher wants (97 % of a busy account's traffic): the summary needs only a few
 * top-level strings, so the framer (framer.ts) picks them up while it walks the record anyway, and JSON.parse
 * never builds the object. Anything unusual (an escape in a wanted value or a key, a trailing comma, a raw
 * newline in a string, a wanted field that is not a string, a record without recipientAccountId) leaves no
 * fields, and the record is parsed the ordinary way: for well-formed records, and for the defects published
 * records have, the summary is the same either way. Other syntax errors (a missing colon, a raw tab, `tru`) in
 * a record no matcher wants are not noticed: `--strict` parses every record.
 */
/** The summary's fields, and what the matchers' candidate test reads (candidates.ts). */
export interface SummaryFields extends CandidateFields {
  eventTime: string | undefined;
  awsRegion: string | undefined;
  recipientAccountId: string;
  eventType: string | undefined;
}

import type { CandidateFields } from '../../candidates.js';
import { PICKED_UP } from '../../cloudtrail-fields.js';
import { RECORD_KEYS } from '../../event.js';

// Two of the keys that make an object a record must be there, as the ordinary path requires; each counts once
// (a bit each), however often it is repeated.
const WANTED = PICKED_UP;
type Wanted = (typeof WANTED)[number];
const SLOT = Object.fromEntries(WANTED.map((name, i) => [name, i])) as Record<Wanted, number>;
const EVENT_TIME = SLOT.eventTime;
const RECIPIENT = SLOT.recipientAccountId;

/** A key worth knowing: its bytes, its bit among the record keys (0: none), its slot among the wanted (-1: none). */
interface Known { bytes: Buffer; bit: number; slot: number }
// By length, as bytes: a key is compared in place, since making a string of every key of every record costs
// more than the rest of the pick-up.
const KEYS_BY_LENGTH: Known[][] = [];
for (const key of new Set<string>([...RECORD_KEYS, ...WANTED])) {
  const bit = (RECORD_KEYS as readonly string[]).indexOf(key);
  (KEYS_BY_LENGTH[key.length] ??= []).push({ bytes: Buffer.from(key, 'latin1'), bit: bit === -1 ? 0 : 1 << bit, slot: (WANTED as readonly string[]).indexOf(key) });
}

function knownKey(buf: Buffer, start: number, end: number): Known | undefined {
  const candidates = KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  next: for (const known of candidates) {
    const bytes = known.bytes;
    for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) continue next;
    return known;
  }
  return undefined;
}

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

// Values longer than this are not remembered for reuse (an error message); the ones that repeat are short.
const REUSE_MAX = 64;

/** The record-level state the framer keeps for the element it is capturing. */
export class RecordFieldReader {
  private ok = false;
  private expectKey = false;
  private pending = -1; // the slot of the wanted key whose value comes next
  private recordKeys = 0; // a mask of the record keys' bits
  private readonly values: (string | undefined)[] = WANTED.map(() => undefined);
  // The last value of each slot, as bytes and as a string: a region, an account, an event source repeat from one
  // record to the next, and comparing a few bytes costs less than making (and later collecting) a new string.
  private readonly lastBytes = WANTED.map(() => Buffer.alloc(REUSE_MAX));
  private readonly lastLength = WANTED.map(() => -1);
  private readonly lastString: string[] = WANTED.map(() => '');

  /** The record's `{` opened. */
  begin(): void {
    this.ok = true;
    this.expectKey = true;
    this.pending = -1;
    this.recordKeys = 0;
    this.values.fill(undefined);
  }

  /** Something only JSON.parse may judge: leave this record to it. */
  invalid(): void {
    this.ok = false;
  }

  /** A string at the record's top level closed: bytes [start, end) of `buf` are its content. */
  string(buf: Buffer, start: number, end: number, escaped: boolean): void {
    if (!this.ok) return;
    if (this.expectKey) {
      this.expectKey = false;
      this.pending = -1;
      if (escaped) return this.invalid();
      const known = knownKey(buf, start, end);
      if (known !== undefined) {
        this.recordKeys |= known.bit;
        this.pending = known.slot;
      }
    } else if (this.pending !== -1) {
      if (escaped) return this.invalid();
      this.values[this.pending] = this.text(this.pending, buf, start, end);
      this.pending = -1;
    }
  }

  private text(slot: number, buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (slot === EVENT_TIME || length > REUSE_MAX) return buf.toString('utf8', start, end);
    const last = this.lastBytes[slot]!;
    if (length === this.lastLength[slot]) {
      let i = 0;
      while (i < length && buf[start + i] === last[i]) i++;
      if (i === length) return this.lastString[slot]!;
    }
    const text = buf.toString('utf8', start, end);
    buf.copy(last, 0, start, end);
    this.lastLength[slot] = length;
    this.lastString[slot] = text;
    return text;
  }

  /** Whether the next top-level string is read (a key, or a wanted value): only then does an escape in it matter. */
  wantsString(): boolean {
    return this.ok && (this.expectKey || this.pending !== -1);
  }

  /** A value that is not a string (an object, an array, a number, true, false, null) at the top level. */
  other(): void {
    if (this.pending !== -1) this.invalid(); // the ordinary path decides what it means (eventTime 12: epoch)
  }

  /** A comma at the record's top level: a key comes next. */
  comma(): void {
    this.expectKey = true;
    this.pending = -1;
  }

  result(): SummaryFields | undefined {
    const v = this.values;
    const account = v[RECIPIENT];
    if (!this.ok || bits(this.recordKeys) < 2 || account === undefined) return undefined;
    return {
      eventSource: v[SLOT.eventSource], eventTime: v[SLOT.eventTime], awsRegion: v[SLOT.awsRegion], recipientAccountId: account,
      eventType: v[SLOT.eventType], eventName: v[SLOT.eventName], errorCode: v[SLOT.errorCode], errorMessage: v[SLOT.errorMessage],
    };
  }
}

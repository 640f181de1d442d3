/**
 * The fast path for records no matcher wants (97 % of a busy account's traffic): the summary needs only a few
 * top-level strings, so the framer (split.ts) picks them up while it walks the record anyway, and JSON.parse
 * never builds the object. Anything unusual (an escape in a wanted value or a key, a trailing comma, a raw
 * newline in a string, a wanted field that is not a string, a record without recipientAccountId) leaves no
 * fields, and the record is parsed the ordinary way: for well-formed records, and for the defects published
 * records have, the summary is the same either way. Other syntax errors (a missing colon, a raw tab, `tru`) in
 * a record no matcher wants are not noticed: `--strict` parses every record.
 */
export interface SummaryFields {
  eventSource: string | undefined;
  eventTime: string | undefined;
  awsRegion: string | undefined;
  recipientAccountId: string;
  eventType: string | undefined;
}

import { RECORD_KEYS } from '../event.js';

// Two of the keys that make an object a record must be there, as the ordinary path requires; each counts once
// (a bit each), however often it is repeated.
const RECORD_KEY_BIT = new Map<string, number>(RECORD_KEYS.map((k, i) => [k, 1 << i]));
const WANTED = ['eventSource', 'eventTime', 'awsRegion', 'recipientAccountId', 'eventType'] as const;
type Wanted = (typeof WANTED)[number];
const WANTED_SET = new Set<string>(WANTED);
// All of those keys start with e, a or r; these are their lengths. Most keys fail this test without a string
// being made of them.
const KEY_LENGTHS = new Set([...RECORD_KEYS, ...WANTED].map((k) => k.length));

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

/** The record-level state the framer keeps for the element it is capturing. */
export class RecordFieldReader {
  private ok = false;
  private expectKey = false;
  private pending: Wanted | null = null;
  private recordKeys = 0; // a mask of RECORD_KEY_BIT
  private values: Partial<Record<Wanted, string>> = {};

  /** The record's `{` opened. */
  begin(): void {
    this.ok = true;
    this.expectKey = true;
    this.pending = null;
    this.recordKeys = 0;
    this.values = {};
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
      this.pending = null;
      if (escaped) return this.invalid();
      const first = buf[start];
      if ((first === 0x65 || first === 0x61 || first === 0x72) && KEY_LENGTHS.has(end - start)) {
        const key = buf.toString('latin1', start, end);
        this.recordKeys |= RECORD_KEY_BIT.get(key) ?? 0;
        if (WANTED_SET.has(key)) this.pending = key as Wanted;
      }
    } else if (this.pending !== null) {
      if (escaped) return this.invalid();
      this.values[this.pending] = buf.toString('utf8', start, end);
      this.pending = null;
    }
  }

  /** A value that is not a string (an object, an array, a number, true, false, null) at the top level. */
  other(): void {
    if (this.pending !== null) this.invalid(); // the ordinary path decides what it means (eventTime 12: epoch)
  }

  /** A comma at the record's top level: a key comes next. */
  comma(): void {
    this.expectKey = true;
    this.pending = null;
  }

  result(): SummaryFields | undefined {
    const v = this.values;
    if (!this.ok || bits(this.recordKeys) < 2 || v.recipientAccountId === undefined) return undefined;
    return { eventSource: v.eventSource, eventTime: v.eventTime, awsRegion: v.awsRegion, recipientAccountId: v.recipientAccountId, eventType: v.eventType };
  }
}

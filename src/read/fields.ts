/**
 * The fast path for records no matcher wants (97 % of a busy account's traffic): the summary needs only a few
 * top-level strings, so the framer (split.ts) picks them up while it walks the record anyway, and JSON.parse
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

import type { CandidateFields } from '../candidates.js';
import { RECORD_KEYS } from '../event.js';

// Two of the keys that make an object a record must be there, as the ordinary path requires; each counts once
// (a bit each), however often it is repeated.
const RECORD_KEY_BIT = new Map<string, number>(RECORD_KEYS.map((k, i) => [k, 1 << i]));
const WANTED = ['eventSource', 'eventTime', 'awsRegion', 'recipientAccountId', 'eventType', 'eventName', 'errorCode', 'errorMessage'] as const;
type Wanted = (typeof WANTED)[number];
const WANTED_SET = new Set<string>(WANTED);
// The keys worth knowing, by length, as bytes: a key is compared in place, since making a string of every key
// of every record costs more than the rest of the pick-up.
const KEYS_BY_LENGTH: { key: string; bytes: Buffer }[][] = [];
for (const key of new Set([...RECORD_KEYS, ...WANTED])) (KEYS_BY_LENGTH[key.length] ??= []).push({ key, bytes: Buffer.from(key, 'latin1') });

function knownKey(buf: Buffer, start: number, end: number): string | undefined {
  const candidates = KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  next: for (const { key, bytes } of candidates) {
    for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) continue next;
    return key;
  }
  return undefined;
}

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
      const key = knownKey(buf, start, end);
      if (key !== undefined) {
        this.recordKeys |= RECORD_KEY_BIT.get(key) ?? 0;
        if (WANTED_SET.has(key)) this.pending = key as Wanted;
      }
    } else if (this.pending !== null) {
      if (escaped) return this.invalid();
      this.values[this.pending] = buf.toString('utf8', start, end);
      this.pending = null;
    }
  }

  /** Whether the next top-level string is read (a key, or a wanted value): only then does an escape in it matter. */
  wantsString(): boolean {
    return this.ok && (this.expectKey || this.pending !== null);
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
    return {
      eventSource: v.eventSource, eventTime: v.eventTime, awsRegion: v.awsRegion, recipientAccountId: v.recipientAccountId, eventType: v.eventType,
      eventName: v.eventName, errorCode: v.errorCode, errorMessage: v.errorMessage,
    };
  }
}

import { describeJsonError } from '../../errors.js';
import { isObject, looksLikeRecord, type CloudTrailRecord } from '../../event.js';
import { MAX_NESTING, TOO_DEEP } from '../framer/frame.js';

/**
 * `aws cloudtrail lookup-events` wraps each record as an Event whose `CloudTrailEvent` is the record as a JSON
 * string (FIELDS.md section 5). The outer fields (EventId, EventName, ...) repeat what the record holds.
 */
export function isLookupEvent(value: unknown): boolean {
  return isObject(value) && 'CloudTrailEvent' in value && ('EventId' in value || 'EventName' in value || 'EventSource' in value);
}

export type Unwrapped = { record: CloudTrailRecord } | { problem: string; code?: 'RECORD_TOO_DEEP' };

export function unwrapLookupEvent(value: unknown): Unwrapped {
  if (!isObject(value)) return { problem: 'lookup-events entry is not a JSON object' };
  const inner = value.CloudTrailEvent;
  if (typeof inner !== 'string') return { problem: 'lookup-events Event has no CloudTrailEvent string' };
  // The framer keeps framed values within MAX_NESTING; this record is a string inside one, so check it here.
  if (inner.length > 2 * MAX_NESTING && nestsDeeper(inner, MAX_NESTING)) return { problem: `CloudTrailEvent: ${TOO_DEEP}`, code: 'RECORD_TOO_DEEP' };
  let record: unknown;
  try {
    record = JSON.parse(inner);
  } catch (error) {
    return { problem: `malformed JSON in CloudTrailEvent: ${describeJsonError(inner, error)}` };
  }
  if (!looksLikeRecord(record)) return { problem: 'CloudTrailEvent does not hold a CloudTrail record' };
  return { record };
}

/** Whether JSON text opens more than `max` brackets at once (brackets inside strings do not count). */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // to the closing quote: one that is not escaped by an odd run of backslashes
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

import { isObject, looksLikeRecord, type CloudTrailRecord } from '../../event.js';

/**
 * `aws cloudtrail lookup-events` wraps each record as an Event whose `CloudTrailEvent` is the record as a JSON
 * string (FIELDS.md section 5). The outer fields (EventId, EventName, ...) repeat what the record holds.
 */
export function isLookupEvent(value: unknown): boolean {
  return isObject(value) && 'CloudTrailEvent' in value && ('EventId' in value || 'EventName' in value || 'EventSource' in value);
}

export type Unwrapped = { record: CloudTrailRecord } | { problem: string };

export function unwrapLookupEvent(value: unknown): Unwrapped {
  if (!isObject(value)) return { problem: 'lookup-events entry is not a JSON object' };
  const inner = value.CloudTrailEvent;
  if (typeof inner !== 'string') return { problem: 'lookup-events Event has no CloudTrailEvent string' };
  let record: unknown;
  try {
    record = JSON.parse(inner);
  } catch (error) {
    return { problem: `malformed JSON in CloudTrailEvent: ${(error as Error).message}` };
  }
  if (!looksLikeRecord(record)) return { problem: 'CloudTrailEvent does not hold a CloudTrail record' };
  return { record };
}

import { parseISO } from 'date-fns/parseISO';

/**
 * The CloudTrail record as sso-logs sees it. Exports are full of surprises (FIELDS.md section 7: placeholder
 * times, missing fields, non-numeric account ids, URLs as event names), so every field is `unknown` and read
 * through the accessors below, which never throw.
 */
export type JsonObject = { [key: string]: unknown };

export interface CloudTrailRecord extends JsonObject {
  eventVersion?: unknown;
  eventTime?: unknown;
  eventSource?: unknown;
  eventName?: unknown;
  eventID?: unknown;
  eventType?: unknown;
  awsRegion?: unknown;
  recipientAccountId?: unknown;
  userIdentity?: unknown;
  requestParameters?: unknown;
  responseElements?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined when it is missing, null or of another type. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Follows a path of object keys; undefined as soon as a step is not an object. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

// Any one of these marks an object as a CloudTrail record. Insights records have no eventSource or eventName
// (FIELDS.md section 5), and published examples omit eventType or requestID (section 7), so no single key is
// required.
export const RECORD_KEYS = ['eventVersion', 'eventSource', 'eventName', 'eventID', 'eventType', 'eventTime'] as const;

export function looksLikeRecord(value: unknown): value is CloudTrailRecord {
  if (!isObject(value)) return false;
  let hits = 0;
  for (const key of RECORD_KEYS) if (key in value) hits++;
  return hits >= 2;
}

export function isInsight(record: CloudTrailRecord): boolean {
  return record.eventType === 'AwsCloudTrailInsight';
}

/** The account the event was delivered to, falling back to the caller's account for records without one. */
export function recordAccount(record: CloudTrailRecord): string | undefined {
  return str(record.recipientAccountId) ?? str(field(record.userIdentity, 'accountId'));
}

const PLAIN_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;
const HAS_ZONE = /[T ]\d\d(?::?\d\d)*(?:[.,]\d+)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)$/i;
const EPOCH_SECONDS = /^\d{9,11}(\.\d+)?$/;

/**
 * Parses the time forms seen in real exports: ISO with `Z`, without a zone (taken as UTC, which is what
 * CloudTrail writes), with a space instead of `T`, with nanoseconds, and lookup-events' epoch seconds
 * (`1424476529.0`). Anything else (`"xxxx"`, `"redacted"`) gives undefined; the record is kept either way.
 */
export function parseEventTime(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? validDate(new Date(value * 1000)) : undefined;
  if (typeof value !== 'string') return undefined;
  // The common case, `2024-10-10T13:23:45Z`, is exactly what Date.parse reads; skip the general path for it.
  if (PLAIN_UTC.test(value)) return validDate(new Date(value));
  const text = value.trim();
  if (EPOCH_SECONDS.test(text)) return parseEventTime(Number(text));
  // parseISO reads a zone-less time as local time; CloudTrail means UTC.
  const date = parseISO(HAS_ZONE.test(text) ? text.replace(/\s+(?=(?:Z|[+-]\d\d(?::?\d\d)?)$)/i, '') : `${text}Z`);
  return validDate(date);
}

/** parseEventTime as milliseconds; the common form without making a Date (the summary reads every record's time). */
export function eventTimeMs(value: unknown): number | undefined {
  if (typeof value === 'string' && PLAIN_UTC.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return parseEventTime(value)?.getTime();
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Who made the call, as one string: the caller's ARN, else its session issuer's, else its principal. */
export function caller(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  return nonEmpty(str(field(identity, 'arn')))
    ?? nonEmpty(str(field(identity, 'sessionContext', 'sessionIssuer', 'arn')))
    ?? nonEmpty(str(field(identity, 'userName')))
    ?? nonEmpty(str(field(identity, 'onBehalfOf', 'userId')))
    // An unauthenticated caller's principalId is just the account id (FIELDS.md 4): that names nobody.
    ?? nonEmpty(str(field(identity, 'principalId')) === str(field(identity, 'accountId')) ? undefined : str(field(identity, 'principalId')))
    ?? nonEmpty(str(field(identity, 'invokedBy')));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The literal CloudTrail writes in place of names and secrets (FIELDS.md 2a, 4). */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** A name that is really there: not missing, not empty, not hidden. */
export function visible(value: unknown): string | undefined {
  const s = str(value);
  return s === undefined || s === '' || s === HIDDEN ? undefined : s;
}

import { str, type CloudTrailRecord } from './event.js';

/**
 * Which records a matcher may act on, told by a record's top-level strings alone: a necessary condition, never
 * a sufficient one. A record that meets no running matcher's condition is only counted, never parsed in full
 * (the fast path: the framer picks these strings up as it walks the record, read/framer/fields.ts), so a condition
 * that is too narrow loses findings and one too broad only costs speed. Keeping them as data rather than code
 * lets every consumer read the same conditions.
 */
export interface Candidate {
  eventSources: readonly string[];
  /** Any event name when left out. */
  eventNames?: readonly string[];
  /** Only calls that failed: an errorCode or an errorMessage. */
  failed?: boolean;
  /**
   * Text the request parameters must contain (as JSON text). The fast path does not read requestParameters and
   * takes the record without this test; the Athena query applies it, where the text is a column.
   */
  requestContains?: string;
}

/** The top-level strings a candidate test reads (undefined: absent). */
export interface CandidateFields {
  eventSource: string | undefined;
  eventName: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  /** requestParameters as JSON text, where it is at hand; without it, requestContains is not tested. */
  requestText?: string;
}

export type CandidateTest = (fields: CandidateFields) => boolean;

/** One test for a list of conditions (any of them), built once per input rather than per record. */
export function candidateTest(candidates: readonly Candidate[]): CandidateTest {
  // By event source first: 97 % of records come from sources no matcher reads, and a Map lookup settles them.
  const bySource = new Map<string, { names: Set<string> | null; failed: boolean; contains: string | undefined }[]>();
  for (const c of candidates) {
    for (const source of c.eventSources) {
      const list = bySource.get(source) ?? [];
      list.push({ names: c.eventNames ? new Set(c.eventNames) : null, failed: c.failed === true, contains: c.requestContains });
      bySource.set(source, list);
    }
  }
  return (fields) => {
    if (fields.eventSource === undefined) return false;
    const conditions = bySource.get(fields.eventSource);
    if (!conditions) return false;
    const failed = !!fields.errorCode || !!fields.errorMessage;
    // requestText is read only where a condition asks for it: the runner makes it on demand.
    return conditions.some((c) => (c.names === null || (fields.eventName !== undefined && c.names.has(fields.eventName)))
      && (!c.failed || failed) && (c.contains === undefined || contains(fields.requestText, c.contains)));
  };
}

function contains(text: string | undefined, part: string): boolean {
  return text === undefined || text.includes(part);
}

/**
 * The same fields of a parsed record (non-strings count as absent, as the framer's pick-up never sees them);
 * with `request`, the request parameters' JSON text too, so that every part of a condition is tested.
 */
export function candidateFields(record: CloudTrailRecord, request = true): CandidateFields {
  const fields: CandidateFields = { eventSource: str(record.eventSource), eventName: str(record.eventName), errorCode: str(record.errorCode), errorMessage: str(record.errorMessage) };
  if (request) fields.requestText = JSON.stringify(record.requestParameters ?? null);
  return fields;
}

/** A matcher's conditions in words, for `sso-logs matchers` ("looks at"): generated, so it cannot drift from them. */
export function describeCandidates(candidates: readonly Candidate[]): string {
  if (!candidates.length) return 'nothing';
  return candidates.map((c) => {
    const sources = c.eventSources.map((s) => s.replace(/\.amazonaws\.com$/, '')).join(', ');
    const names = c.eventNames ? c.eventNames.join(', ') : 'any event';
    const extra = [c.failed ? 'that failed' : '', c.requestContains ? `whose request mentions ${c.requestContains}` : ''].filter(Boolean).join(' ');
    return `${sources}: ${names}${extra ? ` ${extra}` : ''}`;
  }).join('; ');
}

import { candidateFields, candidateTest, type Candidate, type CandidateFields, type CandidateTest } from '../candidates.js';
import { isInsight, str, type CloudTrailRecord } from '../event.js';
import { FAULT } from '../fault.js';
import { compare } from '../text.js';
import { packUuid } from './common.js';
import { MATCHERS } from './registry.js';
import type { Collector, EventMatcher, Finding, FindingInput, MatchOptions, MatcherMeta } from './types.js';

interface Running {
  meta: MatcherMeta;
  candidates: readonly Candidate[];
  takes: CandidateTest;
  /** An event matcher's check, bound to the options; or a correlating matcher's collector. */
  check?: (record: CloudTrailRecord) => FindingInput | undefined;
  collector?: Collector;
}

/** Whether a matcher can run with these options (scim-principal-activity needs a --principal). */
export function canRun(meta: MatcherMeta, options: Pick<MatchOptions, 'principals'>): boolean {
  return meta.requires !== 'principal' || options.principals.length > 0;
}

/**
 * Runs the chosen matchers over records and returns their findings in a stable order. Each record goes only to
 * the matchers whose candidate conditions take it, once per event: CloudTrail delivers some events in two log
 * files, and users scan overlapping paths or a trail beside a lookup-events export of the same days.
 */
export class MatchRunner {
  private running: Running[] = [];
  private findings: Finding[] = [];
  // Event IDs of the records that reached a matcher, not of every record read: a 10 GB tree is 50 million
  // records, of which a few in a thousand are candidates.
  private seen = new Set<string>();
  /** Records dropped because their event had been matched already. */
  repeats = 0;

  /** `onFinding` hears each finding when it is made: event matchers' at once, correlating ones' at the end. */
  constructor(ids: readonly string[], options: MatchOptions, private readonly note: (message: string) => void, private readonly onFinding?: (finding: Finding) => void) {
    for (const id of ids) {
      const matcher = MATCHERS[id];
      if (!matcher) throw new Error(`unknown matcher ${id}`);
      if (!canRun(matcher.meta, options)) continue;
      const running: Running = { meta: matcher.meta, candidates: matcher.candidates, takes: candidateTest(matcher.candidates) };
      if ('check' in matcher) running.check = (record) => (matcher as EventMatcher).check(record, options);
      else running.collector = matcher.create(options);
      this.running.push(running);
    }
  }

  /** The candidate conditions of the matchers that run (see candidates.ts). */
  candidates(): Candidate[] {
    return this.running.flatMap((r) => r.candidates);
  }

  record(record: CloudTrailRecord): void {
    // Insights records describe API call rates, not calls: they are counted, never matched.
    if (isInsight(record)) return;
    if (FAULT === 'matcher') throw new Error('injected fault (SSO_LOGS_FAULT=matcher)');
    const fields = lazyRequest(record);
    let takers: Running[] | undefined;
    for (const r of this.running) if (r.takes(fields)) (takers ??= []).push(r);
    if (!takers) return;
    const key = eventKey(str(record.eventID), fields);
    if (key !== undefined) {
      if (this.seen.has(key)) {
        this.repeats++;
        return;
      }
      this.seen.add(key);
    }
    for (const r of takers) {
      if (r.collector) r.collector.record(record);
      else {
        const finding = r.check!(record);
        if (finding) this.add(r.meta, finding);
      }
    }
  }

  /** Ends every correlating matcher and returns all findings by time, then matcher, then first event ID. */
  finish(): Finding[] {
    for (const r of this.running) {
      r.collector?.end({ report: (finding) => this.add(r.meta, finding), note: this.note });
    }
    return this.findings.sort(
      (a, b) => compare(a.time ?? '', b.time ?? '') || compare(a.matcher, b.matcher) || compare(a.eventIds[0] ?? '', b.eventIds[0] ?? '') || compare(a.message, b.message),
    );
  }

  private add(meta: MatcherMeta, input: FindingInput): void {
    // Keys in the order a reader scans them: what, how bad, when, who, where, which events, what to do.
    const finding: Finding = {
      matcher: meta.id,
      severity: input.severity ?? meta.severity,
      time: input.time,
      firstTime: input.firstTime === undefined ? input.time : input.firstTime,
      principal: input.principal,
      account: input.account,
      region: input.region,
      eventName: input.eventName,
      sourceIp: input.sourceIp,
      eventIds: input.eventIds,
      message: input.message,
      remediation: input.remediation ?? meta.remediation,
      docUrl: input.docUrl ?? meta.docUrl,
      details: input.details ?? {},
    };
    this.findings.push(finding);
    this.onFinding?.(finding);
  }
}

/**
 * What tells one event from another: its eventID with its source and name (one ID on two different events, in
 * made-up test data or a broken export, is two events, not a repeat). A UUID, as CloudTrail writes eventIDs,
 * is packed into 8 UTF-16 units and the source and name into a 9th (a 16-bit hash): a flat 9-unit string
 * instead of an 80-character one that would also keep the record's own strings alive.
 */
export function eventKey(id: string | undefined, fields: Pick<CandidateFields, 'eventSource' | 'eventName'>): string | undefined {
  if (id === undefined || id === '') return undefined;
  const what = `${fields.eventSource ?? ''}\u0000${fields.eventName ?? ''}`;
  // at least 10 units, so that it never equals a packed key (9)
  const key = packUuid(id);
  if (key === undefined) return `${id}\u0000${what}`.padEnd(10, '\u0000');
  let hash = 0x811c9dc5;
  for (let i = 0; i < what.length; i++) hash = Math.imul(hash ^ what.charCodeAt(i), 0x01000193);
  return key + String.fromCharCode((hash ^ (hash >>> 16)) & 0xffff);
}

/** A record's candidate fields, with the request text made only if a condition asks for it. */
function lazyRequest(record: CloudTrailRecord): CandidateFields {
  const fields = candidateFields(record, false);
  let text: string | undefined;
  Object.defineProperty(fields, 'requestText', { get: () => (text ??= JSON.stringify(record.requestParameters ?? null)), enumerable: true });
  return fields;
}

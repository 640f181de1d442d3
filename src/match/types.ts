import type { AssignmentState } from '../assignments.js';
import type { Candidate } from '../candidates.js';
import type { CloudTrailRecord } from '../event.js';
import type { IdentityDirectory } from '../identity-store.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The live troubleshooting page; anchors per FIELDS.md section 8. */
export const GUIDE = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html';

/** How much of the CloudTrail shape a matcher reads AWS publishes (an example record or a documented field). */
export type ShapeEvidence = 'documented' | 'partly documented' | 'inferred';

export interface MatcherMeta {
  /** Public interface: users filter on it, scripts read it. */
  id: string;
  title: string;
  /** The usual severity; a finding may say otherwise (an unexpected error code is a warning). */
  severity: Severity;
  docUrl: string;
  remediation: string;
  /** Whether the record shape it relies on is published by AWS, and where; what is our inference. */
  shape: { evidence: ShapeEvidence; note: string };
  /** Situations it reports that are not the problem it names: what a reader should rule out. */
  falsePositives: string;
  /** An option without which the matcher has nothing to look for (it is then not run). */
  requires?: 'principal';
}

/** One situation found: what happened, to whom, when, from which events, and what to do. */
export interface Finding {
  matcher: string;
  severity: Severity;
  /** ISO 8601 UTC of the event that shows it (the latest one for a group), or null if no event had a time. */
  time: string | null;
  /** ISO 8601 UTC of the earliest event the finding cites (the same as `time` for one event). */
  firstTime: string | null;
  principal: string | null;
  account: string | null;
  region: string | null;
  eventName: string | null;
  sourceIp: string | null;
  eventIds: string[];
  message: string;
  remediation: string;
  docUrl: string;
  /** Matcher-specific facts (old and new ID, confidence, counts, first and last time, flags). */
  details: Record<string, unknown>;
}

export type FindingInput = Omit<Finding, 'matcher' | 'remediation' | 'docUrl' | 'severity' | 'details' | 'firstTime'> & {
  severity?: Severity;
  /** Defaults to `time`. */
  firstTime?: string | null;
  remediation?: string;
  docUrl?: string;
  details?: Record<string, unknown>;
};

export interface MatchOptions {
  /** --principal: names or IDs to follow through SCIM, Identity Store and assignment events. */
  principals: string[];
  /** --recreate-window: how long after a SCIM delete a create of the same kind is taken as its re-creation. */
  recreateWindowMs: number;
  directory: IdentityDirectory;
  /** --assignments: the current account and application assignments (aws sso-admin output); absent, none given. */
  assignments?: AssignmentState;
}

/** What a correlating matcher's `end` may do: report findings and say something about the search itself. */
export interface EndContext {
  report(finding: FindingInput): void;
  /** Something the user should know about the search itself (a name that cannot be resolved, a limit hit). */
  note(message: string): void;
}

/**
 * Two shapes, so that a finding cannot depend on the order records arrive in (S3 objects, threads and the
 * two-part read deliver them in any order):
 * - an event matcher judges one record alone: `check` is a function of that record and the options, with no
 *   state of its own, so its finding can be reported (and streamed) as the record arrives;
 * - a correlating matcher sees several records: `record` only collects, and the decision is made in `end`,
 *   when the whole input is known; nothing can be reported before.
 * The runner hands each only the records its `candidates` take (candidates.ts), so neither tests them again.
 */
export interface EventMatcher {
  meta: MatcherMeta;
  candidates: readonly Candidate[];
  check(record: CloudTrailRecord, options: MatchOptions): FindingInput | undefined;
}

export interface Collector {
  record(record: CloudTrailRecord): void;
  end(context: EndContext): void;
}

export interface CorrelatingMatcher {
  meta: MatcherMeta;
  candidates: readonly Candidate[];
  create(options: MatchOptions): Collector;
}

export type Matcher = EventMatcher | CorrelatingMatcher;

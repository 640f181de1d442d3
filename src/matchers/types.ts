import type { Candidate } from '../candidates.js';
import type { CloudTrailRecord } from '../event.js';
import type { IdentityDirectory } from '../identity-store.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The live troubleshooting page; anchors per FIELDS.md section 8. */
export const GUIDE = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html';

export interface MatcherMeta {
  /** Public interface: users filter on it, scripts read it. */
  id: string;
  title: string;
  /** The usual severity; a finding may say otherwise (an unexpected error code is a warning). */
  severity: Severity;
  docUrl: string;
  remediation: string;
  /** What records the matcher reads, for `sso-logs matchers`. */
  looksAt: string;
}

/** One situation found: what happened, to whom, when, from which events, and what to do. */
export interface Finding {
  matcher: string;
  severity: Severity;
  /** ISO 8601 UTC of the event that shows it (the latest one for a group), or null if no event had a time. */
  time: string | null;
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

export type FindingInput = Omit<Finding, 'matcher' | 'remediation' | 'docUrl' | 'severity' | 'details'> & {
  severity?: Severity;
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
}

export interface MatchContext {
  options: MatchOptions;
  report(finding: FindingInput): void;
  /** Something the user should know about the search itself (a name that cannot be resolved, a limit hit). */
  note(message: string): void;
}

/** A matcher's handlers, ESLint-style: `record` sees each record, `end` reports what only the whole input shows. */
export interface MatcherInstance {
  /** The records this matcher may act on (candidates.ts): a necessary condition, too narrow loses findings. */
  candidates: readonly Candidate[];
  record(record: CloudTrailRecord): void;
  end?(): void;
}

export interface Matcher {
  meta: MatcherMeta;
  create(context: MatchContext): MatcherInstance;
}

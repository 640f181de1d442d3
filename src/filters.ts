import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import { parseEventTime } from './event.js';
import { SEVERITY_RANK, type Finding, type Severity } from './match/types.js';

const RELATIVE = /^\d+(?:\.\d+)?[mhdw]$/;

const DATE_ONLY = /^\d{4}-\d\d-\d\d$/;

/**
 * `--since` / `--until`: an ISO 8601 date or date-time (no zone means UTC), or a duration back from now (`90m`,
 * `36h`, `7d`, `2w`). A date alone is that whole UTC day: its start for --since, its last millisecond for
 * --until (`side: 'end'`), in scan and athena query alike, so that a query-then-scan pipeline keeps the last
 * day. A value that does not parse is a usage error, never an empty result.
 */
export function parseTimeBound(text: string, flag: string, now: Date, side: 'start' | 'end' = 'start'): Date {
  const value = text.trim();
  if (RELATIVE.test(value)) return new Date(now.getTime() - parseDuration(value, flag));
  // Only calendar forms: epoch seconds are a lookup-events quirk, not something a person types here.
  const date = /^\d{4}-\d\d-\d\d/.test(value) ? parseEventTime(value) : undefined;
  if (!date) throw new UsageError(`${flag} takes an ISO 8601 date or date-time (2024-10-10, 2024-10-10T13:00:00Z) or a duration back from now (90m, 36h, 7d, 2w), not ${JSON.stringify(text)}`);
  return side === 'end' && DATE_ONLY.test(value) ? new Date(date.getTime() + 86_400_000 - 1) : date;
}

export interface FindingFilter {
  since?: Date;
  until?: Date;
  accounts: string[];
  regions: string[];
}

/**
 * Which findings to report. A finding spans its first to its last event (a sync that failed 18 times, a delete
 * and the create that followed): it is kept when that span overlaps the window. A finding without a time cannot
 * be placed in a window, so a window drops it.
 */
export function keepFinding(filter: FindingFilter, finding: Finding): boolean {
  if (filter.since || filter.until) {
    if (finding.time === null) return false;
    const last = Date.parse(finding.time);
    const first = finding.firstTime === null ? last : Math.min(last, Date.parse(finding.firstTime));
    if (filter.since && last < filter.since.getTime()) return false;
    if (filter.until && first > filter.until.getTime()) return false;
  }
  if (filter.accounts.length && !filter.accounts.includes(finding.account ?? '')) return false;
  if (filter.regions.length && !filter.regions.includes(finding.region ?? '')) return false;
  return true;
}

export function describeFilter(filter: FindingFilter): string | null {
  const parts: string[] = [];
  if (filter.since) parts.push(`since ${filter.since.toISOString()}`);
  if (filter.until) parts.push(`until ${filter.until.toISOString()}`);
  if (filter.accounts.length) parts.push(`accounts ${filter.accounts.join(', ')}`);
  if (filter.regions.length) parts.push(`regions ${filter.regions.join(', ')}`);
  return parts.length ? `findings ${parts.join('; ')}` : null;
}

/** `--fail-on`: whether any finding is at or above the severity. */
export function failsOn(findings: readonly Finding[], threshold: Severity | undefined): boolean {
  return threshold !== undefined && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}

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

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Values of a repeatable flag, each possibly a comma list (`--account 1,2 --account 3`), as scan and athena read
 * them alike. An empty value (an unset shell variable) is a usage error, never a flag silently ignored.
 */
export function listValues(values: readonly string[], flag: string, example: string): string[] {
  const out: string[] = [];
  for (const value of values) {
    const parts = value.split(',').map((v) => v.trim());
    if (parts.some((p) => p === '')) {
      throw new UsageError(`${flag} ${JSON.stringify(value)} has an empty value (an unset shell variable?): give ${example}, or leave ${flag} out`, 'EMPTY_VALUE');
    }
    out.push(...parts);
  }
  return [...new Set(out)];
}

/** 12-digit account IDs, as AWS writes them. */
export function accountIds(values: readonly string[], flag: string): string[] {
  return listValues(values, flag, 'a 12-digit AWS account ID such as 123456789012').map((v) => {
    if (!ACCOUNT.test(v)) throw new UsageError(`${flag} ${JSON.stringify(v)} is not a 12-digit AWS account ID (such as 123456789012)`);
    return v;
  });
}

/**
 * Region names in AWS's form. Upper case is refused with the lower-case spelling (records spell them in lower
 * case); a well-formed name that no record holds is told after the scan, with the regions the input holds, since
 * a list of regions written here would go stale.
 */
export function regionNames(values: readonly string[], flag: string): string[] {
  return listValues(values, flag, 'a region name such as eu-west-1').map((v) => {
    if (REGION.test(v)) return v;
    if (REGION.test(v.toLowerCase())) throw new UsageError(`${flag} ${JSON.stringify(v)}: region names are lower case, as in the logs: ${v.toLowerCase()}`);
    throw new UsageError(`${flag} ${JSON.stringify(v)} is not an AWS region name (such as us-east-1 or eu-west-1)`);
  });
}

/**
 * The filter values that no record of the input holds, and no finding either, each in words naming what the
 * input does hold: a value that cannot match is said, not reported as "No findings". Sets the summary keeps
 * bounded (10,000 values) are not judged when full.
 */
export function unmatchedFilters(filter: FindingFilter, held: { accounts: string[]; regions: string[]; timeRange: { first: string; last: string } | null }, findings: readonly Finding[], bound: number): string[] {
  const out: string[] = [];
  const list = (values: string[]) => (values.length ? values.slice(0, 20).join(', ') + (values.length > 20 ? `, and ${values.length - 20} more` : '') : 'none');
  if (held.accounts.length < bound) {
    for (const a of filter.accounts) {
      if (!held.accounts.includes(a) && !findings.some((f) => f.account === a)) out.push(`--account ${a}: no record of the input is from this account; it holds ${list(held.accounts)}`);
    }
  }
  if (held.regions.length < bound) {
    for (const r of filter.regions) {
      if (!held.regions.includes(r) && !findings.some((f) => f.region === r)) out.push(`--region ${r}: no record of the input is from this region; it holds ${list(held.regions)}`);
    }
  }
  if ((filter.since || filter.until) && held.timeRange) {
    const first = Date.parse(held.timeRange.first);
    const last = Date.parse(held.timeRange.last);
    if ((filter.since && filter.since.getTime() > last) || (filter.until && filter.until.getTime() < first)) {
      out.push(`--since/--until: the window ${filter.since?.toISOString() ?? '(open)'} to ${filter.until?.toISOString() ?? '(open)'} holds no record; the records run from ${held.timeRange.first} to ${held.timeRange.last}`);
    }
  }
  return out;
}

import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import { parseEventTime } from './event.js';
import { SEVERITY_RANK, type Finding, type Severity } from './matchers/types.js';

const RELATIVE = /^\d+(?:\.\d+)?[mhdw]$/;

/**
 * `--since` / `--until`: an ISO 8601 date (its start, UTC) or date-time (no zone means UTC), or a duration back
 * from now (`90m`, `36h`, `7d`, `2w`). A value that does not parse is a usage error, never an empty result.
 */
export function parseTimeBound(text: string, flag: string, now: Date): Date {
  const value = text.trim();
  if (RELATIVE.test(value)) return new Date(now.getTime() - parseDuration(value, flag));
  // Only calendar forms: epoch seconds are a lookup-events quirk, not something a person types here.
  const date = /^\d{4}-\d\d-\d\d/.test(value) ? parseEventTime(value) : undefined;
  if (!date) throw new UsageError(`${flag} takes an ISO 8601 date or date-time (2024-10-10, 2024-10-10T13:00:00Z) or a duration back from now (90m, 36h, 7d, 2w), not ${JSON.stringify(text)}`);
  return date;
}

export interface FindingFilter {
  since?: Date;
  until?: Date;
  accounts: string[];
  regions: string[];
}

/** Which findings to report. A finding without a time cannot be placed in a window, so a window drops it. */
export function keepFinding(filter: FindingFilter, finding: Finding): boolean {
  if (filter.since || filter.until) {
    if (finding.time === null) return false;
    const t = Date.parse(finding.time);
    if (filter.since && t < filter.since.getTime()) return false;
    if (filter.until && t > filter.until.getTime()) return false;
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

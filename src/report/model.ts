import { MATCHERS } from '../match/registry.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../match/types.js';
import { compare } from '../text.js';

/** One line of the summary table: a matcher and what it found. */
export interface MatcherSummary {
  matcher: string;
  title: string;
  /** The highest severity among its findings. */
  severity: Severity;
  findings: number;
  principals: number;
  firstSeen: string | null;
  lastSeen: string | null;
  docUrl: string;
}

/** A matcher's (or a SAML check's) title and guide link, by id. */
export type MetaOf = (id: string) => { title: string; docUrl: string } | undefined;
const matcherMeta: MetaOf = (id) => MATCHERS[id]?.meta;

/** Findings grouped by matcher, most severe first, then by id; findings keep their order inside a group. */
export function byMatcher(findings: readonly Finding[], metaOf: MetaOf = matcherMeta): { summary: MatcherSummary; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.matcher);
    if (list) list.push(f);
    else groups.set(f.matcher, [f]);
  }
  return [...groups].map(([matcher, list]) => {
    // A grouped finding spans its events: first seen is its first event's time, last seen its last's.
    const times = list.flatMap((f) => [f.firstTime, f.time]).filter((t): t is string => t !== null).sort(compare);
    const severity = list.reduce<Severity>((top, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[top] ? f.severity : top), 'info');
    const meta = metaOf(matcher);
    return {
      summary: {
        matcher, title: meta?.title ?? matcher, severity, findings: list.length,
        principals: new Set(list.map((f) => f.principal).filter((p) => p !== null)).size,
        firstSeen: times[0] ?? null, lastSeen: times[times.length - 1] ?? null, docUrl: meta?.docUrl ?? list[0]!.docUrl,
      },
      findings: list,
    };
  }).sort((a, b) => SEVERITY_RANK[b.summary.severity] - SEVERITY_RANK[a.summary.severity] || compare(a.summary.matcher, b.summary.matcher));
}

/** The distinct remediations of a group, in order of first appearance (one matcher may give several). */
export function remediations(findings: readonly Finding[]): { remediation: string; docUrl: string }[] {
  const seen = new Map<string, string>();
  for (const f of findings) if (!seen.has(f.remediation)) seen.set(f.remediation, f.docUrl);
  return [...seen].map(([remediation, docUrl]) => ({ remediation, docUrl }));
}

/** `2024-10-10T13:00:00.000Z` -> `2024-10-10 13:00:00Z`: shorter for tables, still UTC and sortable. */
export function shortTime(time: string | null): string {
  return time ? time.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** Findings per day (or per hour when they all fall on one day), for the chart. */
export function histogram(findings: readonly Finding[]): { label: string; count: number }[] {
  const times = findings.map((f) => f.time).filter((t): t is string => t !== null).sort(compare);
  if (!times.length) return [];
  const oneDay = times[0]!.slice(0, 10) === times[times.length - 1]!.slice(0, 10);
  const key = (t: string) => (oneDay ? `${t.slice(11, 13)}:00` : t.slice(0, 10));
  const counts = new Map<string, number>();
  for (const t of times) counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count }));
}

import type { Candidate } from './candidates.js';
import { isInsight, type CloudTrailRecord } from './event.js';
import { MATCHERS } from './matchers/index.js';
import type { Finding, MatchOptions, MatcherInstance } from './matchers/types.js';
import { compare } from './text.js';

/** Runs the chosen matchers over records and returns their findings in a stable order. */
export class MatchRunner {
  private instances: MatcherInstance[] = [];
  private findings: Finding[] = [];

  /** `onFinding` hears each finding when it is made: record-by-record matchers at once, correlating ones at the end. */
  constructor(ids: readonly string[], options: MatchOptions, note: (message: string) => void, onFinding?: (finding: Finding) => void) {
    for (const id of ids) {
      const matcher = MATCHERS[id];
      if (!matcher) throw new Error(`unknown matcher ${id}`);
      const { meta } = matcher;
      const instance = matcher.create({
        options,
        note,
        report: (input) => {
          // Keys in the order a reader scans them: what, how bad, when, who, where, which events, what to do.
          const finding: Finding = {
            matcher: meta.id,
            severity: input.severity ?? meta.severity,
            time: input.time,
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
          onFinding?.(finding);
        },
      });
      this.instances.push(instance);
    }
  }

  /** The candidate conditions of the matchers that run (see candidates.ts). */
  candidates(): Candidate[] {
    return this.instances.flatMap((instance) => instance.candidates);
  }

  record(record: CloudTrailRecord): void {
    // Insights records describe API call rates, not calls: they are counted, never matched.
    if (isInsight(record)) return;
    for (const instance of this.instances) instance.record(record);
  }

  /** Ends every matcher and returns all findings by time, then matcher, then first event ID. */
  finish(): Finding[] {
    for (const instance of this.instances) instance.end?.();
    return this.findings.sort(
      (a, b) => compare(a.time ?? '', b.time ?? '') || compare(a.matcher, b.matcher) || compare(a.eventIds[0] ?? '', b.eventIds[0] ?? '') || compare(a.message, b.message),
    );
  }
}

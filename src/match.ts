import { isInsight, type CloudTrailRecord } from './event.js';
import { MATCHERS } from './matchers/index.js';
import type { Finding, MatchOptions, MatcherInstance } from './matchers/types.js';
import { compare } from './text.js';

/** Runs the chosen matchers over records and returns their findings in a stable order. */
export class MatchRunner {
  private instances: { id: string; instance: MatcherInstance }[] = [];
  private findings: Finding[] = [];

  constructor(ids: readonly string[], options: MatchOptions, note: (message: string) => void) {
    for (const id of ids) {
      const matcher = MATCHERS[id];
      if (!matcher) throw new Error(`unknown matcher ${id}`);
      const { meta } = matcher;
      const instance = matcher.create({
        options,
        note,
        report: (input) => {
          const { severity, remediation, docUrl, details, ...rest } = input;
          this.findings.push({
            matcher: meta.id,
            severity: severity ?? meta.severity,
            ...rest,
            remediation: remediation ?? meta.remediation,
            docUrl: docUrl ?? meta.docUrl,
            details: details ?? {},
          });
        },
      });
      this.instances.push({ id, instance });
    }
  }

  record(record: CloudTrailRecord): void {
    // Insights records describe API call rates, not calls: they are counted, never matched.
    if (isInsight(record)) return;
    for (const { instance } of this.instances) instance.record(record);
  }

  /** Ends every matcher and returns all findings by time, then matcher, then first event ID. */
  finish(): Finding[] {
    for (const { instance } of this.instances) instance.end?.();
    return this.findings.sort(
      (a, b) => compare(a.time ?? '', b.time ?? '') || compare(a.matcher, b.matcher) || compare(a.eventIds[0] ?? '', b.eventIds[0] ?? '') || compare(a.message, b.message),
    );
  }
}

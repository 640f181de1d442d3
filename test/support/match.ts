import { IdentityDirectory, type DirectoryEntry } from '../../src/identity-store.js';
import { MatchRunner } from '../../src/match.js';
import { MATCHER_IDS } from '../../src/matchers/index.js';
import type { Finding } from '../../src/matchers/types.js';
import type { Rec } from './cloudtrail.js';

export interface RunOptions {
  principals?: string[];
  listing?: DirectoryEntry[];
  recreateWindowMs?: number;
}

/** Runs one matcher (or all) over records, as the scan does, and returns findings and notes. */
export function run(matcher: string | 'all', records: Rec[], options: RunOptions = {}): { findings: Finding[]; notes: string[] } {
  const directory = new IdentityDirectory();
  for (const e of options.listing ?? []) directory.add(e);
  const notes: string[] = [];
  const runner = new MatchRunner(matcher === 'all' ? MATCHER_IDS : [matcher], {
    principals: options.principals ?? [],
    recreateWindowMs: options.recreateWindowMs ?? 24 * 3600_000,
    directory,
  }, (n) => notes.push(n));
  for (const r of records) runner.record(r);
  return { findings: runner.finish(), notes };
}

/** What a finding says in brief: which matcher, severity, principal, events. */
export function brief(f: Finding) {
  return { matcher: f.matcher, severity: f.severity, principal: f.principal, eventIds: f.eventIds };
}

export const id = (r: Rec) => r.eventID as string;

import { candidateFields, candidateTest } from '../../src/candidates.js';
import { addListing, AssignmentState } from '../../src/assignments.js';
import { IdentityDirectory, listingEntries, listingOf, type DirectoryEntry } from '../../src/identity-store.js';
import { MatchRunner } from '../../src/match/runner.js';
import { MATCHER_IDS } from '../../src/match/registry.js';
import type { Finding } from '../../src/match/types.js';
import type { Rec } from './cloudtrail.js';

export interface RunOptions {
  principals?: string[];
  listing?: DirectoryEntry[];
  recreateWindowMs?: number;
  /** list-users / list-groups outputs, each a listing of its own (as --identity-store files are). */
  listings?: { path: string; value: unknown }[];
  /** sso-admin outputs, as --assignments files hold them. */
  assignments?: unknown[];
}

/**
 * Runs one matcher (or all) over records, as the scan does, and returns findings and notes. It runs them twice:
 * over every record, and over only the records that meet the matchers' candidate conditions (what the fast path
 * lets through); if the two differ, a condition is too narrow and the scan would lose findings, so it throws.
 * Every case of every matcher test checks that.
 */
export function run(matcher: string | 'all', records: Rec[], options: RunOptions = {}): { findings: Finding[]; notes: string[] } {
  const all = once(matcher, records, options, false);
  const candidates = once(matcher, records, options, true);
  if (JSON.stringify(candidates) !== JSON.stringify(all)) {
    throw new Error(`candidate conditions of ${matcher} drop findings:\n${JSON.stringify(all.findings.map(brief))}\nvs\n${JSON.stringify(candidates.findings.map(brief))}`);
  }
  return all;
}

function once(matcher: string, records: Rec[], options: RunOptions, onlyCandidates: boolean) {
  const directory = new IdentityDirectory();
  directory.given = options.listing !== undefined;
  for (const e of options.listing ?? []) directory.add(e);
  for (const { path, value } of options.listings ?? []) {
    const entries = listingEntries(value) ?? [];
    for (const e of entries) directory.add(e);
    directory.listings.push(listingOf(path, value, entries));
    directory.given = true;
  }
  const assignments = new AssignmentState();
  assignments.given = options.assignments !== undefined;
  for (const doc of options.assignments ?? []) if (!addListing(assignments, doc)) throw new Error('not an sso-admin output');
  const notes: string[] = [];
  const runner = new MatchRunner(matcher === 'all' ? MATCHER_IDS : [matcher], {
    principals: options.principals ?? [],
    recreateWindowMs: options.recreateWindowMs ?? 24 * 3600_000,
    directory,
    assignments,
  }, (n) => notes.push(n));
  const wanted = candidateTest(runner.candidates());
  for (const r of records) if (!onlyCandidates || wanted(candidateFields(r))) runner.record(r);
  return { findings: runner.finish(), notes };
}

/** What a finding says in brief: which matcher, severity, principal, events. */
export function brief(f: Finding) {
  return { matcher: f.matcher, severity: f.severity, principal: f.principal, eventIds: f.eventIds };
}

export const id = (r: Rec) => r.eventID as string;

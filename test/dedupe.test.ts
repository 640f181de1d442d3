/**
 * One finding per CloudTrail event: CloudTrail delivers some events in two log files, users scan overlapping
 * paths, or a trail download beside a lookup-events export of the same days. Repeats are dropped before the
 * matchers, whatever the file, format or thread, counted in the summary and noted once on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { candidateFields, candidateTest } from '../src/candidates.js';
import { IdentityDirectory } from '../src/identity-store.js';
import { MATCHER_IDS } from '../src/match/registry.js';
import { eventKey, MatchRunner } from '../src/match/runner.js';
import { Gen, lookupEvent, signinFailure, updatePasswordFailure, type Rec } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const SAMPLES = join(ROOT, 'samples');
const OVERLAP = join(SAMPLES, 's3/AWSLogs/111122223333');
const NOTE = /^sso-logs: note: (\d+) records? repeats? events? read already \(same eventID\): each event was matched once\./;

function scan(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'scan', ...args, '--format', 'json', '--no-progress'], { cwd: ROOT, encoding: 'utf8' });
  const out = JSON.parse(r.stdout);
  return { code: r.status, stderr: r.stderr.split('\n').filter(Boolean), summary: out.summary, findings: out.findings as { matcher: string; eventIds: string[]; message: string; details: Record<string, unknown> }[] };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

function trailRecords(dir: string): Rec[] {
  return files(dir).filter((p) => p.includes('/CloudTrail/')).flatMap((p) => JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).Records as Rec[]);
}

/** How many of these records a matcher reads: the records the matchers' candidate conditions take. */
function candidates(records: Rec[]): number {
  const runner = new MatchRunner(MATCHER_IDS, { principals: [], recreateWindowMs: 0, directory: new IdentityDirectory() }, () => undefined);
  const takes = candidateTest(runner.candidates());
  return records.filter((r) => r.eventType !== 'AwsCloudTrailInsight' && takes(candidateFields(r))).length;
}

describe('repeated events', () => {
  const alone = scan([SAMPLES]);
  const repeats = candidates(trailRecords(OVERLAP));

  it('overlapping paths give the findings of the tree alone, on one thread or two, and say how many repeats were dropped', () => {
    expect(alone.summary.repeatedEvents).toBe(0);
    expect(alone.findings.length).toBeGreaterThan(5);
    expect(repeats).toBeGreaterThan(0);
    for (const workers of ['0', '2']) {
      const both = scan([SAMPLES, OVERLAP, '--workers', workers]);
      expect(both.code).toBe(alone.code);
      expect(both.findings).toEqual(alone.findings);
      expect(both.summary.records).toBe(alone.summary.records + trailRecords(OVERLAP).length);
      expect(both.summary.repeatedEvents).toBe(repeats);
      // the same stderr as the tree alone (its notes on the listings among the samples), and one line more
      expect(both.stderr.slice(0, -1)).toEqual(alone.stderr);
      expect(both.stderr.at(-1)).toMatch(NOTE);
      expect(Number(NOTE.exec(both.stderr.at(-1)!)![1])).toBe(repeats);
    }
  });

  it('a lookup-events export of the same events beside the trail: each event once', () => {
    const dir = tempDir();
    const records = trailRecords(join(SAMPLES, 's3'));
    writeFileSync(join(dir, 'lookup.json'), JSON.stringify({ Events: records.map(lookupEvent) }));
    const trail = scan([join(SAMPLES, 's3')]);
    const both = scan([join(SAMPLES, 's3'), join(dir, 'lookup.json')]);
    expect(both.findings).toEqual(trail.findings);
    expect(both.summary.repeatedEvents).toBe(candidates(records));
  });

  it('three sign-in failures delivered twice are three, each event ID once; two password resets stay two', () => {
    const g = new Gen(11);
    const T = Date.UTC(2026, 10, 22, 9);
    const failures = [0, 1, 2].map((i) => signinFailure(g, T + i * 60_000, 'us-east-1', 'frank@corp.example.com', 'wf-1'));
    const resets = [0, 1].map((i) => updatePasswordFailure(g, T + i * 120_000, 'us-east-1'));
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/1.json.gz'), gzipSync(JSON.stringify({ Records: [...failures, ...resets] })));
    writeFileSync(join(dir, 'b/2.jsonl'), [...resets, ...failures].reverse().map((r) => JSON.stringify(r)).join('\n') + '\n');
    for (const workers of ['0', '2']) {
      const out = scan([dir, '--workers', workers]);
      const signin = out.findings.filter((f) => f.matcher === 'signin-failure');
      expect(signin).toHaveLength(1);
      expect(signin[0]!.details.count).toBe(3);
      expect(signin[0]!.eventIds).toEqual(failures.map((r) => r.eventID as string).sort());
      expect(signin[0]!.message).toContain('3 failed PASSWORD verifications');
      expect(out.findings.filter((f) => f.matcher === 'password-reset-failure').map((f) => f.eventIds)).toEqual(resets.map((r) => [r.eventID]));
      expect(out.summary.repeatedEvents).toBe(5);
      expect(out.summary.records).toBe(10);
    }
  });

  it('one ID on two different events (made-up data) is two events, not a repeat', () => {
    const g = new Gen(12);
    const a = updatePasswordFailure(g, Date.UTC(2026, 10, 22, 9), 'us-east-1');
    const b = { ...signinFailure(g, Date.UTC(2026, 10, 22, 9, 1), 'us-east-1', 'x@example.com', 'wf-2'), eventID: a.eventID };
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ Records: [a, b] }));
    const out = scan([dir]);
    expect(out.findings.map((f) => f.matcher).sort()).toEqual(['password-reset-failure', 'signin-failure']);
    expect(out.summary.repeatedEvents).toBe(0);
  });
});

describe('eventKey', () => {
  it('packs a UUID with its source and name, tells apart what differs, and never confuses a packed key with another', () => {
    const id = '0c99658c-a0e5-4f92-863a-ce0b78db316e';
    const f = { eventSource: 'sso-directory.amazonaws.com', eventName: 'CreateGroup' };
    expect(eventKey(id, f)).toHaveLength(9);
    expect(eventKey(id, f)).toBe(eventKey(id, { ...f }));
    expect(eventKey(id, f)).not.toBe(eventKey(id, { ...f, eventName: 'DeleteGroup' }));
    expect(eventKey('0c99658c-a0e5-4f92-863a-ce0b78db316f', f)).not.toBe(eventKey(id, f));
    expect(eventKey('e1', { eventSource: '', eventName: '' })!.length).toBeGreaterThanOrEqual(10);
    expect(eventKey('', f)).toBeUndefined();
    expect(eventKey(undefined, f)).toBeUndefined();
  });
});

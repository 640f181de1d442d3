import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Gen, scimError, updatePasswordFailure } from './support/cloudtrail.js';
import { buildSamples } from './support/make-samples.js';
import { readableCli, tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');

function cli(args: string[], input?: Buffer | string, uid?: number) {
  const bin = uid === undefined ? BIN : join(readableCli(), 'bin/sso-logs.js'); // another user may not read the checkout
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, input: input ?? '', encoding: 'utf8', ...(uid === undefined ? {} : { uid, gid: uid }) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const summaryOf = (stdout: string) => JSON.parse(stdout).summary;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** An independent reading of samples/: whole-file JSON.parse, the simple way a small file can be read. */
function oracle() {
  const sources = new Map<string, number>();
  const ids: string[] = [];
  for (const path of files(join(ROOT, 'samples'))) {
    if (path.includes('CloudTrail-Digest') || path.includes('identity-store') || path.includes('sso-admin') || path.includes('/saml/')) continue;
    let text = readFileSync(path);
    if (path.endsWith('.gz')) text = gunzipSync(text);
    const s = text.toString('utf8');
    const records = path.endsWith('.jsonl')
      ? s.trim().split('\n').map((l) => JSON.parse(l))
      : JSON.parse(s).Records ?? JSON.parse(s).Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
    for (const r of records) {
      ids.push(r.eventID);
      if (r.eventSource) sources.set(r.eventSource, (sources.get(r.eventSource) ?? 0) + 1);
    }
  }
  return { ids, sources };
}

describe('samples/', () => {
  it('are exactly what test/support/make-samples.ts writes', () => {
    const built = buildSamples();
    const onDisk = files(join(ROOT, 'samples')).map((p) => p.slice(join(ROOT, 'samples').length + 1)).sort();
    expect(onDisk).toEqual([...built.keys()].sort());
    for (const [name, bytes] of built) expect(readFileSync(join(ROOT, 'samples', name)).equals(bytes), name).toBe(true);
  });
});

// What `npm start` runs: samples/ with the two identity-store listings, the sso-admin listings and one principal to follow.
const START = ['scan', 'samples', '--identity-store', 'samples/identity-store/list-users-2024-10-01.json',
  '--identity-store', 'samples/identity-store/list-users.json', '--assignments', 'samples/sso-admin/list-account-assignments.json', '--assignments', 'samples/sso-admin/list-application-assignments.json', '--assignments', 'samples/sso-admin/describe-permission-set.json', '--principal', 'jdoe@example.com'];

/** What the sso-admin listings of npm start make orphaned-assignment say on stderr: what they covered, and what they could not check. */
const ASSIGNMENT_NOTES = [
  'sso-logs: note: the --assignments listings hold 4 account assignments in 1 account (444455556666) over 2 permission sets (DataEngineer, ReadOnly) and 1 application assignment in 1 application (arn:aws:sso::111122223333:application/ssoins-7223a8d4d0e5e0f1/apl-3c1f0d2b9e8a7c6d); accounts, permission sets and applications they do not list were not checked',
  'sso-logs: note: 1 assignment to groups not checked: no aws identitystore list-groups output was given with --identity-store, so whether those groups still exist is not known (no finding claims they do not)',
].map((l) => `${l}\n`).join('');
/** The SAML captures of samples/saml/ (for sso-logs saml): scan notes each once and skips it. */
const SAML_NOTE_LINES = ['signin-nameid-not-email.har', 'signin.har', 'signin.saml-tracer.json']
  .map((n) => `sso-logs: note: samples/saml/${n}: a SAML capture, not events: skipped (give it to sso-logs saml)`);
const SAML_NOTES = SAML_NOTE_LINES.map((l) => `${l}\n`).join('');

describe('sso-logs scan (the built CLI)', () => {
  it('npm start runs exactly this command', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe(`node bin/sso-logs.js ${START.join(' ')}`);
  });

  it('summarises samples/: every record, by eventSource, accounts, regions, time range', () => {
    const { code, stdout, stderr } = cli([...START, '--format', 'json']);
    expect(stderr).toBe(SAML_NOTES + ASSIGNMENT_NOTES);
    expect(code).toBe(0);
    const summary = summaryOf(stdout);
    const { ids, sources } = oracle();
    expect(ids).toHaveLength(106);
    expect(summary).toMatchObject({
      inputs: 12, inputsWithProblems: 0, digestFilesSkipped: 1, records: ids.length, insightsRecords: 1,
      recordsSkipped: 0, recordsWithoutTime: 0, problems: 0, errors: [],
      notes: [
        ...SAML_NOTE_LINES.map((l) => /^sso-logs: note: (.*?): (a SAML capture.*)$/.exec(l)!).map(([, input, message]) => ({ input, message })),
        ...ASSIGNMENT_NOTES.trim().split('\n').map((l) => ({ input: '(matchers)', message: l.replace('sso-logs: note: ', '') })),
      ],
      timeRange: { first: '2024-10-10T08:00:00.000Z', last: '2024-10-10T13:24:00.000Z' },
      accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
    });
    expect(Object.fromEntries(summary.eventSources.map((e: { eventSource: string; records: number }) => [e.eventSource, e.records])))
      .toEqual(Object.fromEntries(sources));
  });

  it('npm start prints the table summary of samples/', () => {
    const { code, stdout } = cli(START);
    expect(code).toBe(0);
    expect(stdout).toContain('Records:  106 read, 1 Insights');
    expect(stdout).toContain('Inputs:   12 (1 digest file skipped)');
    expect(stdout).toMatch(new RegExp(`│ kms\\.amazonaws\\.com\\s+│\\s+${oracle().sources.get('kms.amazonaws.com')} │`));
  });

  it('without --identity-store, notes the listings among the logs and reads the rest', () => {
    const { code, stderr } = cli(['scan', 'samples', '--format', 'json']);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      'sso-logs: note: samples/identity-store/list-users-2024-10-01.json: an aws identitystore list-users / list-groups listing, not events: skipped (give it with --identity-store to name users and groups)',
      'sso-logs: note: samples/identity-store/list-users.json: an aws identitystore list-users / list-groups listing, not events: skipped (give it with --identity-store to name users and groups)',
      ...SAML_NOTE_LINES,
      ...['describe-permission-set', 'list-account-assignments', 'list-application-assignments'].map((n) =>
        `sso-logs: note: samples/sso-admin/${n}.json: an aws sso-admin assignment listing or permission set, not events: skipped (give it with --assignments to check the assignments, docs/assignments.md)`),
    ]);
  });

  it('reads each sample format piped on stdin, with no input argument and with -', () => {
    const s3 = files(join(ROOT, 'samples/s3/AWSLogs/111122223333/CloudTrail'))[0]!;
    const cases: [string, number][] = [
      ['samples/jsonl/records.jsonl', readFileSync(join(ROOT, 'samples/jsonl/records.jsonl'), 'utf8').trim().split('\n').length],
      ['samples/lookup-events/update-password.json', JSON.parse(readFileSync(join(ROOT, 'samples/lookup-events/update-password.json'), 'utf8')).Events.length],
      [s3, JSON.parse(gunzipSync(readFileSync(s3)).toString()).Records.length],
    ];
    for (const [path, records] of cases) {
      const bytes = readFileSync(path.startsWith('/') ? path : join(ROOT, path));
      for (const args of [['scan', '--format', 'json'], ['scan', '-', '--format', 'json']]) {
        const { code, stdout, stderr } = cli(args, bytes);
        expect(stderr, path).toBe('');
        expect(code).toBe(0);
        expect(summaryOf(stdout).records, path).toBe(records);
      }
    }
  });

  it('reports bad inputs on stderr with file and position, reads everything else, exits 2', () => {
    const dir = tempDir();
    const rec = (id: string) => ({ eventVersion: '1.08', eventTime: '2024-10-10T13:23:45Z', eventSource: 'sso-directory.amazonaws.com', eventName: 'UpdatePassword', eventID: id });
    const good = JSON.stringify({ Records: [rec('a'), rec('b')] });
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs/1-good.json.gz'), gzipSync(good));
    writeFileSync(join(dir, 'logs/2-truncated.json.gz'), gzipSync(good).subarray(0, 20));
    writeFileSync(join(dir, 'logs/3-comma.json'), '{"Records":[{"eventVersion":"1.08","eventID":"c1",},{"eventVersion":"1.08","eventID":"c2"}]}');
    writeFileSync(join(dir, 'logs/4-empty.json'), '');
    writeFileSync(join(dir, 'logs/5-other.json'), '{"name":"not cloudtrail"}');
    symlinkSync(join(dir, 'logs'), join(dir, 'logs/6-loop'));
    const { code, stdout, stderr } = cli(['scan', join(dir, 'logs'), join(dir, 'missing.json'), '--format', 'json']);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([
      `sso-logs: ${dir}/logs/2-truncated.json.gz: truncated gzip: unexpected end of file [GZIP_TRUNCATED]`,
      expect.stringMatching(new RegExp(`^sso-logs: ${dir}/logs/3-comma.json: malformed JSON: .* \\(record 1, byte 12\\) \\[JSON_MALFORMED\\]$`)),
      `sso-logs: ${dir}/logs/4-empty.json: empty input: no data [EMPTY_INPUT]`,
      `sso-logs: ${dir}/logs/5-other.json: not a CloudTrail record: a JSON object with keys "name" (no Records, Events or QueryResultRows list and no CloudTrail record fields) (record 1, byte 0) [NOT_CLOUDTRAIL]`,
      `sso-logs: ${dir}/logs/6-loop: same directory as ${dir}/logs, already read; skipped [DIR_REPEATED]`,
      `sso-logs: ${dir}/missing.json: no such file or directory [PATH_NOT_FOUND]`,
    ]);
    expect(JSON.parse(stdout).summary.errors.map((e: { code: string }) => e.code)).toEqual(['GZIP_TRUNCATED', 'JSON_MALFORMED', 'EMPTY_INPUT', 'NOT_CLOUDTRAIL', 'DIR_REPEATED', 'PATH_NOT_FOUND']);
    expect(summaryOf(stdout)).toMatchObject({ records: 3, recordsSkipped: 2, problems: 6, inputsWithProblems: 6, inputs: 7 });
  });

  it('an unreadable file in a directory is reported and the others are read', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: 'x' }] }));
    writeFileSync(join(dir, 'b.json'), '{}');
    chmodSync(join(dir, 'a.json'), 0o644);
    chmodSync(join(dir, 'b.json'), 0o000);
    // root reads any file, so as root run the CLI as nobody to see a permission error
    const { code, stdout, stderr } = cli(['scan', dir, '--format', 'json'], '', process.getuid?.() === 0 ? 65534 : undefined);
    expect(stderr).toBe(`sso-logs: ${dir}/b.json: permission denied [PERMISSION_DENIED]\n`);
    expect(code).toBe(2);
    expect(summaryOf(stdout)).toMatchObject({ records: 1, problems: 1 });
  });

  it('usage errors exit 3 with a message, not a stack trace', () => {
    for (const args of [['scan', 'samples', '--no-such-flag'], ['frobnicate'], [], ['scan', '--format', 'xml'], ['scan', '--max-record-mib', '0']]) {
      const { code, stderr } = cli(args);
      expect(code, args.join(' ')).toBe(3);
      expect(stderr).toMatch(/^sso-logs: [^]+\nRun sso-logs --help for usage\.\n$/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help lists the command and the exit codes', () => {
    const { code, stdout } = cli(['scan', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--format');
    expect(stdout).toContain('Exit codes: 0');
  });

  it('escapes terminal control characters from log fields in the table', () => {
    const evil = JSON.stringify({ eventVersion: '1.08', eventID: 'e', eventSource: 'evil\u001b]8;;http://x\u0007click\u001b[2J.amazonaws.com', awsRegion: 'us-east-1\u001b[31m' });
    const { stdout } = cli(['scan'], evil);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('evil\\x1b]8;;http://x\\x07click\\x1b[2J.amazonaws.com');
  });
});

describe('findings on samples/ (npm start)', () => {
  const { code, stdout } = cli([...START, '--format', 'json']);
  const findings: { matcher: string; severity: string; principal: string | null; eventIds: string[]; account?: string | null; message: string }[] = JSON.parse(stdout).findings;

  it('every matcher fires, as many times as the sample story plants it', () => {
    expect(code).toBe(0);
    const count = (m: string) => findings.filter((f) => f.matcher === m).length;
    expect(Object.fromEntries(['external-idp-signin-failure', 'orphaned-assignment', 'password-reset-failure', 'protected-role-modification', 'scim-principal-activity',
      'scim-recreated-principal', 'scim-sync-error', 'signin-failure', 'stale-assignment'].map((m) => [m, count(m)]))).toEqual({
      'external-idp-signin-failure': 1, // two retries, folded
      'orphaned-assignment': 2, // jdoe's old ID (re-created), an ID nothing knows
      'password-reset-failure': 7, // five without a name (S3 and lookup-events), the long name, the warning
      'protected-role-modification': 1,
      'scim-principal-activity': 5, // jdoe: create, assignment, patch, delete, re-create
      'scim-recreated-principal': 2, // jdoe by the listings, a group by time
      'scim-sync-error': 3, // missing given name x6 folded, duplicate group, emails limit
      'signin-failure': 2, // the UPN attempt (3 events), the hidden name
      'stale-assignment': 1,
    });
  });

  it('the stale assignment and the re-creation name jdoe and the IDs from the listings', () => {
    const stale = findings.find((f) => f.matcher === 'stale-assignment')!;
    const recreated = findings.filter((f) => f.matcher === 'scim-recreated-principal');
    const listed = JSON.parse(readFileSync(join(ROOT, 'samples/identity-store/list-users-2024-10-01.json'), 'utf8')).Users[0].UserId;
    const current = JSON.parse(readFileSync(join(ROOT, 'samples/identity-store/list-users.json'), 'utf8')).Users[0].UserId;
    expect(stale.principal).toBe(`jdoe@example.com (${listed})`);
    expect(stale.severity).toBe('error');
    expect(recreated[0]!.principal).toBe(`jdoe@example.com (${listed} -> ${current})`);
  });

  it('the orphaned assignment of jdoe\'s old ID names the permission set and the new ID from the logs', () => {
    const orphans = findings.filter((f) => f.matcher === 'orphaned-assignment');
    const listed = JSON.parse(readFileSync(join(ROOT, 'samples/identity-store/list-users-2024-10-01.json'), 'utf8')).Users[0].UserId;
    const current = JSON.parse(readFileSync(join(ROOT, 'samples/identity-store/list-users.json'), 'utf8')).Users[0].UserId;
    const jdoe = orphans.find((f) => f.principal === `jdoe@example.com (${listed})`)!;
    expect(jdoe).toMatchObject({ severity: 'error', account: '444455556666' });
    expect(jdoe.message).toContain('with the permission set DataEngineer');
    expect(jdoe.message).toContain(`It was re-created: jdoe@example.com has the new ID ${current} (created 2024-10-10T13:10:20Z)`);
    expect(orphans.filter((f) => f !== jdoe).map((f) => [f.severity, f.message.includes('sso-logs cannot tell')])).toEqual([['warning', true]]);
  });

  it('is the same, byte for byte, on a second run', () => {
    expect(cli([...START, '--format', 'json']).stdout).toBe(stdout);
  });
});

describe('choosing matchers', () => {
  it('sso-logs matchers lists them', () => {
    const { code, stdout } = cli(['matchers', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((m: { id: string }) => m.id)).toHaveLength(9);
    expect(cli(['matchers']).stdout).toContain('password-reset-failure');
  });

  it('--matcher and --exclude choose; an unknown id is a usage error that lists the valid ones', () => {
    const only = JSON.parse(cli([...START, '--format', 'json', '--matcher', 'stale-assignment']).stdout).findings;
    expect(new Set(only.map((f: { matcher: string }) => f.matcher))).toEqual(new Set(['stale-assignment']));
    const without = JSON.parse(cli([...START, '--format', 'json', '-x', 'password-reset-failure', '-x', 'scim-principal-activity']).stdout).findings;
    expect(without.some((f: { matcher: string }) => f.matcher === 'password-reset-failure' || f.matcher === 'scim-principal-activity')).toBe(false);
    const bad = cli(['scan', 'samples', '--matcher', 'nope']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('unknown matcher "nope"; the matchers are: external-idp-signin-failure, orphaned-assignment, password-reset-failure');
  });

  it('a bad --recreate-window or --identity-store is a usage error', () => {
    expect(cli(['scan', 'samples', '--recreate-window', 'soon']).code).toBe(3);
    const missing = cli(['scan', 'samples', '--identity-store', 'nope.json']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('--identity-store nope.json: no such file or directory');
    expect(cli(['scan', 'samples', '--identity-store', 'package.json']).stderr).toMatch(/^sso-logs: --identity-store package\.json: JSON, but not a listing .* \[BAD_LISTING\]\n/);
  });
});

describe('filters and exit codes', () => {
  const json = (args: string[]) => {
    const r = cli([...START, '--format', 'json', ...args]);
    return { code: r.code, findings: JSON.parse(r.stdout).findings as { time: string; firstTime: string; account: string; region: string; severity: string }[], stderr: r.stderr };
  };

  it('--since and --until keep the findings in the window', () => {
    const all = json([]).findings;
    const since = json(['--since', '2024-10-10T13:10:00Z']).findings;
    expect(since.length).toBeGreaterThan(0);
    expect(since).toEqual(all.filter((f) => f.time >= '2024-10-10T13:10:00.000Z'));
    // a finding spans its first to its last event, and is kept when that span overlaps the window
    const window = json(['--since', '2024-10-10T13:05:00Z', '--until', '2024-10-10T13:08:00Z']).findings;
    expect(window).toEqual(all.filter((f) => f.time >= '2024-10-10T13:05:00.000Z' && f.firstTime <= '2024-10-10T13:08:00.000Z'));
    expect(window.some((f) => f.time > '2024-10-10T13:08:00.000Z')).toBe(true); // one that began inside and ended after
    expect(json(['--until', '2020-01-01']).findings).toEqual([]);
    expect(json(['--since', '7d']).findings).toEqual([]); // the samples are from 2024
  });

  it('a date alone is the whole UTC day for --until, and a grouped finding stays while its span overlaps the window (issue 11)', () => {
    const g = new Gen(21);
    const start = Date.UTC(2026, 10, 22, 6);
    // a sync that fails every 40 minutes from 2026-11-22 06:00 to 2026-11-23 14:40 (50 failures)
    const errors = Array.from({ length: 50 }, (_, i) => scimError(g, start + i * 40 * 60_000, 'us-east-1', 'PatchUser', 'ValidationException', 'Missing path in PATCH request', 'c4488478-a0e1-700e-3d75-96c6bb641596'));
    const late = updatePasswordFailure(g, Date.UTC(2026, 10, 27, 15), 'us-east-1');
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ Records: [...errors, late] }));
    const found = (...args: string[]) => JSON.parse(cli(['scan', dir, '--format', 'json', ...args]).stdout).findings.map((f: { matcher: string }) => f.matcher);
    expect(found()).toEqual(['scim-sync-error', 'password-reset-failure']);
    expect(found('--until', '2026-11-22T12:00:00Z')).toEqual(['scim-sync-error']);
    expect(found('--since', '2026-11-23T09:00:00Z', '--until', '2026-11-23T10:00:00Z')).toEqual(['scim-sync-error']);
    expect(found('--until', '2026-11-22T05:59:59Z')).toEqual([]);
    expect(found('--until', '2026-11-27')).toEqual(['scim-sync-error', 'password-reset-failure']);
    expect(found('--since', '2026-11-27', '--until', '2026-11-27')).toEqual(['password-reset-failure']);
    expect(found('--until', '2026-11-26')).toEqual(['scim-sync-error']);
    const grouped = JSON.parse(cli(['scan', dir, '--format', 'json']).stdout).findings[0];
    expect([grouped.firstTime, grouped.time, grouped.details.count]).toEqual(['2026-11-22T06:00:00.000Z', '2026-11-23T14:40:00.000Z', 50]);
    // athena query reads the same last day
    expect(cli(['athena', 'query', '--since', '2026-11-27', '--until', '2026-11-27']).stdout).toContain(`"timestamp" BETWEEN '2026/11/27' AND '2026/11/27'`);
  });

  it('--account and --region keep the findings there', () => {
    const all = json([]).findings;
    expect(json(['--account', '444455556666']).findings).toEqual(all.filter((f) => f.account === '444455556666'));
    expect(json(['--region', 'us-east-1', '--region', 'eu-west-1']).findings).toEqual(all.filter((f) => ['us-east-1', 'eu-west-1'].includes(f.region)));
  });

  it('a bad --since is a usage error, and so is a window that ends before it starts', () => {
    expect(cli([...START, '--since', 'last tuesday']).code).toBe(3);
    expect(cli([...START, '--since', '2024-10-11', '--until', '2024-10-10']).stderr).toContain('--since is after --until');
  });

  it('exit 0 clean, 1 at --fail-on, 2 when input could not be read (outranking 1)', () => {
    expect(json([]).code).toBe(0);
    expect(json(['--fail-on', 'error']).code).toBe(1);
    expect(json(['--fail-on', 'info', '--matcher', 'scim-principal-activity']).code).toBe(1);
    expect(json(['--fail-on', 'warning', '--matcher', 'scim-principal-activity']).code).toBe(0);
    expect(json(['--fail-on', 'error', 'no-such-file.json']).code).toBe(2);
  });

  it('a closed pipe ends quietly', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node bin/sso-logs.js ${START.join(' ')} --format ndjson | head -c 10 >/dev/null; echo "exit \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe(SAML_NOTES + ASSIGNMENT_NOTES);
    expect(r.stdout).toMatch(/^exit 0\n$/);
  });
});

describe('--strict', () => {
  it('parses every record, so a syntax error in a record no matcher needs is reported too', () => {
    const bad = '{"eventVersion":"1.08","eventID":"a","recipientAccountId":"1" "eventSource":"s3.amazonaws.com"}\n';
    const fast = cli(['scan', '--format', 'json'], bad);
    expect(fast.code).toBe(0); // counted from its fields: the missing comma is not noticed
    expect(summaryOf(fast.stdout).records).toBe(1);
    const strict = cli(['scan', '--format', 'json', '--strict'], bad);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/^sso-logs: \(stdin\): malformed JSON: /);
  });
});

describe('worker threads', () => {
  it('read a record far larger than usual (31 MB) as one thread does', () => {
    const dir = tempDir();
    const big = { eventVersion: '1.08', eventID: 'big', eventSource: 'sso-directory.amazonaws.com', eventName: 'UpdatePassword', errorCode: 'InternalFailure', recipientAccountId: '1', requestParameters: { list: Array.from({ length: 300_000 }, () => 'x'.repeat(100)) } };
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ Records: [big] }));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `s${i}.json`), JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: `s${i}`, recipientAccountId: '1' }] }));
    const r = cli(['scan', dir, '--format', 'json', '--workers', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(summaryOf(r.stdout).records).toBe(4);
    expect(JSON.parse(r.stdout).findings.map((f: { eventIds: string[] }) => f.eventIds)).toEqual([['big']]);
  });

  it('give the same report and the same stderr as one thread, on samples and on bad input', () => {
    // a directory of broken files, each with its own problems, read two at a time
    const bad = tempDir();
    writeFileSync(join(bad, 'a-truncated.json.gz'), gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: 'a' }] })).subarray(0, 30));
    writeFileSync(join(bad, 'b-garbage.bin'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31 + 7) % 256)));
    writeFileSync(join(bad, 'c-comma.json'), '{"Records":[{"eventVersion":"1.08","eventID":"c1",},{"eventVersion":"1.08","eventID":"c2"}]}');
    writeFileSync(join(bad, 'd-empty.json'), '');
    for (const args of [[...START, '--format', 'json'], [...START, '--format', 'markdown'], ['scan', 'samples', 'no-such-file', '--format', 'json'], ['scan', bad, '--format', 'json']]) {
      const one = cli([...args, '--workers', '0']);
      const two = cli([...args, '--workers', '2']);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      expect(two.code).toBe(one.code);
    }
  });
});

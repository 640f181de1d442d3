/**
 * Issue 12: a green run means the logs were read and nothing was found. Values that cannot match, input without
 * a record, a bug, and common mistakes each say so and exit non-zero; exit code and stderr are asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planSplit } from '../src/read/two-parts.js';
import { Gen, noise, ORG_ACCOUNT, updatePasswordFailure } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const S3 = join(ROOT, 'samples/s3');
const HELP = 'Run sso-logs --help for usage.';
const ALL = ['external-idp-signin-failure', 'orphaned-assignment', 'password-reset-failure', 'protected-role-modification', 'scim-principal-activity', 'scim-recreated-principal', 'scim-sync-error', 'signin-failure', 'stale-assignment'];

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter(Boolean) };
}

describe('no silent empty result', () => {
  it('bad or empty filter values are usage errors that say what a good one looks like', () => {
    const cases: [string[], string][] = [
      [['--account', '12345'], 'sso-logs: --account "12345" is not a 12-digit AWS account ID (such as 123456789012) [BAD_VALUE]'],
      [['--account', ''], 'sso-logs: --account "" has an empty value (an unset shell variable?): give a 12-digit AWS account ID such as 123456789012, or leave --account out [EMPTY_VALUE]'],
      [['--account', '111122223333,'], 'sso-logs: --account "111122223333," has an empty value (an unset shell variable?): give a 12-digit AWS account ID such as 123456789012, or leave --account out [EMPTY_VALUE]'],
      [['--region', ''], 'sso-logs: --region "" has an empty value (an unset shell variable?): give a region name such as eu-west-1, or leave --region out [EMPTY_VALUE]'],
      [['--region', 'EU-WEST-1'], 'sso-logs: --region "EU-WEST-1": region names are lower case, as in the logs: eu-west-1 [BAD_VALUE]'],
      [['--region', 'europe'], 'sso-logs: --region "europe" is not an AWS region name (such as us-east-1 or eu-west-1) [BAD_VALUE]'],
      [['--principal', ''], 'sso-logs: --principal "" has an empty value (an unset shell variable?): give a user name, group name or ID, or leave --principal out [EMPTY_VALUE]'],
      [['-m', 'scim-principal-activity'], 'sso-logs: scim-principal-activity needs --principal: the user or group names or IDs to follow (sso-logs scan ... -m scim-principal-activity -p jdoe@example.com) [MATCHER_NEEDS_OPTION]'],
      [ALL.flatMap((id) => ['-x', id]), `sso-logs: no matcher left to run: --matcher and --exclude leave none of ${ALL.join(', ')} [NO_MATCHER]`],
    ];
    for (const [args, message] of cases) {
      const r = cli(['scan', S3, ...args]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toEqual([message, HELP]);
      expect(r.stdout).toBe('');
    }
  });

  it('comma lists are read alike by scan and athena', () => {
    const scan = cli(['scan', S3, '--format', 'json', '--account', '111122223333,444455556666', '--region', 'us-east-1', '--region', 'eu-west-1']);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout).summary.filters).toBe('findings accounts 111122223333, 444455556666; regions us-east-1, eu-west-1');
    const query = cli(['athena', 'query', '--account', '111122223333,444455556666', '--account', '777788889999']);
    expect(query.code).toBe(0);
    expect(query.stdout).toContain("account IN ('111122223333', '444455556666', '777788889999')");
    expect(cli(['athena', 'query', '--account', '']).code).toBe(3);
    expect(cli(['athena', 'ddl', '--bucket', 'b-1', '--accounts', '111122223333,12', '--regions', 'us-east-1']).stderr[0]).toBe('sso-logs: --accounts "12" is not a 12-digit AWS account ID (such as 123456789012) [BAD_VALUE]');
  });

  it('a well-formed value that no record holds is said, with what the input holds, and exits 3 after the report', () => {
    const r = cli(['scan', S3, '--format', 'json', '--account', '123456789012,210987654321', '--region', 'eu-west-9', '--region', 'us-east-1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toEqual([
      'sso-logs: --account 123456789012: no record of the input is from this account; it holds 111122223333, 444455556666 [FILTER_UNMATCHED]',
      'sso-logs: --account 210987654321: no record of the input is from this account; it holds 111122223333, 444455556666 [FILTER_UNMATCHED]',
      'sso-logs: --region eu-west-9: no record of the input is from this region; it holds eu-west-1, us-east-1 [FILTER_UNMATCHED]',
    ]);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    const late = cli(['scan', S3, '--since', '2030-01-01']);
    expect(late.code).toBe(3);
    expect(late.stderr).toEqual(['sso-logs: --since/--until: the window 2030-01-01T00:00:00.000Z to (open) holds no record; the records run from 2024-10-10T13:00:06.000Z to 2024-10-10T13:14:52.000Z [FILTER_UNMATCHED]']);
    // a value the input holds is fine, with or without findings there
    expect(cli(['scan', S3, '--account', '444455556666', '--region', 'eu-west-1']).code).toBe(0);
  });

  it('input without a single CloudTrail record is exit 2, saying what was found and what is read', () => {
    const empty = tempDir();
    const r = cli(['scan', empty, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/^sso-logs: \(all inputs\): no CloudTrail record was read \(0 inputs\)\. sso-logs reads CloudTrail log files.* \[NO_RECORDS\]$/);
    expect(JSON.parse(r.stdout).summary.errors.map((e: { code: string }) => e.code)).toEqual(['NO_RECORDS']);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ inputs: 0, records: 0, problems: 1 });
    const digests = tempDir();
    mkdirSync(join(digests, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1'), { recursive: true });
    writeFileSync(join(digests, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/d.json.gz'), gzipSync('{"digestStartTime":"2024-10-10T13:00:00Z","logFiles":[]}'));
    const d = cli(['scan', digests]);
    expect(d.code).toBe(2);
    expect(d.stderr[0]).toMatch(/^sso-logs: \(all inputs\): no CloudTrail record was read \(1 input; 1 of them CloudTrail digest files \(skipped: they list log files, they hold no events\)\)\./);
    expect(d.stdout).toContain('No findings: no record was read.');
    expect(cli(['scan', digests, '--fail-on', 'error']).code).toBe(2);
  });
});

describe('a bug is never findings or bad input', () => {
  // the two-part read: one plain file of a few hundred KB, read in two parts from 0.05 MiB
  const dir = tempDir();
  const g = new Gen(3);
  const records = Array.from({ length: 2000 }, (_, i) => (i % 100 === 0 ? updatePasswordFailure(g, Date.UTC(2024, 9, 10) + i, 'us-east-1') : noise(g, Date.UTC(2024, 9, 10) + i, ORG_ACCOUNT, 'us-east-1')));
  writeFileSync(join(dir, 'big.json'), JSON.stringify({ Records: records }));
  const paths: [string, string[]][] = [
    ['one thread', ['scan', join(ROOT, 'samples'), '--workers', '0']],
    ['worker threads', ['scan', join(ROOT, 'samples'), '--workers', '2']],
    ['the two-part read', ['scan', join(dir, 'big.json'), '--workers', '2', '--split-min-mib', '0.05']],
  ];
  for (const fault of ['matcher', 'reader']) {
    for (const [path, args] of paths) {
      it(`a throwing ${fault} on ${path}: exit 4, "internal error", no stack, no temporary file`, () => {
        const out = join(tempDir(), 'out.json');
        const r = cli([...args, '--format', 'json', '-o', out, '--quiet'], { SSO_LOGS_FAULT: fault });
        expect(r.code).toBe(4);
        expect(r.stderr).toEqual([`sso-logs: internal error: injected fault (SSO_LOGS_FAULT=${fault})`, 'This is a bug in sso-logs; please report it with the command you ran.']);
        expect(readdirSync(join(out, '..'))).toEqual([]);
      });
    }
  }

  it('the two-part read is the path taken above: the file has a split plan and is larger than 0.05 MiB', () => {
    const size = statSync(join(dir, 'big.json')).size;
    expect(size).toBeGreaterThan(0.05 * 2 ** 20);
    expect(planSplit(join(dir, 'big.json'), size)).toBeDefined();
    const two = cli(['scan', join(dir, 'big.json'), '--workers', '2', '--split-min-mib', '0.05', '--format', 'json']);
    const one = cli(['scan', join(dir, 'big.json'), '--workers', '0', '--format', 'json']);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout).findings).toHaveLength(20);
    expect(two.stdout).toBe(one.stdout);
  });
});

describe('mistakes explained', () => {
  it('-h is help everywhere', () => {
    for (const args of [['-h'], ['scan', '-h'], ['matchers', '-h'], ['athena', 'query', '-h']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/^sso-logs /);
      expect(r.stdout).toContain('--help');
    }
  });

  it('a signed duration says that durations count back from now', () => {
    expect(cli(['scan', S3, '--since', '-7d']).stderr).toEqual(['sso-logs: --since -7d: a duration counts back from now and takes no sign: --since 7d means 7d ago [BAD_VALUE]', HELP]);
    expect(cli(['scan', S3, '--until=-2h']).stderr).toEqual(['sso-logs: --until -2h: a duration counts back from now and takes no sign: --until 2h means 2h ago [BAD_VALUE]', HELP]);
    expect(cli(['athena', 'query', '--since', '-30d']).code).toBe(3);
  });

  it('a CSV that is not an Athena result is one problem, naming the header sso-logs reads', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.csv'), 'name,email,role\nalice,a@example.com,admin\nbob,b@example.com,user\n');
    const r = cli(['scan', join(dir, 'users.csv'), join(S3, 'AWSLogs/444455556666'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`sso-logs: ${dir}/users.csv: a CSV file whose header does not name the CloudTrail columns sso-logs reads: the only CSV it reads is an Athena (or DuckDB) query result whose header names eventsource, eventname and eventtime; skipped [CSV_NOT_ATHENA]`]);
    expect(JSON.parse(r.stdout).summary.records).toBeGreaterThan(0);
  });

  it('a gzipped, binary or wrong --identity-store file names the file and the shape expected, without raw bytes', () => {
    const dir = tempDir();
    const LISTING = '--identity-store takes the JSON that aws identitystore list-users or list-groups prints ({"Users":[...]} or {"Groups":[...]}).';
    writeFileSync(join(dir, 'users.json.gz'), gzipSync('{"Users":[]}'));
    writeFileSync(join(dir, 'binary.json'), Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a]));
    writeFileSync(join(dir, 'other.json'), '{"Records":[]}');
    expect(cli(['scan', S3, '--identity-store', join(dir, 'users.json.gz')]).stderr).toEqual([`sso-logs: --identity-store ${dir}/users.json.gz: the file is gzip-compressed; gunzip it first. ${LISTING} [BAD_LISTING]`, HELP]);
    expect(cli(['scan', S3, '--identity-store', join(dir, 'binary.json')]).stderr).toEqual([`sso-logs: --identity-store ${dir}/binary.json: not JSON. ${LISTING} [BAD_LISTING]`, HELP]);
    expect(cli(['scan', S3, '--identity-store', join(dir, 'other.json')]).stderr).toEqual([`sso-logs: --identity-store ${dir}/other.json: JSON, but not a listing (no Users or Groups list). ${LISTING} [BAD_LISTING]`, HELP]);
  });
});

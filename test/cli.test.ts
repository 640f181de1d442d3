import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildSamples } from './support/make-samples.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');

function cli(args: string[], input?: Buffer | string, uid?: number) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: input ?? '', encoding: 'utf8', ...(uid === undefined ? {} : { uid, gid: uid }) });
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
    if (path.includes('CloudTrail-Digest')) continue;
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

describe('sso-logs scan (the built CLI)', () => {
  it('summarises samples/: every record, by eventSource, accounts, regions, time range', () => {
    const { code, stdout, stderr } = cli(['scan', 'samples', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = summaryOf(stdout);
    const { ids, sources } = oracle();
    expect(ids).toHaveLength(86);
    expect(summary).toMatchObject({
      inputs: 9, inputsWithProblems: 0, digestFilesSkipped: 1, records: ids.length, insightsRecords: 1,
      recordsSkipped: 0, recordsWithoutTime: 0, problems: 0, errors: [], notes: [],
      timeRange: { first: '2024-10-10T13:00:11.000Z', last: '2024-10-10T13:24:00.000Z' },
      accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
    });
    expect(Object.fromEntries(summary.eventSources.map((e: { eventSource: string; records: number }) => [e.eventSource, e.records])))
      .toEqual(Object.fromEntries(sources));
  });

  it('npm start prints the table summary of samples/', () => {
    const { code, stdout } = cli(['scan', 'samples']);
    expect(code).toBe(0);
    expect(stdout).toContain('Records:  86 read, 1 Insights');
    expect(stdout).toContain('Inputs:   9 (1 digest files skipped)');
    expect(stdout).toMatch(/│ kms\.amazonaws\.com\s+│\s+18 │/);
  });

  it('reads each sample format piped on stdin, with no input argument and with -', () => {
    const s3 = files(join(ROOT, 'samples/s3/AWSLogs/111122223333/CloudTrail'))[0]!;
    const cases: [string, number][] = [
      ['samples/jsonl/records.jsonl', 12],
      ['samples/lookup-events/update-password.json', 4],
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
      `sso-logs: ${dir}/logs/2-truncated.json.gz: truncated gzip: unexpected end of file`,
      expect.stringMatching(new RegExp(`^sso-logs: ${dir}/logs/3-comma.json: malformed JSON: .* \\(record 1, byte 12\\)$`)),
      `sso-logs: ${dir}/logs/4-empty.json: empty input: no data`,
      `sso-logs: ${dir}/logs/5-other.json: not a CloudTrail record: a JSON object with keys "name" (no Records, Events or QueryResultRows list and no CloudTrail record fields) (record 1, byte 0)`,
      `sso-logs: ${dir}/logs/6-loop: same directory as ${dir}/logs, already read; skipped`,
      `sso-logs: ${dir}/missing.json: no such file or directory`,
    ]);
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
    expect(stderr).toBe(`sso-logs: ${dir}/b.json: permission denied\n`);
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

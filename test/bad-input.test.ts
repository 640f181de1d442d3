/**
 * The bad-input corpus (test/fixtures/bad, listed in its README.md): the CLI on each case, beside a good file
 * in the same run. For each: the exit code, the one-line problem on stderr with input and position, and that
 * every good record was still read and matched (counts and the exact findings).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BAD, findingIds, makeRecords, make, type Expected } from './fixtures/bad/make.js';
import { readableCli, tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const RSS = join(ROOT, 'test/support/rss.mjs');
const expected: Record<string, Expected> = JSON.parse(readFileSync(join(BAD, 'expected.json'), 'utf8'));
const GOOD = expected['good.json']!.readable;

interface Run {
  code: number | null;
  stderr: string[];
  records: number;
  skipped: number;
  problems: number;
  findings: string[];
  /** The problem codes of the JSON report's summary.errors, in order. */
  codes: string[];
  rssMib: number;
}

function cli(args: string[], options: { cwd?: string; uid?: number } = {}): Run {
  const rssDir = tempDir();
  chmodSync(rssDir, 0o777); // the CLI may run as nobody
  const rssFile = join(rssDir, 'rss');
  const rss = options.uid === undefined ? RSS : join(readableCli(), 'test/support/rss.mjs'); // another user may not read the checkout
  const r = spawnSync(process.execPath, [rss, 'scan', ...args, '--format', 'json'], {
    cwd: options.cwd ?? BAD, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, SSO_LOGS_TEST_RSS: rssFile },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/); // never a stack trace
  const out = JSON.parse(r.stdout);
  return {
    code: r.status,
    stderr: r.stderr.split('\n').filter(Boolean),
    records: out.summary.records,
    skipped: out.summary.recordsSkipped,
    problems: out.summary.problems,
    findings: out.findings.flatMap((f: { eventIds: string[] }) => f.eventIds).sort(),
    codes: out.summary.errors.map((e: { code: string }) => e.code),
    rssMib: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN,
  };
}

/** The findings the readable records of these files make (every failed password reset in them). */
function findingsOf(...files: string[]): string[] {
  return files.flatMap((f) => expected[f]!.findings).sort();
}

interface Case {
  file: string;
  why: string;
  code: number;
  /** The problems on stderr, in order (the file name comes first on each line). */
  stderr: (string | RegExp)[];
  /** Values that were there but could not be read as records. */
  skipped: number;
  args?: string[];
  /** Records the scan reads beyond the independent reading's list (a value it reads but skips counts there). */
  extraFindings?: string[];
  maxRssMib?: number;
}

const CASES: Case[] = [
  { file: 'truncated-header.json.gz', why: 'cut inside the gzip header', code: 2, skipped: 0,
    stderr: ['sso-logs: truncated-header.json.gz: truncated gzip: unexpected end of file [GZIP_TRUNCATED]'] },
  { file: 'truncated-middle.json.gz', why: 'cut halfway: the records before the cut are kept', code: 2, skipped: 1,
    stderr: [
      /^sso-logs: truncated-middle\.json\.gz: truncated gzip: unexpected end of file; read stopped here \(decompressed byte \d+\) \[GZIP_TRUNCATED\]$/,
      /^sso-logs: truncated-middle\.json\.gz: input ends inside this record \(truncated\) \(record 22, decompressed byte \d+\) \[JSON_TRUNCATED\]$/,
    ] },
  { file: 'truncated-near-end.json.gz', why: 'cut 20 bytes before the end', code: 2, skipped: 1,
    stderr: [
      /^sso-logs: truncated-near-end\.json\.gz: truncated gzip: unexpected end of file; read stopped here \(decompressed byte \d+\) \[GZIP_TRUNCATED\]$/,
      /^sso-logs: truncated-near-end\.json\.gz: input ends inside this record \(truncated\) \(record 60, decompressed byte \d+\) \[JSON_TRUNCATED\]$/,
    ] },
  { file: 'truncated-trailer.json.gz', why: 'the CRC and size trailer cut: every record is there, the file is still reported', code: 2, skipped: 0,
    stderr: [/^sso-logs: truncated-trailer\.json\.gz: truncated gzip: unexpected end of file; read stopped here \(decompressed byte 65429\) \[GZIP_TRUNCATED\]$/] },
  { file: 'wrong-length.json.gz', why: 'a gzip trailer with the wrong length: the records are read, the file reported', code: 2, skipped: 0,
    stderr: [/^sso-logs: wrong-length\.json\.gz: corrupt gzip data: incorrect length check; read stopped here \(decompressed byte \d+\) \[GZIP_CORRUPT\]$/] },
  { file: 'wrong-length.json.gz', why: 'the same with the stream-json engine (its pipe once left the gzip error unhandled)', code: 2, skipped: 0, args: ['--engine', 'stream-json'],
    stderr: [/^sso-logs: wrong-length\.json\.gz: corrupt gzip data: incorrect length check; read stopped here \(decompressed byte \d+\) \[GZIP_CORRUPT\]$/] },
  { file: 'gzip-bomb.json.gz', why: '1 MB inflating to 1 GiB in one record: skipped at the size limit, memory bounded', code: 2, skipped: 1, maxRssMib: 200,
    stderr: ['sso-logs: gzip-bomb.json.gz: value of 1073741904 bytes is larger than the 33554432-byte limit per record; skipped (record 2, decompressed byte 1340) [RECORD_TOO_LARGE]'] },
  { file: 'record-200mb.json.gz', why: 'a 200 MB record: skipped at the default 32 MiB limit', code: 2, skipped: 1, maxRssMib: 200,
    stderr: ['sso-logs: record-200mb.json.gz: value of 205200845 bytes is larger than the 33554432-byte limit per record; skipped (record 2, decompressed byte 1182) [RECORD_TOO_LARGE]'] },
  { file: 'record-200mb.json.gz', why: 'the same record read whole with --max-record-mib 256', code: 0, skipped: 0, args: ['--max-record-mib', '256'], stderr: [] },
  { file: 'deep-nesting.json', why: 'nesting 100,000 levels deep: that record is skipped', code: 2, skipped: 1,
    stderr: ['sso-logs: deep-nesting.json: value nested more than 1000 levels deep; skipped (CloudTrail records nest a few levels) (record 2, byte 971) [RECORD_TOO_DEEP]'] },
  { file: 'invalid-utf8.json', why: 'a Latin-1 byte: the record is kept (with U+FFFD) and the input reported', code: 2, skipped: 0,
    stderr: ['sso-logs: invalid-utf8.json: invalid UTF-8 (read with replacement characters) (record 2, byte 971) [INVALID_UTF8]'] },
  { file: 'bom.json', why: 'a byte-order mark is not an error', code: 0, skipped: 0, stderr: [] },
  { file: 'crlf.jsonl', why: 'Windows line ends are not an error', code: 0, skipped: 0, stderr: [] },
  { file: 'nul-padding.json', why: 'NUL bytes after the last record (a preallocated log after a crash)', code: 2, skipped: 0,
    stderr: ['sso-logs: nul-padding.json: not JSON: unexpected byte 0x00 (byte 3120) [NOT_JSON]'] },
  { file: 'nul-in-record.jsonl', why: 'a raw NUL inside a string: that line is malformed, the others are read', code: 2, skipped: 1,
    stderr: ['sso-logs: nul-in-record.jsonl: malformed JSON: a raw control character (U+0000) inside a string at character 141 (record 2, byte 1385) [JSON_MALFORMED]'] },
  { file: 'empty.json', why: 'an empty file', code: 2, skipped: 0, stderr: ['sso-logs: empty.json: empty input: no data [EMPTY_INPUT]'] },
];

describe('the bad-input corpus', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.why}`, () => {
      const run = cli(['good.json', c.file, ...(c.args ?? [])]);
      expect(run.code).toBe(c.code);
      expect(run.stderr).toHaveLength(c.stderr.length);
      c.stderr.forEach((line, i) => (typeof line === 'string' ? expect(run.stderr[i]).toBe(line) : expect(run.stderr[i]).toMatch(line)));
      const whole = c.args?.includes('--max-record-mib') ?? false;
      const readable = expected[c.file]!.readable.filter((id) => whole || !id.endsWith('-huge'));
      expect(run.records).toBe(GOOD.length + readable.length);
      expect(run.skipped).toBe(c.skipped);
      expect(run.problems).toBe(c.stderr.length);
      // the codes, as scripts read them, in the report and on stderr alike
      expect(run.codes).toEqual(c.stderr.map((line) => /\[([A-Z_0-9]+)\]\$?\/?$/.exec(String(line).replace(/\\/g, ''))![1]));
      expect(run.stderr.map((l) => /\[([A-Z_0-9]+)\]$/.exec(l)?.[1])).toEqual(run.codes);
      expect(run.findings).toEqual(findingsOf('good.json', c.file).filter((id) => whole || !id.endsWith('-huge')));
      if (c.maxRssMib) expect(run.rssMib).toBeLessThan(c.maxRssMib);
    });
  }

  it('the same under worker threads, all the cases in one run', () => {
    const files = ['good.json', ...new Set(CASES.map((c) => c.file))];
    const one = spawnSync(process.execPath, [BIN, 'scan', ...files, '--format', 'json', '--workers', '0'], { cwd: BAD, encoding: 'utf8' });
    const two = spawnSync(process.execPath, [BIN, 'scan', ...files, '--format', 'json', '--workers', '2'], { cwd: BAD, encoding: 'utf8' });
    expect(one.status).toBe(2);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('holds what make.ts writes (the two large files compared by their inflated size)', async () => {
    const dir = tempDir();
    await make(dir);
    for (const file of readdirSync(BAD).filter((f) => f !== 'make.ts' && f !== 'README.md')) {
      const mine = readFileSync(join(BAD, file));
      const theirs = readFileSync(join(dir, file));
      if (file.endsWith('.gz') && mine.length > 100_000) {
        expect(mine.readUInt32LE(mine.length - 4), file).toBe(theirs.readUInt32LE(theirs.length - 4)); // ISIZE
      } else if (file.endsWith('.gz') && !file.startsWith('truncated') && !file.startsWith('wrong')) {
        expect(gunzipSync(mine).equals(gunzipSync(theirs)), file).toBe(true);
      } else {
        expect(mine.equals(theirs), file).toBe(true);
      }
    }
  });
});

describe('bad inputs made at run time', () => {
  const goodInto = (dir: string, name = 'good.json') => copyFileSync(join(BAD, 'good.json'), join(dir, name));

  it('a hostile file name and hostile JSON keys reach stderr as escapes, never as control sequences', () => {
    const dir = tempDir();
    const name = 'evil\u001b[2J\u001b]8;;evil.example\u0007.json';
    writeFileSync(join(dir, name), '{"\\u001b]0;pwned\\u0007":1}');
    goodInto(dir, 'z.json'); // records beside it, so that its line is the only one
    const run = cli([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([
      `sso-logs: ${dir}/evil\\x1b[2J\\x1b]8;;evil.example\\x07.json: not a CloudTrail record: a JSON object with keys "\\u001b]0;pwned\\u0007" (no Records, Events or QueryResultRows list and no CloudTrail record fields) (record 1, byte 0) [NOT_CLOUDTRAIL]`,
    ]);
    // eslint-disable-next-line no-control-regex
    expect(run.stderr.join('\n')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('a directory symlink loop: the loop is reported once, the directory read once', () => {
    const dir = tempDir();
    goodInto(dir);
    symlinkSync(dir, join(dir, 'loop'));
    const run = cli([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`sso-logs: ${dir}/loop: same directory as ${dir}, already read; skipped [DIR_REPEATED]`]);
    expect(run.records).toBe(GOOD.length);
    expect(run.findings).toEqual(findingsOf('good.json'));
  });

  it('a FIFO inside a directory is skipped (reading it could wait forever); named as an argument it is read', async () => {
    const dir = tempDir();
    goodInto(dir);
    spawnSync('mkfifo', [join(dir, 'pipe')]);
    const run = cli([dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`sso-logs: ${dir}/pipe: not a regular file (a named pipe); skipped (name it on the command line to read it) [NOT_REGULAR_FILE]`]);
    expect(run.records).toBe(GOOD.length);

    const child = spawn(process.execPath, [BIN, 'scan', join(dir, 'pipe'), '--format', 'json']);
    const out = collect(child);
    writeFileSync(join(dir, 'pipe'), readFileSync(join(BAD, 'good.json'))); // blocks until the CLI opens it
    const { code, stdout, stderr } = await out;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.records).toBe(GOOD.length);
  });

  it('files removed during the scan: one already open is read whole, one not yet reached is reported', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs'));
    for (const name of ['a.json', 'b.json', 'c.json']) goodInto(join(dir, 'logs'), name);
    // A file of a few MB or less is read in one call as soon as it is opened (read/index.ts): a.json is made
    // larger than that, with white space, so that it is streamed and stays open while the CLI waits.
    appendFileSync(join(dir, 'logs/a.json'), ' '.repeat(6 << 20));
    spawnSync('mkfifo', [join(dir, 'first')]);
    // The CLI reads the FIFO first and opens the next input meanwhile: it waits on the FIFO with a.json open.
    const child = spawn(process.execPath, [BIN, 'scan', join(dir, 'first'), join(dir, 'logs'), '--format', 'json']);
    const out = collect(child);
    await until(() => openFiles(child.pid!).some((f) => f.endsWith('/logs/a.json')));
    unlinkSync(join(dir, 'logs/a.json'));
    unlinkSync(join(dir, 'logs/b.json'));
    writeFileSync(join(dir, 'first'), readFileSync(join(BAD, 'good.json')));
    const { code, stdout, stderr } = await out;
    // `first` and c.json hold the same events as a.json: each event is matched once, and the repeats are said
    expect(stderr).toBe(`sso-logs: ${dir}/logs/b.json: no such file or directory [PATH_NOT_FOUND]\n` +
      'sso-logs: note: 4 records repeat events read already (same eventID): each event was matched once. CloudTrail delivers some events in two log files, and overlapping inputs read events twice.\n');
    expect(code).toBe(2);
    const { summary, findings } = JSON.parse(stdout);
    expect(summary).toMatchObject({ records: 3 * GOOD.length, problems: 1, inputs: 4, inputsWithProblems: 1, repeatedEvents: 4 });
    expect(findings.flatMap((f: { eventIds: string[] }) => f.eventIds).sort()).toEqual(findingsOf('good.json'));
  });

  it('a file without read permission is reported, the rest is read', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    goodInto(dir, 'a.json');
    goodInto(dir, 'b.json');
    chmodSync(join(dir, 'a.json'), 0o644); // a copy keeps the fixture's mode, which a clone made under umask 077 has as 0600
    chmodSync(join(dir, 'b.json'), 0o000);
    // root reads any file: as root, run the CLI as nobody to see the error
    const run = cli([dir], { cwd: dir, ...(process.getuid?.() === 0 ? { uid: 65534 } : {}) });
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`sso-logs: ${dir}/b.json: permission denied [PERMISSION_DENIED]`]);
    expect(run.records).toBe(GOOD.length);
    expect(run.findings).toEqual(findingsOf('good.json'));
  });

  it('10,000 tiny files in one directory: every record read and matched, memory bounded', () => {
    const dir = tempDir();
    const records = makeRecords('tiny', 10_000);
    records.forEach((r, i) => writeFileSync(join(dir, `${String(i).padStart(5, '0')}.json`), JSON.stringify({ Records: [r] })));
    const want = findingIds(records).sort();
    for (const workers of ['0', '2']) {
      const run = cli([dir, '--workers', workers]);
      expect(run.code, workers).toBe(0);
      expect(run.stderr).toEqual([]);
      expect(run.records).toBe(10_000);
      expect(run.findings).toEqual(want);
      expect(run.rssMib).toBeLessThan(200);
    }
    rmSync(dir, { recursive: true });
  });
});

function collect(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}


/**
 * One large file read in two parts at once (src/read/two-parts.ts): the report and stderr must be those of one
 * thread reading it whole, when the guessed boundary holds, when it does not (the guess falls inside a record),
 * with problems in both parts (record numbers and byte offsets of the whole file), and when the second part
 * must hold back more records than it may keep.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSplit } from '../src/read/two-parts.js';
import { Gen, noise, updatePasswordFailure } from './support/cloudtrail.js';
import { writeJsonLines, writeLookupEvents, writeRecordsFile } from './support/generate.js';
import { tempDir } from './support/read.js';

const BIN = join(import.meta.dirname, '../bin/sso-logs.js');
const T0 = Date.parse('2024-10-10T13:00:00Z');

function both(path: string) {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'scan', path, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const one = run(['--workers', '0']);
  const two = run(['--workers', '2', '--split-min-mib', '0.01']);
  return { one, two };
}

function expectSame(path: string) {
  const { one, two } = both(path);
  expect(two.stderr).toBe(one.stderr);
  expect(two.stdout).toBe(one.stdout);
  expect(two.status).toBe(one.status);
  return JSON.parse(one.stdout);
}

describe('a large file read in two parts', () => {
  for (const [name, write] of [['Records', writeRecordsFile], ['JSON Lines', writeJsonLines], ['lookup-events', writeLookupEvents]] as const) {
    it(`${name}: the same report as one thread, and the cut is at a record`, async () => {
      const path = join(tempDir(), 'input.json');
      const generated = await write(path, 3_000_000);
      const plan = planSplit(path, statSync(path).size);
      expect(plan).toBeDefined();
      expect(plan!.at).toBeGreaterThan(1_400_000);
      const report = expectSame(path);
      expect(report.summary.records).toBe(generated.records);
    });
  }

  it('a broken line just before the cut: the first part reads on, and no record is lost (issue 14)', () => {
    const g = new Gen(4);
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ ...(i % 50 === 7 ? updatePasswordFailure(g, T0 + i, 'us-east-1') : noise(g, T0 + i, '111122223333', 'us-east-1')), eventID: `e${i}` }));
    const text = `${lines.join('\n')}\n`;
    // the line that holds the middle byte: broken (its string never closes on the line), so the cut, the first
    // line start after the middle, comes right after a newline inside a value
    const middle = Math.floor(Buffer.byteLength(text) / 2);
    let start = 0;
    let k = 0;
    while (start + Buffer.byteLength(lines[k]!) + 1 <= middle) start += Buffer.byteLength(lines[k++]!) + 1;
    lines[k] = `{"id":"b","k\\":"${'1'.repeat(Buffer.byteLength(lines[k]!) - 16)}"}`;
    const path = join(tempDir(), 'broken-at-cut.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const bytes = readFileSync(path);
    const at = planSplit(path, bytes.length)!.at;
    expect(bytes[at - 1]).toBe(0x0a);
    expect(bytes.subarray(0, at - 1).toString().endsWith(lines[k]!)).toBe(true);
    const report = expectSame(path);
    // every line but the broken one is a record, read on one thread or in two parts
    expect(report.summary).toMatchObject({ records: 1999, problems: 1 });
    expect(report.summary.errors.map((e: { code: string; record: number }) => [e.code, e.record])).toEqual([['LINE_BROKEN', k + 1]]);
  });

  it('problems in both parts keep the record numbers and byte offsets of the whole file', () => {
    const g = new Gen(3);
    const lines = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ ...(i % 50 === 7 ? updatePasswordFailure(g, T0 + i, 'us-east-1') : noise(g, T0 + i, '111122223333', 'us-east-1')), eventID: `e${i}` }));
    lines[100] = lines[100]!.replace(/}$/, ',}'); // a trailing comma in the first part
    lines[3900] = lines[3900]!.slice(0, 40); // a broken line in the second part
    const path = join(tempDir(), 'mixed.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const at = planSplit(path, statSync(path).size)!.at;
    const bytes = readFileSync(path);
    expect(at).toBeGreaterThan(bytes.indexOf('"eventID":"e101"'));
    expect(at).toBeLessThan(bytes.indexOf('"eventID":"e3899"'));
    const report = expectSame(path);
    expect(report.summary).toMatchObject({ records: 3998, problems: 2 });
    expect(report.summary.errors.map((e: { record: number }) => e.record)).toEqual([101, 3901]);
  });

  it('a guess that falls inside a record: the first part reads on to the end, nothing is counted twice', () => {
    const g = new Gen(4);
    const rest = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ...noise(g, T0 + i, '111122223333', 'us-east-1'), eventID: `r${i}` })).join(',');
    // A record whose requestParameters hold a list of objects, one of which starts like a record ...
    const decoy = JSON.stringify({ eventVersion: '1.08', eventID: 'decoy', recipientAccountId: '111122223333', eventSource: 'ec2.amazonaws.com', requestParameters: { items: [{ a: 1 }, { eventVersion: 'not a record', x: 1 }] } });
    const inner = decoy.indexOf('{"eventVersion":"not a record"');
    // ... and a first record padded so that the middle of the file falls inside the decoy, before that object.
    const fixed = '{"Records":['.length + 1 + decoy.length + 1 + rest.length + ']}'.length;
    const padLength = fixed - 26 - inner;
    const base = JSON.stringify({ eventVersion: '1.08', eventID: 'pad', recipientAccountId: '111122223333', note: '' });
    const pad = JSON.stringify({ eventVersion: '1.08', eventID: 'pad', recipientAccountId: '111122223333', note: 'x'.repeat(padLength - base.length) });
    const text = `{"Records":[${pad},${decoy},${rest}]}`;
    const path = join(tempDir(), 'decoy.json');
    writeFileSync(path, text);
    const plan = planSplit(path, statSync(path).size)!;
    expect(text.slice(plan.at, plan.at + 30)).toBe('{"eventVersion":"not a record"');
    const report = expectSame(path);
    expect(report.summary.records).toBe(3002);
  });

  it('a second part with more wanted records than it may hold back waits, and loses none', () => {
    const g = new Gen(5);
    const records = Array.from({ length: 50_000 }, (_, i) => ({ ...updatePasswordFailure(g, T0 + i * 1000, 'us-east-1'), eventID: `p${String(i).padStart(5, '0')}` }));
    const path = join(tempDir(), 'all-wanted.json');
    writeFileSync(path, JSON.stringify({ Records: records }));
    const report = expectSame(path);
    expect(report.findings).toHaveLength(50_000);
  });
});

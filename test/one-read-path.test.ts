/**
 * Issue 14, one read path: a file is read by the same function (read-file.ts) on this thread and on worker
 * threads, and its result applied by the same handler. The same inputs with --workers 0 and --workers 2 give
 * the same report and the same stderr, byte for byte, on inputs that have counted and wanted records, problems
 * and notes in between, a digest, a flood of problems, and one file read in two parts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MATCHER_IDS } from '../src/match/registry.js';
import { planSplit } from '../src/read/two-parts.js';
import { scan } from '../src/run.js';
import { digest, Gen, listUsers, lookupEvent, noise, ORG_ACCOUNT, updatePasswordFailure } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';

const BIN = join(import.meta.dirname, '../bin/sso-logs.js');
const T = Date.UTC(2024, 9, 10);
const LISTING_NOTE = 'an aws identitystore list-users / list-groups listing, not events: skipped (give it with --identity-store to name users and groups)';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'scan', ...args, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Both paths on the same arguments: they must agree byte for byte; returns one of them. */
function bothPaths(args: string[]) {
  const one = cli([...args, '--workers', '0']);
  const two = cli([...args, '--workers', '2']);
  expect(two.stderr).toBe(one.stderr);
  expect(two.stdout).toBe(one.stdout);
  expect(two.code).toBe(one.code);
  return { ...one, summary: JSON.parse(one.stdout).summary, findings: JSON.parse(one.stdout).findings as unknown[], lines: one.stderr.split('\n').filter(Boolean) };
}

describe('one read path', () => {
  it('a tree of files with problems, notes, counted and wanted records: the same report and stderr on one thread and two', () => {
    const g = new Gen(14);
    const dir = tempDir();
    const logs = join(dir, 'AWSLogs', ORG_ACCOUNT, 'CloudTrail', 'us-east-1');
    mkdirSync(logs, { recursive: true });
    mkdirSync(join(dir, 'AWSLogs', ORG_ACCOUNT, 'CloudTrail-Digest', 'us-east-1'), { recursive: true });
    // a problem, then a note, then a problem: said in that order (worker results once said problems first)
    const mixed = join(dir, 'a-mixed.jsonl');
    writeFileSync(mixed, [
      JSON.stringify(updatePasswordFailure(g, T, 'us-east-1')),
      'junk',
      JSON.stringify(listUsers([{ id: 'u1', name: 'jdoe' }])),
      JSON.stringify(noise(g, T + 1000, ORG_ACCOUNT, 'eu-west-1')),
      JSON.stringify(digest(ORG_ACCOUNT, 'us-east-1', T, [])),
      '{"eventVersion": oops}',
      JSON.stringify(noise(g, T + 2000, ORG_ACCOUNT, 'eu-west-1')),
    ].join('\n') + '\n');
    // more problems than stderr shows: counted, not each said
    writeFileSync(join(dir, 'b-flood.jsonl'), Array.from({ length: 1500 }, (_, i) => (i % 3 ? `{"eventVersion": bad${i}}` : JSON.stringify(noise(g, T + i, ORG_ACCOUNT, 'us-east-1')))).join('\n') + '\n');
    writeFileSync(join(logs, 'c.json.gz'), gzipSync(JSON.stringify({ Records: Array.from({ length: 300 }, (_, i) => (i % 50 ? noise(g, T + i * 10, ORG_ACCOUNT, 'us-east-1') : updatePasswordFailure(g, T + i * 10, 'us-east-1'))) })));
    writeFileSync(join(dir, 'd-lookup.json'), JSON.stringify({ Events: [noise(g, T + 5, ORG_ACCOUNT, 'us-west-2'), updatePasswordFailure(g, T + 6, 'us-west-2')].map(lookupEvent) }));
    writeFileSync(join(dir, 'AWSLogs', ORG_ACCOUNT, 'CloudTrail-Digest', 'us-east-1', 'd.json.gz'), gzipSync(JSON.stringify(digest(ORG_ACCOUNT, 'us-east-1', T, []))));
    writeFileSync(join(dir, 'e-empty.json'), '');

    const r = bothPaths([dir]);
    expect(r.code).toBe(2);
    expect(r.lines.slice(0, 3)).toEqual([
      `sso-logs: ${mixed}: not JSON: unexpected character 'j' (byte ${1 + JSON.stringify(updatePasswordFailure(new Gen(14), T, 'us-east-1')).length}) [NOT_JSON]`,
      `sso-logs: note: ${mixed}: ${LISTING_NOTE}`,
      expect.stringMatching(/^sso-logs: .*a-mixed\.jsonl: malformed JSON: .* \(record 5, byte \d+\) \[JSON_MALFORMED\]$/),
    ]);
    expect(r.lines.filter((l) => l.includes('b-flood.jsonl'))).toHaveLength(11);
    expect(r.lines).toContain(`sso-logs: ${join(dir, 'b-flood.jsonl')}: 990 more problems not shown`);
    expect(r.lines.at(-1)).toBe(`sso-logs: ${join(dir, 'e-empty.json')}: empty input: no data [EMPTY_INPUT]`);
    expect(r.lines).toHaveLength(3 + 11 + 1);
    expect(r.summary).toMatchObject({
      inputs: 6, inputsWithProblems: 3, digestFilesSkipped: 2, notes: [{ input: mixed, message: LISTING_NOTE }],
      records: 3 + 500 + 300 + 2, recordsSkipped: 1 + 1000, problems: 2 + 1000 + 1,
    });
    // the report keeps the first 1,000 problems of the run: the flood fills it
    expect(r.summary.errors).toHaveLength(1000);
    expect(r.findings.length).toBeGreaterThan(0);
  });

  it('one file read in two parts: the second part\'s problems numbered from the file\'s start, as on one thread', () => {
    const g = new Gen(41);
    const dir = tempDir();
    const records: unknown[] = Array.from({ length: 2000 }, (_, i) => (i % 100 === 0 ? updatePasswordFailure(g, T + i, 'us-east-1') : noise(g, T + i, ORG_ACCOUNT, 'us-east-1')));
    records[300] = { notARecord: 1 };
    records[1700] = { notARecord: 2 };
    const path = join(dir, 'big.json');
    writeFileSync(path, JSON.stringify({ Records: records }));
    expect(statSync(path).size).toBeGreaterThan(0.05 * 2 ** 20);
    expect(planSplit(path, statSync(path).size)).toBeDefined();
    const r = bothPaths([path, '--split-min-mib', '0.05']);
    expect(r.lines).toEqual([
      expect.stringMatching(/: not a CloudTrail record: .* \(record 301, byte \d+\) \[NOT_CLOUDTRAIL\]$/),
      expect.stringMatching(/: not a CloudTrail record: .* \(record 1701, byte \d+\) \[NOT_CLOUDTRAIL\]$/),
    ]);
    expect(r.summary).toMatchObject({ records: 1998, recordsSkipped: 2, problems: 2 });
    expect(r.findings).toHaveLength(18);
  });

  it('progress advances during a long read on this thread, records counted before the file ends', async () => {
    const g = new Gen(7);
    const path = join(tempDir(), 'long.json');
    writeFileSync(path, JSON.stringify({ Records: Array.from({ length: 6000 }, (_, i) => noise(g, T + i, ORG_ACCOUNT, 'us-east-1')) }));
    expect(statSync(path).size).toBeGreaterThan(3 << 20);
    const seen: ({ bytes: number; records: number } | 'file done')[] = [];
    const result = await scan({
      inputs: [path], format: 'json', engine: 'split', maxRecordBytes: 1 << 20, color: false, matchers: MATCHER_IDS.filter((id) => id !== 'scim-principal-activity'),
      principals: [], recreateWindowMs: 86_400_000, identityStores: [], workers: 0,
    }, {
      stdin: (async function* () {})(), stdinIsTTY: false, stderr: () => undefined,
      progress: { start() {}, read: (bytes, records) => seen.push({ bytes, records }), fileDone: () => seen.push('file done'), log() {}, above: (write) => write(), status() {}, stop() {} },
    });
    expect(result.summary.records).toBe(6000);
    expect(seen.at(-1)).toBe('file done');
    const reads = seen.slice(0, -1) as { bytes: number; records: number }[];
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.reduce((n, r) => n + r.bytes, 0)).toBe(statSync(path).size);
    // the counts of the chunks read so far, before the file's result is applied
    expect(reads.at(-1)!.records).toBeGreaterThan(0);
    expect(reads.map((r) => r.records)).toEqual(reads.map((r) => r.records).sort((a, b) => a - b));
  });
});

/**
 * readFile (read-file.ts), the one way a file is read on any thread, with a sink that records what it is given:
 * the exact counts, the wanted records, problems and notes in order, the bounds on what a flood keeps, and a sink
 * that stops reading.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/candidates.js';
import { str } from '../../src/event.js';
import { readFile, type FileSink, type FileTally } from '../../src/read/read-file.js';
import { MAX_PROBLEMS_KEPT } from '../../src/summary.js';
import { digest, Gen, listUsers, lookupEvent, noise, ORG_ACCOUNT, updatePasswordFailure } from '../support/cloudtrail.js';
import { tempDir } from '../support/read.js';

const T = Date.UTC(2024, 9, 10);
const CANDIDATES: Candidate[] = [{ eventSources: ['sso-directory.amazonaws.com'], eventNames: ['UpdatePassword'], failed: true }];
const OPTIONS = { engine: 'split', maxRecordBytes: 1 << 20, candidates: CANDIDATES } as const;
const LISTING_NOTE = 'an aws identitystore list-users / list-groups listing, not events: skipped (give it with --identity-store to name users and groups)';

function file(name: string, text: string) {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return { kind: 'file' as const, label: path, path, size: statSync(path).size };
}

/** A sink that passes every record on and keeps them, and counts its calls. */
function recording() {
  const taken: { id: string; index: number }[] = [];
  const calls = { chunk: 0, end: 0 };
  const sink = (tally: FileTally): FileSink => ({
    take(event) {
      taken.push({ id: str(event.record.eventID) ?? '', index: event.index });
      tally.passed(event.record);
    },
    async chunk() {
      calls.chunk++;
      return true;
    },
    async end() {
      calls.end++;
    },
  });
  return { taken, calls, sink };
}

describe('readFile', () => {
  const g = new Gen(140);
  const wanted = { ...updatePasswordFailure(g, T, 'us-east-1'), eventID: 'wanted-1' };
  const counted = { ...noise(g, T + 1000, ORG_ACCOUNT, 'eu-west-1'), eventID: 'counted-1', eventSource: 'ec2.amazonaws.com' };
  const parsed = { ...noise(g, T + 2000, ORG_ACCOUNT, 'us-west-2'), eventID: 'parsed-1', eventSource: 'kms.amazonaws.com' };
  const lines = [
    JSON.stringify(wanted),
    'junk',
    JSON.stringify(listUsers([{ id: 'u1', name: 'jdoe' }])),
    JSON.stringify(counted),
    JSON.stringify(digest(ORG_ACCOUNT, 'us-east-1', T, [])),
    '{"eventVersion": oops}',
    JSON.stringify(lookupEvent(parsed)), // parsed whole, and no matcher's candidate: counted only
    JSON.stringify({ ...wanted, eventID: 'wanted-2', eventTime: '2024-10-10T00:00:05Z' }),
  ];
  const junkAt = lines[0]!.length + 1;

  it('counts every record, hands the wanted ones to the sink, and keeps problems and notes in the order met', async () => {
    const input = file('mixed.jsonl', lines.join('\n') + '\n');
    const { taken, calls, sink } = recording();
    const result = await readFile({ input, options: OPTIONS }, sink);
    expect(taken).toEqual([{ id: 'wanted-1', index: 1 }, { id: 'wanted-2', index: 7 }]);
    // (the order of sources and regions is that of counting, which the summary sorts: compared sorted)
    expect({ ...result.stats, sources: [...result.stats.sources].sort(), regions: [...result.stats.regions].sort() }).toEqual({
      records: 4, insightsRecords: 0, recordsWithoutTime: 0,
      sources: [['ec2.amazonaws.com', 1], ['kms.amazonaws.com', 1], ['sso-directory.amazonaws.com', 2]],
      first: T, last: T + 5000, accounts: [ORG_ACCOUNT], regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
    });
    expect(result.remarks).toEqual([
      { type: 'problem', problem: { input: input.label, code: 'NOT_JSON', message: "not JSON: unexpected character 'j'", offset: junkAt } },
      { type: 'note', input: input.label, message: LISTING_NOTE },
      { type: 'problem', problem: expect.objectContaining({ input: input.label, code: 'JSON_MALFORMED', record: 5 }) },
    ]);
    expect(result).toMatchObject({ moreProblems: { count: 0, recordsSkipped: 0 }, moreNotes: 0, digests: 1 });
    expect(result.split).toBeUndefined();
    // one chunk of the file, and the values the framer held at its end
    expect(calls).toEqual({ chunk: 2, end: 1 });
  });

  it('counts only the wanted records the sink passed on; one it could not pass on is a problem of the sink\'s', async () => {
    const input = file('mixed.jsonl', lines.join('\n') + '\n');
    const result = await readFile({ input, options: OPTIONS }, (tally) => ({
      take(event) {
        if (str(event.record.eventID) === 'wanted-2') tally.passed(event.record);
        else tally.problem({ input: input.label, code: 'RECORD_UNCLONABLE', message: 'not passed on', record: event.index });
      },
    }));
    expect(result.stats.records).toBe(3);
    expect(result.stats.sources).toEqual([['ec2.amazonaws.com', 1], ['kms.amazonaws.com', 1], ['sso-directory.amazonaws.com', 1]]);
    expect(result.remarks.map((r) => (r.type === 'problem' ? r.problem.code : 'note'))).toEqual(['RECORD_UNCLONABLE', 'NOT_JSON', 'note', 'JSON_MALFORMED']);
  });

  it('keeps the first problems and notes of a flood and counts the rest: memory stays bounded', async () => {
    const flood = [
      ...Array.from({ length: 2500 }, (_, i) => `{"eventVersion": bad${i}}`),
      ...Array.from({ length: 1003 }, () => JSON.stringify(listUsers([]))),
      Array.from({ length: 7 }, (_, i) => `junk${i}`).join('\n'),
      JSON.stringify(wanted),
    ];
    const input = file('flood.jsonl', flood.join('\n') + '\n');
    const { taken, sink } = recording();
    const result = await readFile({ input, options: OPTIONS }, sink);
    // junk is no value: it has no number
    expect(taken).toEqual([{ id: 'wanted-1', index: 2500 + 1003 + 1 }]);
    expect(result.stats.records).toBe(1);
    const problems = result.remarks.filter((r) => r.type === 'problem');
    expect(problems).toHaveLength(MAX_PROBLEMS_KEPT);
    expect(problems.at(-1)).toMatchObject({ problem: { code: 'JSON_MALFORMED', record: MAX_PROBLEMS_KEPT } });
    expect(result.remarks.filter((r) => r.type === 'note')).toHaveLength(MAX_PROBLEMS_KEPT);
    // past the kept ones: 1,500 malformed records (each a record skipped) and 7 lines of junk (no record)
    expect(result.moreProblems).toEqual({ count: 1500 + 7, recordsSkipped: 1500 });
    expect(result.moreNotes).toBe(3);
  });

  it('stops reading when the sink says so, and still ends the sink', async () => {
    const records = Array.from({ length: 6000 }, (_, i) => ({ ...noise(g, T + i, ORG_ACCOUNT, 'us-east-1'), eventID: `n${i}` }));
    const input = file('big.json', JSON.stringify({ Records: records }));
    expect(input.size).toBeGreaterThan(3 << 20);
    const calls = { chunk: 0, end: 0 };
    const result = await readFile({ input, options: OPTIONS }, () => ({
      take() {},
      async chunk() {
        calls.chunk++;
        return false;
      },
      async end() {
        calls.end++;
      },
    }));
    expect(calls).toEqual({ chunk: 1, end: 1 });
    expect(result.stats.records).toBeGreaterThan(0);
    expect(result.stats.records).toBeLessThan(records.length);
    const all = await readFile({ input, options: OPTIONS }, () => ({ take() {} }));
    expect(all.stats.records).toBe(records.length);
  });
});

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFramer } from '../../src/read/framer/framer.js';
import { readInput, type Input } from '../../src/read/index.js';
import { SummaryBuilder } from '../../src/summary.js';
import { writeRecordsFile } from '../support/generate.js';
import { tempDir } from '../support/read.js';

const SAMPLES = join(import.meta.dirname, '../../samples');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

/**
 * The summary of one input, read with the fast path for every record (no candidates: none wanted) or without it;
 * with `chunk`, fed through stdin in pieces of that many bytes.
 */
async function summarise(path: string, fast: boolean, chunk?: number) {
  const summary = new SummaryBuilder();
  const input: Input = chunk ? { kind: 'stdin', label: '(stdin)' } : { kind: 'file', label: path, path, size: 0 };
  const bytes = readFileSync(path);
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += chunk!) yield bytes.subarray(i, i + chunk!);
  }
  let counted = 0;
  for await (const events of readInput(input, { engine: 'split', maxRecordBytes: 1 << 20, ...(fast ? { candidates: [] } : {}), ...(chunk ? { stdin: pieces() } : {}) })) {
    for (const e of events) {
      if (e.type === 'counted') {
        counted++;
        summary.counted(e.fields);
      } else if (e.type === 'record') summary.record(e.record);
      else if (e.type === 'problem') summary.problem(e.problem);
    }
  }
  return { summary: summary.build(), counted };
}

describe('the fast path counts exactly what JSON.parse would', () => {
  for (const path of files(SAMPLES)) {
    it(path.slice(SAMPLES.length + 1), async () => {
      const full = await summarise(path, false);
      const fast = await summarise(path, true);
      expect(fast.summary).toEqual(full.summary);
      expect(full.counted).toBe(0);
    });
  }

  it('on 2 MB of generated CloudTrail, where it takes nearly every record', async () => {
    const path = join(tempDir(), 'records.json');
    await writeRecordsFile(path, 2_000_000);
    const full = await summarise(path, false);
    const fast = await summarise(path, true);
    expect(fast.summary).toEqual(full.summary);
    expect(fast.counted).toBe(full.summary.records);
    // in small pieces, strings cross chunk boundaries: those records take the ordinary path, the sum is the same
    const pieces = await summarise(path, true, 997);
    expect({ ...pieces.summary, inputs: 1 }).toEqual({ ...full.summary, inputs: 1 });
    expect(pieces.counted).toBeGreaterThan(0);
    expect(pieces.counted).toBeLessThan(full.summary.records);
  });

  it('on records that must fall back to JSON.parse, and keep their problems', async () => {
    const base = '"eventVersion":"1.08","eventID":"x","recipientAccountId":"111122223333"';
    const lines = [
      `{${base},"eventSource":"a\\u002eamazonaws.com","awsRegion":"us-east-1"}`, // an escape in a wanted value
      `{${base},"event\\u0053ource":"s3.amazonaws.com"}`, // an escape in a key
      `{${base},"eventSource":"s3.amazonaws.com",}`, // a trailing comma
      `{${base},"eventSource":{"nested":"s3.amazonaws.com"},"eventTime":12}`, // not strings
      `{"eventVersion":"1.08","eventID":"y","userIdentity":{"accountId":"444455556666"}}`, // no recipientAccountId
      `{${base},"eventSource":"dup.amazonaws.com","eventSource":"last.amazonaws.com"}`, // a duplicate key
      `{${base},"eventType":"AwsCloudTrailInsight","insightDetails":{"eventSource":"ec2.amazonaws.com"}}`,
      `{${base},"userIdentity":{"eventSource":"nested.amazonaws.com"},"eventSource":"top.amazonaws.com","eventTime":"2024-10-10 13:00:00"}`,
      `{"eventVersion":"1.08","note":"not enough record keys","recipientAccountId":"1"}`,
      `{"eventTime":"2024-10-10T13:00:00Z","eventTime":"2024-10-10T13:00:00Z","recipientAccountId":"1"}`, // one key twice
    ];
    const path = join(tempDir(), 'odd.jsonl');
    writeFileSync(path, lines.join('\n'));
    const full = await summarise(path, false);
    const fast = await summarise(path, true);
    expect(fast.summary).toEqual(full.summary);
    expect(full.summary.problems).toBe(3); // the trailing comma, and the two objects with too few record keys
    expect(full.summary.eventSources.map((s) => s.eventSource).sort()).toEqual(['a.amazonaws.com', 'last.amazonaws.com', 's3.amazonaws.com', 'top.amazonaws.com']);
  });
});

describe('the fields the framer picks up', () => {
  const fields = (text: string) => {
    const splitter = new JsonFramer({ maxValueBytes: 1 << 20 });
    const frames = [...splitter.push(Buffer.from(text)), ...splitter.end()];
    return frames.map((f) => (f.kind === 'value' ? f.fields : f.kind));
  };
  it('are the top-level strings only, in a Records array and in JSON Lines', () => {
    const rec = '{"eventVersion":"1.08","userIdentity":{"awsRegion":"no","eventSource":"no"},"eventSource":"s","eventTime":"t","awsRegion":"r","recipientAccountId":"1","eventType":"AwsApiCall"}';
    const expected = { eventSource: 's', eventTime: 't', awsRegion: 'r', recipientAccountId: '1', eventType: 'AwsApiCall' };
    expect(fields(`{"Records":[${rec},${rec}]}`)).toEqual(['container', expected, expected]);
    expect(fields(`${rec}\n${rec}\n`)).toEqual([expected, expected]);
  });
  it('are left out for what only JSON.parse may judge', () => {
    const base = '"eventVersion":"1.08","eventID":"x","recipientAccountId":"1"';
    expect(fields(`{"Records":[{${base},"s":"a\nb"}]}`)).toEqual(['container', undefined]); // raw newline in a string
    expect(fields(`{"Records":[{${base},}]}`)).toEqual(['container', undefined]); // trailing comma
    expect(fields(`{"Records":[{${base},"a":[1,2,]}]}`)).toEqual(['container', undefined]);
    expect(fields(`{"Records":[{${base},"eventTime":12}]}`)).toEqual(['container', undefined]); // not a string
    expect(fields(`{"Records":[{${base},"eventSource":"a\\u002e"}]}`)).toEqual(['container', undefined]); // an escape
    expect(fields(`{"Records":[{"eventVersion":"1.08","eventID":"x"}]}`)).toEqual(['container', undefined]); // no account
    expect(fields('{"Records":[["eventVersion","eventID"]]}')).toEqual(['container', undefined]);
  });
});

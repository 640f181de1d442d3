import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryFields } from '../../src/read/fields.js';
import { readInput, type Input } from '../../src/read/index.js';
import { SummaryBuilder } from '../../src/summary.js';
import { writeRecordsFile } from '../support/generate.js';
import { tempDir } from '../support/read.js';

const SAMPLES = join(import.meta.dirname, '../../samples');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

/** The summary of one input, read with the fast path for every record (needles: none wanted) or without it. */
async function summarise(path: string, fast: boolean) {
  const summary = new SummaryBuilder();
  const input: Input = { kind: 'file', label: path, path, size: 0 };
  let counted = 0;
  for await (const events of readInput(input, { engine: 'split', maxRecordBytes: 1 << 20, ...(fast ? { needles: [] } : {}) })) {
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
    ];
    const path = join(tempDir(), 'odd.jsonl');
    writeFileSync(path, lines.join('\n'));
    const full = await summarise(path, false);
    const fast = await summarise(path, true);
    expect(fast.summary).toEqual(full.summary);
    expect(full.summary.problems).toBe(2); // the trailing comma, and the object with too few record keys
    expect(full.summary.eventSources.map((s) => s.eventSource).sort()).toEqual(['a.amazonaws.com', 'last.amazonaws.com', 's3.amazonaws.com', 'top.amazonaws.com']);
  });
});

describe('summaryFields', () => {
  const read = (text: string) => summaryFields(Buffer.from(text));
  it('reads top-level strings only', () => {
    expect(read('{"eventVersion":"1.08","userIdentity":{"awsRegion":"no"},"eventSource":"s","eventTime":"t","awsRegion":"r","recipientAccountId":"1","eventType":"AwsApiCall"}'))
      .toEqual({ eventSource: 's', eventTime: 't', awsRegion: 'r', recipientAccountId: '1', eventType: 'AwsApiCall' });
  });
  it('gives up on what only JSON.parse may judge', () => {
    expect(read('{"eventVersion":"1.08","eventID":"x","recipientAccountId":"1","s":"a\nb"}')).toBeUndefined();
    expect(read('["eventVersion","eventID"]')).toBeUndefined();
    expect(read('{"eventVersion":"1.08","eventID":"x","recipientAccountId":"1",}')).toBeUndefined();
    expect(read('{"eventVersion":"1.08","eventID":"x","recipientAccountId":"1","a":[1,,2]}')).toBeUndefined();
  });
});

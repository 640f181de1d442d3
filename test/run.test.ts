import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { scan, type ScanOptions } from '../src/run.js';

const options: ScanOptions = {
  inputs: [], format: 'json', engine: 'split', maxRecordBytes: 1 << 20, color: false,
  matchers: [], principals: [], recreateWindowMs: 86_400_000, identityStores: [],
};

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

describe('scan()', () => {
  it('with no input and a terminal on stdin, is a usage error', async () => {
    await expect(scan(options, { stdin: chunks(), stdinIsTTY: true, stderr: () => undefined })).rejects.toThrow(UsageError);
  });

  it('with no input and a pipe, reads stdin; stderr gets each problem once, the exit code says 2', async () => {
    const lines: string[] = [];
    const result = await scan(options, {
      stdin: chunks('{"eventVersion":"1.08","eventID":"a"}\n{"eventVersion":', '"1.08","eventID":"b",}\n'),
      stdinIsTTY: false,
      stderr: (l) => lines.push(l),
    });
    expect(lines).toEqual([expect.stringMatching(/^sso-logs: \(stdin\): malformed JSON: .* \(record 2, byte 38\) \[JSON_MALFORMED\]$/)]);
    expect(result.exitCode).toBe(2);
    expect(result.summary).toMatchObject({ records: 1, recordsSkipped: 1, problems: 1, inputs: 1 });
  });

  it('shows at most 10 problems per input on stderr, and counts the rest', async () => {
    const lines: string[] = [];
    const bad = Array.from({ length: 25 }, (_, i) => `junk ${i}\n`);
    const result = await scan(options, { stdin: chunks(...bad), stdinIsTTY: false, stderr: (l) => lines.push(l) });
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe('sso-logs: (stdin): 15 more problems not shown');
    // junk alone holds no record, which is a problem of its own
    expect(lines[11]).toMatch(/^sso-logs: \(all inputs\): no CloudTrail record was read \(1 input; 25 problems reported above\)\. .* \[NO_RECORDS\]$/);
    expect(result.summary.problems).toBe(26);
    expect(result.summary.errors.map((e) => e.code)).toEqual([...Array(25).fill('NOT_JSON'), 'NO_RECORDS']);
  });
});

import { join } from 'node:path';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { read, tempDir } from '../support/read.js';
import { writeRecordsFile } from '../support/generate.js';

const SAMPLES = join(import.meta.dirname, '../../samples');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

// The byte framer is the default; stream-json is the validating reference. On valid input they must agree.
describe('split and stream-json engines read the same records', () => {
  for (const path of files(SAMPLES)) {
    it(path.slice(SAMPLES.length + 1), async () => {
      const split = await read(path, 'split');
      expect(split.problems).toEqual([]);
      expect(await read(path, 'stream-json')).toEqual(split);
    });
  }

  it('on 2 MB of generated CloudTrail', async () => {
    const path = join(tempDir(), 'records.json');
    const generated = await writeRecordsFile(path, 2_000_000);
    const split = await read(path, 'split');
    expect(split.ids).toHaveLength(generated.records);
    expect(new Set(split.ids).size).toBe(generated.records);
    expect(await read(path, 'stream-json')).toEqual(split);
  });

  it('on generated JSON Lines with CRLF line ends', async () => {
    const dir = tempDir();
    const records = Array.from({ length: 50 }, (_, i) => ({ eventVersion: '1.08', eventID: `id-${i}`, eventSource: 'x', nested: { a: [i, { b: `q"${i}\\` }] } }));
    const path = join(dir, 'crlf.jsonl');
    writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\r\n`).join(''));
    const split = await read(path, 'split');
    expect(split.ids).toEqual(records.map((r) => r.eventID));
    expect(await read(path, 'stream-json')).toEqual(split);
  });
});

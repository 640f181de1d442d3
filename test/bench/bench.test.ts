import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/read.js';

// A smoke run: the benchmark itself must keep working (generate, run every approach, check what was planted).
// It asserts no speed: timings belong to `npm run bench`, read as ratios, never to a test.
describe('npm run bench', () => {
  it('runs on 1 MB of each format and finds exactly what it planted', () => {
    const dir = join(tempDir(), 'bench');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bench.ts'), '1', '--runs', '1', '--dir', dir], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    for (const format of ['tree', 'records', 'jsonl', 'lookup']) expect(run.stdout).toContain(`\n${format}: 1 MB`);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| sso-logs'));
    expect(rows.length).toBe(5); // four formats, and the tree on one thread
    for (const row of rows) expect(row).not.toContain('failed');
  }, 120_000);
});

/**
 * The inputs are walked once on a default run (no progress bar): the walk that chooses the threads is the one
 * the scan reads from. (A terminal's progress bar needs the total size first and walks once more, counting.)
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const walks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/read/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/read/index.js')>();
  return { ...original, resolveInputs: (paths: string[]) => { walks.count++; return original.resolveInputs(paths); } };
});

const { scan } = await import('../src/run.js');
const { MATCHER_IDS } = await import('../src/match/registry.js');

describe('a default scan', () => {
  it('walks the inputs once, and reads every file', async () => {
    const result = await scan({
      inputs: [join(import.meta.dirname, '../samples/s3')], format: 'json', engine: 'split', maxRecordBytes: 1 << 25, color: false,
      matchers: MATCHER_IDS.filter((id) => id !== 'scim-principal-activity'), principals: [], recreateWindowMs: 86_400_000, identityStores: [], workers: 2,
    }, { stdin: (async function* () {})(), stdinIsTTY: false, stderr: () => undefined });
    expect(walks.count).toBe(1);
    expect(result.summary.inputs).toBe(7);
    expect(result.summary.records).toBeGreaterThan(50);
  });
});

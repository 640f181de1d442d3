/**
 * The worker thread's protocol: it sends at most 4 batches of records that the main thread has not yet
 * acknowledged, so a slow main thread holds at most that many batches, not the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../src/read/messages.js';
import { Gen, updatePasswordFailure } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';

const WORKER = new URL('../dist/read/worker.js', import.meta.url);

describe('a worker thread', () => {
  it('waits for acknowledgements: 4 batches in flight at most, then the rest as they are acknowledged', async () => {
    const g = new Gen(8);
    const records = Array.from({ length: 6000 }, (_, i) => ({ ...updatePasswordFailure(g, Date.UTC(2024, 9, 10) + i * 1000, 'us-east-1'), eventID: `w${i}` }));
    const path = join(tempDir(), 'wanted.json');
    writeFileSync(path, JSON.stringify({ Records: records }));
    const worker = new Worker(WORKER);
    const batches: number[] = [];
    let done = false;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'records') batches.push(m.records.length);
      if (m.type === 'done') done = true;
    });
    const candidates = [{ eventSources: ['sso-directory.amazonaws.com'], eventNames: ['UpdatePassword'], failed: true }];
    worker.postMessage({ type: 'job', job: { seq: 1, input: { kind: 'file', label: path, path, size: 0 }, options: { engine: 'split', maxRecordBytes: 1 << 20, candidates } } } satisfies ToWorker);
    // Wait for the fourth batch, then give the worker ample time to send a fifth: it must not.
    for (const start = Date.now(); batches.length < 4 && Date.now() - start < 20_000; ) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 1000));
    expect(batches).toHaveLength(4);
    expect(done).toBe(false);
    while (!done) {
      worker.postMessage({ type: 'ack' } satisfies ToWorker);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(batches.reduce((a, b) => a + b, 0)).toBe(6000);
    await worker.terminate();
  });
});

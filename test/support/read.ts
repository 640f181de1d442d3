import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInput, type Engine, type Input, type ReadEvent } from '../../src/read/index.js';
import { str } from '../../src/event.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sso-logs-test-'));
}

export interface Read {
  ids: string[];
  problems: string[];
  notes: string[];
}

/** Reads one input and reduces it to what tests compare: record eventIDs and formatted problems. */
export async function read(input: Input | string, engine: Engine = 'split', stdin?: Buffer[]): Promise<Read> {
  const spec: Input = typeof input === 'string' ? { kind: 'file', label: input, path: input, size: 0 } : input;
  const out: Read = { ids: [], problems: [], notes: [] };
  const options = { engine, maxRecordBytes: 1 << 20, ...(stdin ? { stdin: toAsync(stdin) } : {}) };
  for await (const events of readInput(spec, options) as AsyncIterable<ReadEvent[]>) for (const event of events) {
    if (event.type === 'record') out.ids.push(str(event.record.eventID) ?? '?');
    else if (event.type === 'problem') {
      const p = event.problem;
      out.problems.push(`${p.message}${p.record !== undefined ? ` @record ${p.record}` : ''}${p.offset !== undefined ? ` @${p.decompressed ? 'z' : ''}byte ${p.offset}` : ''}`);
    } else if (event.type === 'note') out.notes.push(event.message);
  }
  return out;
}

async function* toAsync(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

export const STDIN: Input = { kind: 'stdin', label: '(stdin)' };

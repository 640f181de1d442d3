/**
 * A worker thread that reads whole files: gunzip, framing, the fast path and JSON.parse all happen here, so two
 * files are read at once on two cores. It sends back the records the matchers want (a few percent), the counts
 * of the rest, and the file's problems and notes.
 */
import { parentPort } from 'node:worker_threads';
import type { CloudTrailRecord } from '../event.js';
import type { InputProblem } from '../errors.js';
import { RecordStats, type RecordStatsSnapshot } from '../summary.js';
import { readInput, type Input, type ReadOptions } from './index.js';

export interface FileJob {
  seq: number;
  input: Input;
  options: Pick<ReadOptions, 'engine' | 'maxRecordBytes' | 'candidates'>;
}

export type WorkerMessage =
  | { type: 'records'; records: CloudTrailRecord[] }
  | { type: 'bytes'; bytes: number }
  | { type: 'done'; seq: number; stats: RecordStatsSnapshot; problems: InputProblem[]; notes: { input: string; message: string; digest: boolean }[] }
  | { type: 'crash'; message: string };

// Records go back in batches: one message per record would cost more than the record.
const BATCH = 512;

async function run(job: FileJob): Promise<void> {
  const stats = new RecordStats();
  const problems: InputProblem[] = [];
  const notes: { input: string; message: string; digest: boolean }[] = [];
  let batch: { record: CloudTrailRecord; index: number }[] = [];
  const options = { ...job.options, onRead: (bytes: number) => post({ type: 'bytes', bytes }) };
  const flush = () => {
    if (sendRecords(batch.map((b) => b.record))) {
      for (const { record } of batch) stats.record(record);
    } else {
      for (const { record, index } of batch) {
        if (sendRecords([record])) stats.record(record);
        else problems.push({ input: job.input.label, message: UNCLONABLE, record: index });
      }
    }
    batch = [];
  };
  for await (const events of readInput(job.input, options)) {
    for (const event of events) {
      if (event.type === 'counted') stats.counted(event.fields);
      else if (event.type === 'record') batch.push({ record: event.record, index: event.index });
      else if (event.type === 'problem') problems.push(event.problem);
      else notes.push({ input: event.input, message: event.message, digest: event.digest === true });
    }
    if (batch.length >= BATCH) flush();
  }
  if (batch.length) flush();
  post({ type: 'done', seq: job.seq, stats: stats.snapshot(), problems, notes });
}

// Framed values are kept within MAX_NESTING (split.ts), but the record inside a lookup-events CloudTrailEvent
// string is parsed whole: one nested thousands of levels deep overflows structured clone's recursion.
const UNCLONABLE = 'record nested too deeply to pass between threads; skipped';

function sendRecords(records: CloudTrailRecord[]): boolean {
  try {
    post({ type: 'records', records });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

parentPort?.on('message', (job: FileJob) => {
  run(job).catch((error: unknown) => {
    // readInput reports bad input itself; reaching here is a bug, which the main thread reports as one.
    post({ type: 'crash', message: error instanceof Error ? error.message : String(error) });
  });
});

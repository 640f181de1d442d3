/**
 * A worker thread that reads whole files: gunzip, framing, the fast path and JSON.parse all happen here, so two
 * files are read at once on two cores. It reads a file as scanInline does (read-file.ts) and sends back the
 * records the matchers want (a few percent) in batches, then the file's counts, problems and notes.
 */
import { parentPort } from 'node:worker_threads';
import type { CloudTrailRecord } from '../event.js';
import type { FileJob, FromWorker, ToWorker } from './messages.js';
import { readFile, type FileSink, type FileTally } from './read-file.js';

// A held part keeps at most this many records, or this many bytes of their JSON, before it waits: memory stays
// bounded on a file of nothing but Identity Center events, where every record is one the matchers want, and on
// one of large records (2,500 wanted records of 176 KB peaked at 723-730 MB when only counts were bounded).
const HOLD = 20_000;
const HOLD_BYTES = 16 * 1024 * 1024;
const verdicts = new Map<number, { verdict?: 'commit' | 'discard'; wake?: () => void }>();

function verdictOf(seq: number): { verdict?: 'commit' | 'discard'; wake?: () => void } {
  return verdicts.get(seq) ?? verdicts.set(seq, {}).get(seq)!;
}

// Records go back in batches: one message per record would cost more than the record; a batch of large records
// goes sooner, so that a batch stays a few MB.
const BATCH = 512;
const BATCH_BYTES = 4 * 1024 * 1024;
// What a record without a known size (stream-json, Athena CSV rows) counts as: a typical CloudTrail record.
const TYPICAL_RECORD = 2048;

async function run(job: FileJob): Promise<void> {
  const result = await readFile({ ...job, options: { ...job.options, onRead: (bytes) => post({ type: 'bytes', bytes }) } }, (tally) => poster(job, tally));
  post({ type: 'done', seq: job.seq, result });
}

/** The sink of a worker: records batched and posted to the main thread, a held part's kept until its word. */
function poster(job: FileJob, tally: FileTally): FileSink {
  let batch: { record: CloudTrailRecord; index: number; size: number }[] = [];
  let batchBytes = 0;
  const full = () => batch.length >= BATCH || batchBytes >= BATCH_BYTES;
  const word = job.hold ? verdictOf(job.seq) : undefined;
  // Sends what is batched, a batch at a time (a committed held part may have many batches' worth).
  const flush = async () => {
    for (let from = 0; from < batch.length;) {
      let to = from;
      let bytes = 0;
      while (to < batch.length && to - from < BATCH && (bytes < BATCH_BYTES || to === from)) bytes += batch[to++]!.size;
      await send(batch.slice(from, to), bytes);
      from = to;
    }
    batch = [];
    batchBytes = 0;
  };
  const send = async (part: typeof batch, bytes: number) => {
    // The main thread says when it has matched a batch: past UNACKED batches or INFLIGHT_BYTES in flight, wait
    // for it, so that a main thread slower than the workers (a busy machine, a file of nothing but wanted
    // records, records of 100s of KB) is not buried in the messages it has yet to take.
    while (inflight.length >= UNACKED || (inflight.length > 0 && inflightBytes + bytes > INFLIGHT_BYTES)) {
      await new Promise<void>((resolve) => (ackWaiter = resolve));
    }
    if (sendRecords(part.map((b) => b.record), bytes)) {
      for (const { record } of part) tally.passed(record);
      return;
    }
    for (const { record, index, size } of part) {
      if (sendRecords([record], size)) tally.passed(record);
      else tally.problem({ input: job.input.label, code: 'RECORD_UNCLONABLE', message: UNCLONABLE, record: index });
    }
  };
  return {
    take(event) {
      const size = event.size ?? TYPICAL_RECORD;
      batch.push({ record: event.record, index: event.index, size });
      batchBytes += size;
    },
    async chunk() {
      if (!word) {
        if (full()) await flush();
        return true;
      }
      // held: nothing leaves before the first part's word; past HOLD records, wait for it
      if (word.verdict === undefined && (batch.length >= HOLD || batchBytes >= HOLD_BYTES)) await new Promise<void>((resolve) => (word.wake = resolve));
      if (word.verdict === 'discard') return false;
      if (word.verdict === 'commit' && full()) await flush();
      return true;
    },
    async end() {
      if (word) {
        if (word.verdict === undefined) await new Promise<void>((resolve) => (word.wake = resolve));
        verdicts.delete(job.seq);
        if (word.verdict === 'discard') batch = [];
      }
      if (batch.length) await flush();
    },
  };
}

// Framed values are kept within MAX_NESTING (framer/frame.ts), but the record inside a lookup-events CloudTrailEvent
// string is parsed whole: one nested thousands of levels deep overflows structured clone's recursion.
const UNCLONABLE = 'record nested too deeply to pass between threads; skipped';

const UNACKED = 4;
const INFLIGHT_BYTES = 16 * 1024 * 1024;
/** Bytes of each batch sent and not yet acknowledged, oldest first (acknowledgements come in order). */
const inflight: number[] = [];
let inflightBytes = 0;
let ackWaiter: (() => void) | undefined;

function sendRecords(records: CloudTrailRecord[], bytes: number): boolean {
  try {
    post({ type: 'records', records });
    inflight.push(bytes);
    inflightBytes += bytes;
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function post(message: FromWorker): void {
  parentPort!.postMessage(message);
}

let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'ack':
      inflightBytes -= inflight.shift() ?? 0;
      ackWaiter?.();
      ackWaiter = undefined;
      return;
    case 'commit':
    case 'discard': {
      const word = verdictOf(message.seq);
      word.verdict = message.type;
      word.wake?.();
      return;
    }
    case 'job': {
      // Jobs come ahead of time (pool.ts), and are read one after the other.
      const job = message.job;
      queue = queue.then(() => run(job)).catch((error: unknown) => {
        // readFile reports bad input itself; reaching here is a bug, which the main thread reports as one.
        post({ type: 'crash', message: error instanceof Error ? error.message : String(error) });
      });
    }
  }
});

import { Worker } from 'node:worker_threads';
import type { CloudTrailRecord } from '../event.js';
import type { FileJob, FromWorker, ToWorker } from './messages.js';
import type { FileResult } from './read-file.js';

// The built CLI is bundled, and so is its worker (package.json "build" defines WORKER_BUNDLE): unbundled, a
// worker spent 0.28 s loading its modules before it read a file. Unbundled (tsc's output, the tests), worker.js.
declare const WORKER_BUNDLE: string | undefined;
const JOBS_PER_WORKER = 2;
const WORKER_FILE = typeof WORKER_BUNDLE === 'string' ? WORKER_BUNDLE : './worker.js';

/**
 * Reads files on worker threads, several at once. Records reach `onRecords` as they come (the matchers do not
 * depend on order: S3 objects are unordered anyway); each file's result comes back from `start(...).done`, and
 * the caller applies results in input order so that stderr and the summary are the same on every run.
 * A worker that fails is a bug (bad input is reported, not thrown): the whole pool fails with its error, so that
 * the scan stops with an internal error instead of waiting for a file that will never be read.
 */
export class FilePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { resolve: (worker: Worker) => void; reject: (error: Error) => void }[] = [];
  private readonly jobs = new Map<number, { resolve: (result: FileResult) => void; reject: (error: Error) => void }>();
  private readonly running = new Map<number, Worker>();
  private failure: Error | undefined;

  constructor(
    size: number,
    maxRecordBytes: number,
    private readonly onRecords: (records: CloudTrailRecord[]) => void,
    private readonly onBytes: (bytes: number) => void,
    /** One large file read in two parts (two-parts.ts), rather than many files. */
    single = false,
  ) {
    // Small heaps keep two workers and the main thread under 200 MB (248 MB measured on the 1 GB tree without
    // limits), but the old generation must hold the largest record parsed: a 32 MiB record needs ~8x that.
    // Reading one file in two parts, a young generation of 4 MB costs the workers so much scavenging that the
    // two parts together took as long as the whole on one thread; at 16 MB the 2 GB Records file takes 4.5 s
    // instead of 7.5-8.3 s, at 178 MB peak RSS (on the 1 GB tree, 8 MB already reached 260 MB).
    const resourceLimits = single
      ? { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: Math.max(160, Math.ceil((8 * maxRecordBytes) / 2 ** 20)) }
      : { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: Math.max(96, Math.ceil((8 * maxRecordBytes) / 2 ** 20)) };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL(WORKER_FILE, import.meta.url), { resourceLimits });
      worker.on('message', (message: FromWorker) => this.receive(worker, message));
      worker.on('error', (error) => this.fail(error));
      this.workers.push(worker);
    }
    // A worker is given its next file before it has finished the one in hand: waiting for the main thread's
    // word between files idled each worker a twentieth of the time on a tree of 1 MB files. The two parts of
    // one file each need a worker of their own, at once.
    const depth = single ? 1 : JOBS_PER_WORKER;
    for (let d = 0; d < depth; d++) this.idle.push(...this.workers);
  }

  /** Starts a file on the next worker with room for it (waiting for one); `done` gives its result when it is read. */
  async start(job: FileJob): Promise<{ done: Promise<FileResult> }> {
    if (this.failure) throw this.failure;
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve, reject) => this.waiting.push({ resolve, reject })));
    const done = new Promise<FileResult>((resolve, reject) => this.jobs.set(job.seq, { resolve, reject }));
    this.running.set(job.seq, worker);
    this.post(worker, { type: 'job', job });
    return { done };
  }

  /** Tells a held part (FileJob.hold) whether its records count. */
  verdict(seq: number, type: 'commit' | 'discard'): void {
    const worker = this.running.get(seq);
    if (worker) this.post(worker, { type, seq });
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private receive(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'records':
        // A throw here (a matcher's bug) would escape as an uncaught exception: a stack trace and exit 1, which a
        // CI job reads as findings. It fails the pool instead, and the scan ends as an internal error.
        try {
          this.onRecords(message.records);
        } catch (error) {
          this.fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        this.post(worker, { type: 'ack' });
        return;
      case 'bytes':
        this.onBytes(message.bytes);
        return;
      case 'crash':
        this.fail(new Error(message.message));
        return;
      case 'done': {
        this.jobs.get(message.seq)?.resolve(message.result);
        this.jobs.delete(message.seq);
        this.running.delete(message.seq);
        const next = this.waiting.shift();
        if (next) next.resolve(worker);
        else this.idle.push(worker);
      }
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const job of this.jobs.values()) job.reject(this.failure);
    for (const waiter of this.waiting) waiter.reject(this.failure);
    this.jobs.clear();
    this.waiting.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}


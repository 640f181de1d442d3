import { Worker } from 'node:worker_threads';
import type { CloudTrailRecord } from '../event.js';
import type { Input } from './index.js';
import type { FileJob, WorkerMessage } from './worker.js';

type Done = Extract<WorkerMessage, { type: 'done' }>;

const WORKER_HEAP = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 4 };

/**
 * Reads files on worker threads, several at once. Records reach `onRecords` as they come (the matchers do not
 * depend on order: S3 objects are unordered anyway); each file's result is returned by `read`, which the caller
 * applies in input order so that stderr and the summary come out the same on every run.
 */
export class FilePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly jobs = new Map<number, { resolve: (done: Done) => void; reject: (error: Error) => void }>();

  constructor(size: number, private readonly onRecords: (records: CloudTrailRecord[]) => void, private readonly onBytes: (bytes: number) => void) {
    for (let i = 0; i < size; i++) {
      // Small heaps: a worker holds a chunk and a record at a time, and two default-sized heaps would take
      // the process past 200 MB (measured: 248 MB on the 1 GB tree without limits).
      const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: WORKER_HEAP });
      worker.on('message', (message: WorkerMessage | { type: 'crash'; message: string }) => this.receive(worker, message));
      worker.on('error', (error) => {
        for (const job of this.jobs.values()) job.reject(error);
        this.jobs.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Starts a file on the next free worker (waiting for one); `done` gives its result when it is read. */
  async start(job: FileJob): Promise<{ done: Promise<Done> }> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    const done = new Promise<Done>((resolve, reject) => this.jobs.set(job.seq, { resolve, reject }));
    worker.postMessage(job);
    return { done };
  }

  private receive(worker: Worker, message: WorkerMessage | { type: 'crash'; message: string }): void {
    if (message.type === 'records') this.onRecords(message.records);
    else if (message.type === 'bytes') this.onBytes(message.bytes);
    else if (message.type === 'done') {
      this.jobs.get(message.seq)?.resolve(message);
      this.jobs.delete(message.seq);
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    } else {
      const error = new Error(message.message);
      for (const job of this.jobs.values()) job.reject(error);
      this.jobs.clear();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export type { Done as FileResult, Input };

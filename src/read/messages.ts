/**
 * The messages between the main thread (pool.ts) and a worker thread (worker.ts), each told by its `type`.
 * Both sides import these types, so a message one side sends is one the other reads.
 */
import type { CloudTrailRecord } from '../event.js';
import type { FileRead, FileResult, JobOptions } from './read-file.js';

export interface FileJob extends FileRead {
  seq: number;
  options: JobOptions;
  /**
   * The second part of a split file: its records are held back until the first part confirms the boundary
   * ('commit') or finds it was not one ('discard'); past a bound, reading waits for that word.
   */
  hold?: boolean;
}

export type ToWorker =
  | { type: 'job'; job: FileJob }
  /** The main thread's word on a held part. */
  | { type: 'commit' | 'discard'; seq: number }
  /** The main thread has matched a batch of records. */
  | { type: 'ack' };

export type FromWorker =
  | { type: 'records'; records: CloudTrailRecord[] }
  | { type: 'bytes'; bytes: number }
  | { type: 'done'; seq: number; result: FileResult }
  /** A bug: bad input is reported in the result, never thrown. */
  | { type: 'crash'; message: string };

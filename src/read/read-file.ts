/**
 * One way to read a file: its events (readInput, or readRange for one part of a file) become the file's counts,
 * its problems and notes, and the records the matchers want, handed to a sink. Worker threads give it a sink
 * that posts records in batches (worker.ts); scanInline gives it one that hands them straight to the matchers.
 * Both apply the result with one handler (scan-inputs.ts): two copies of this loop once drifted apart.
 */
import type { InputProblem } from '../errors.js';
import type { CloudTrailRecord } from '../event.js';
import { MAX_PROBLEMS_KEPT, RecordStats, type RecordStatsSnapshot } from '../summary.js';
import type { ReadEvent } from './events.js';
import type { SummaryFields } from './framer/fields.js';
import { readInput, type Input, type ReadOptions } from './index.js';
import { readRange, type Range, type SplitOutcome } from './two-parts.js';

/** What a worker thread can be given: every option passes between threads. */
export type JobOptions = Pick<ReadOptions, 'engine' | 'maxRecordBytes' | 'candidates'>;

export interface FileRead {
  input: Input;
  options: JobOptions & Pick<ReadOptions, 'stdin' | 'onRead'>;
  /** Part of a file read in two parts (two-parts.ts); the input is then a plain file. */
  range?: Range;
}

export type RecordEvent = Extract<ReadEvent, { type: 'record' }>;

/** What a file said, in the order it said it: stderr shows it so. */
export type Remark = { type: 'problem'; problem: InputProblem } | { type: 'note'; input: string; message: string };

/** A file's result, as plain data (it passes between threads). */
export interface FileResult {
  stats: RecordStatsSnapshot;
  /** Problems and notes other than digest files, the first MAX_PROBLEMS_KEPT of each. */
  remarks: Remark[];
  /** Problems past those kept: how many, and how many of them skipped a record. */
  moreProblems: { count: number; recordsSkipped: number };
  moreNotes: number;
  /** CloudTrail digest files met: counted, never said. */
  digests: number;
  split?: SplitOutcome;
}

/**
 * Where the records the matchers want go. A sink tells the tally of each record once it has passed it on
 * (`passed`), or why it could not (`problem`): only records passed on are counted.
 */
export interface FileSink {
  take(event: RecordEvent): void;
  /** After each chunk of the input: may wait (bounded queues); false stops reading (the rest is not wanted). */
  chunk?(): Promise<boolean>;
  /** After the last chunk, or once reading stopped. */
  end?(): Promise<void>;
}

/**
 * One file's counts, problems and notes as they are read. Problems and notes past MAX_PROBLEMS_KEPT are counted,
 * not kept: a file of garbage has a problem per line, and the report keeps no more than that many in all.
 */
export class FileTally {
  readonly stats = new RecordStats();
  private readonly remarks: Remark[] = [];
  private problems = 0;
  private notes = 0;
  private readonly moreProblems = { count: 0, recordsSkipped: 0 };
  private moreNotes = 0;
  private digests = 0;

  passed(record: CloudTrailRecord): void {
    this.stats.record(record);
  }

  problem(problem: InputProblem): void {
    if (this.problems < MAX_PROBLEMS_KEPT) {
      this.problems++;
      this.remarks.push({ type: 'problem', problem });
      return;
    }
    this.moreProblems.count++;
    if (problem.record !== undefined && !problem.kept) this.moreProblems.recordsSkipped++;
  }

  note(note: Extract<ReadEvent, { type: 'note' }>): void {
    if (note.digest) this.digests++;
    else if (this.notes < MAX_PROBLEMS_KEPT) {
      this.notes++;
      this.remarks.push({ type: 'note', input: note.input, message: note.message });
    } else this.moreNotes++;
  }

  result(split: SplitOutcome | undefined): FileResult {
    return {
      stats: this.stats.snapshot(), remarks: this.remarks, moreProblems: { ...this.moreProblems }, moreNotes: this.moreNotes, digests: this.digests,
      ...(split ? { split } : {}),
    };
  }
}

export interface OpenFile {
  /** Reads the file to the end into the sink that `sink` makes for this file's tally. */
  read(sink: (tally: FileTally) => FileSink): Promise<FileResult>;
}

/**
 * Starts reading a file: its first chunk is asked for at once, so that a caller can open the next file while it
 * reads this one (scanInline).
 */
export function openFile(file: FileRead): OpenFile {
  let split: SplitOutcome | undefined;
  const tally = new FileTally();
  // Records no matcher wants are counted as the reader meets them, not passed as events (most records are these).
  const options = { ...file.options, counted: (fields: SummaryFields) => tally.stats.counted(fields) };
  const events = file.range && file.input.kind === 'file'
    ? readRange(file.input.path, file.input.label, options, file.range, (outcome) => (split = outcome))
    : readInput(file.input, options);
  const first = events.next();
  // Awaited by read(); until then a rejection (a bug: bad input is reported as events) is held there.
  first.catch(() => undefined);
  return {
    async read(sinkFor) {
      const sink = sinkFor(tally);
      for (let chunk = await first; !chunk.done; chunk = await events.next()) {
        for (const event of chunk.value) {
          if (event.type === 'counted') tally.stats.counted(event.fields);
          else if (event.type === 'record') {
            if (event.unwanted) tally.stats.record(event.record);
            else sink.take(event);
          } else if (event.type === 'problem') tally.problem(event.problem);
          else tally.note(event);
        }
        if (sink.chunk && !(await sink.chunk())) {
          await events.return(undefined);
          break;
        }
      }
      await sink.end?.();
      return tally.result(split);
    },
  };
}

export function readFile(file: FileRead, sink: (tally: FileTally) => FileSink): Promise<FileResult> {
  return openFile(file).read(sink);
}

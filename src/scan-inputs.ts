import { resolve } from 'node:path';
import type { CloudTrailRecord } from './event.js';
import { formatProblem, type InputProblem } from './errors.js';
import type { Progress } from './progress.js';
import type { Resolved } from './read/inputs.js';
import type { Input, ReadOptions } from './read/index.js';
import { FilePool } from './read/pool.js';
import { planSplit } from './read/two-parts.js';
import { openFile, type FileResult, type FileTally, type OpenFile } from './read/read-file.js';
import type { SummaryBuilder } from './summary.js';

// Past this many problems in one input (a binary file, a log of garbage) stderr gets a count, not every line.
const PROBLEMS_SHOWN_PER_INPUT = 10;
// Files finished out of turn wait to be reported in input order; past this many, reading waits for them.
const MAX_WAITING = 256;
// A plain file this large is read in two parts at once (two-parts.ts); below it, one core reads it soon enough.
export const SPLIT_MIN_BYTES = 64 * 1024 * 1024;

export interface ScanContext {
  summary: SummaryBuilder;
  progress: Progress;
  /** Where records go: the matchers. */
  record: (record: CloudTrailRecord) => void;
  say: (line: string) => void;
  /** Listings given with --identity-store: read already, not inputs, even when they sit among the logs. */
  listings: Set<string>;
  read: Pick<ReadOptions, 'engine' | 'maxRecordBytes' | 'candidates' | 'stdin'>;
  /** Plain files at least this large are read in two parts at once (default SPLIT_MIN_BYTES; tests set less). */
  splitMinBytes?: number;
}

/** One input's counts, problems and notes, applied to the summary and shown on stderr (the first few of a flood). */
class InputReport {
  private shown = 0;
  private hidden = 0;
  private notesHidden = 0;

  constructor(private readonly label: string, private readonly ctx: ScanContext) {
    ctx.summary.input();
  }

  /** What reading the input (or one part of it) found; `before`: values of the file before this part. */
  add(result: FileResult, before = 0): void {
    this.ctx.summary.stats.merge(result.stats);
    for (const remark of result.remarks) {
      if (remark.type === 'note') this.note(remark.input, remark.message);
      // a part counts its values from its own start: "record N" of the file is N after the parts before it
      else if (before && remark.problem.record !== undefined) this.problem({ ...remark.problem, record: remark.problem.record + before });
      else this.problem(remark.problem);
    }
    const more = result.moreProblems;
    if (more.count) {
      if (this.shown + this.hidden === 0) this.ctx.summary.inputHadProblem();
      this.ctx.summary.moreProblems(more.count, more.recordsSkipped);
      this.hidden += more.count;
    }
    this.notesHidden += result.moreNotes;
    // digest files are counted, never said
    for (let i = 0; i < result.digests; i++) this.ctx.summary.note(this.label, '', true);
  }

  problem(problem: InputProblem): void {
    if (this.shown + this.hidden === 0) this.ctx.summary.inputHadProblem();
    this.ctx.summary.problem(problem);
    if (this.shown < PROBLEMS_SHOWN_PER_INPUT) {
      this.shown++;
      this.ctx.say(formatProblem(problem));
    } else this.hidden++;
  }

  note(input: string, message: string): void {
    this.ctx.summary.note(input, message, false);
    this.ctx.say(`note: ${input}: ${message}`);
  }

  /** `read`: the input was a file that was read (progress counts those). */
  end(read = true): void {
    if (this.hidden) this.ctx.say(`${this.label}: ${this.hidden} more problems not shown`);
    if (this.notesHidden) this.ctx.say(`${this.label}: ${this.notesHidden} more notes not shown`);
    if (read) this.ctx.progress.fileDone();
  }
}

/** A path that could not be read at all (missing, a directory that cannot be listed): an input with a problem. */
function unreadable(ctx: ScanContext, problem: InputProblem): void {
  const report = new InputReport(problem.input, ctx);
  report.problem(problem);
  report.end(false);
}

function skipped(ctx: ScanContext, input: Input): boolean {
  return input.kind === 'file' && ctx.listings.has(resolve(input.path));
}

interface Opened {
  resolved: Resolved;
  /** Being read: its first chunk is asked for as soon as it is opened. */
  file?: OpenFile;
}

/**
 * Reads every input in this thread, in order, as a worker thread does (read-file.ts) but with the records handed
 * straight to the matchers. The next input is opened while this one is read: disk reads and gunzip run on
 * libuv's threads, so on a tree of small .json.gz files this thread would otherwise wait for each file in turn
 * (a fifth of the time on the bench's tree, measured with --cpu-prof). One input ahead at most, so memory holds
 * at most one more chunk.
 */
export async function scanInline(walk: AsyncIterable<Resolved>, ctx: ScanContext): Promise<void> {
  // The input being read: its records reach the summary only when it ends, and progress counts them before.
  let reading: FileTally | undefined;
  const options = { ...ctx.read, onRead: (n: number) => ctx.progress.read(n, ctx.summary.recordCount + (reading?.stats.records ?? 0)) };
  const open = (resolved: Resolved): Opened => {
    if (resolved.type === 'problem' || skipped(ctx, resolved.input)) return { resolved };
    return { resolved, file: openFile({ input: resolved.input, options }) };
  };
  const read = async ({ resolved, file }: Opened): Promise<void> => {
    if (resolved.type === 'problem') return unreadable(ctx, resolved.problem);
    if (!file) return;
    const result = await file.read((tally) => {
      reading = tally;
      return {
        take({ record }) {
          tally.passed(record);
          ctx.record(record);
        },
      };
    });
    reading = undefined;
    apply(ctx, resolved.input, result);
  };
  const inputs = walk[Symbol.asyncIterator]();
  let next = await inputs.next();
  let current = next.done ? undefined : open(next.value);
  while (current) {
    next = await inputs.next();
    const ahead = next.done ? undefined : open(next.value);
    await read(current);
    current = ahead;
  }
}

/**
 * Reads files on `workers` threads at once. Records go to the matchers as they arrive; each file's counts,
 * problems and notes are applied in input order, so the report and stderr are the same as scanInline's.
 */
export async function scanParallel(walk: AsyncIterable<Resolved>, ctx: ScanContext, workers: number, single = false): Promise<void> {
  const pool = new FilePool(workers, ctx.read.maxRecordBytes, (records) => {
    for (const record of records) ctx.record(record);
  }, (bytes) => ctx.progress.read(bytes, ctx.summary.recordCount), single);
  let failure: unknown;
  const ready = new Map<number, () => void>();
  const inflight = new Set<Promise<void>>();
  let next = 0;
  let seq = 0;
  let wake: (() => void) | undefined;
  const settle = (n: number, apply: () => void) => {
    ready.set(n, apply);
    for (let step = ready.get(next); step; step = ready.get(next)) {
      ready.delete(next++);
      step();
    }
    wake?.();
  };
  const { stdin: _stdin, ...read } = ctx.read;
  const splitMin = ctx.splitMinBytes ?? SPLIT_MIN_BYTES;
  try {
    for await (const resolved of walk) {
      const n = seq++;
      if (resolved.type === 'problem') {
        const { problem } = resolved;
        settle(n, () => unreadable(ctx, problem));
        continue;
      }
      const input = resolved.input;
      if (skipped(ctx, input)) {
        settle(n, () => undefined);
        continue;
      }
      while (ready.size > MAX_WAITING && failure === undefined) await new Promise<void>((r) => (wake = r));
      if (failure !== undefined) throw failure;
      const plan = read.engine === 'split' && input.kind === 'file' && input.size >= splitMin ? planSplit(input.path, input.size) : undefined;
      let job: Promise<void>;
      if (plan && input.kind === 'file') {
        // One large file in two parts, one per core (two-parts.ts). The second part's seq is its own.
        const second = -1 - n;
        const first = await pool.start({ seq: n, input, options: read, range: { start: 0, end: plan.at, expect: plan.state } });
        const rest = await pool.start({ seq: second, input, options: read, range: { start: plan.at, resume: plan.state }, hold: true });
        // awaited only once the first part is done; if the pool fails first, the first part reports it
        rest.done.catch(() => undefined);
        job = first.done.then(async (a) => {
          const matched = a.split?.matched === true;
          pool.verdict(second, matched ? 'commit' : 'discard');
          const b = await rest.done;
          settle(n, () => (matched ? apply(ctx, input, a, b) : apply(ctx, input, a)));
        }).catch((error: unknown) => {
          failure ??= error;
          wake?.();
        });
      } else {
        const { done } = await pool.start({ seq: n, input, options: read });
        job = done.then(
          (result) => settle(n, () => apply(ctx, input, result)),
          (error: unknown) => {
            failure ??= error;
            wake?.();
          },
        );
      }
      inflight.add(job);
      void job.then(() => inflight.delete(job));
    }
    await Promise.all(inflight);
    if (failure !== undefined) throw failure;
  } finally {
    await pool.close();
  }
}

/**
 * One file's result, applied as one input, whichever thread read it; `second`: the rest of a file read in two
 * parts.
 */
function apply(ctx: ScanContext, input: Input, result: FileResult, second?: FileResult): void {
  const report = new InputReport(input.label, ctx);
  report.add(result);
  if (second) report.add(second, result.split?.values ?? 0);
  report.end();
}

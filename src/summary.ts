import { isInsight, parseEventTime, recordAccount, str, type CloudTrailRecord } from './event.js';
import type { InputProblem } from './errors.js';
import { compare } from './text.js';

// Distinct values kept per set: enough for any organization, bounded for hostile input.
const MAX_DISTINCT = 10_000;
const MAX_PROBLEMS_KEPT = 1_000;

/** What a scan read, as plain data: the reporters render it, tests compare it. */
export interface ScanSummary {
  inputs: number;
  /** Inputs with at least one problem, or that could not be read at all. */
  inputsWithProblems: number;
  digestFilesSkipped: number;
  records: number;
  insightsRecords: number;
  /** Values that were there but could not be read as records (malformed, not CloudTrail, truncated, too large). */
  recordsSkipped: number;
  /** Everything left out: skipped records plus digest files. */
  skipped: number;
  recordsWithoutTime: number;
  eventSources: { eventSource: string; records: number }[];
  timeRange: { first: string; last: string } | null;
  accounts: string[];
  regions: string[];
  problems: number;
  /** The first problems, in input order (all of them are printed on stderr as they occur). */
  errors: InputProblem[];
  notes: { input: string; message: string }[];
  /** The --since/--until/--account/--region filter applied to findings, in words; null without one. */
  filters: string | null;
}

export class SummaryBuilder {
  // Counted, not collected: a 10 GB S3 tree is 66,000 files. Problems and notes of one input arrive together.
  private inputs = 0;
  private inputsWithProblems = 0;
  private lastInput: string | undefined;
  private lastProblemInput: string | undefined;
  private digestFilesSkipped = 0;
  private records = 0;
  private insightsRecords = 0;
  private recordsSkipped = 0;
  private recordsWithoutTime = 0;
  private sources = new Map<string, number>();
  private first: number | undefined;
  private last: number | undefined;
  private accounts = new Set<string>();
  private regions = new Set<string>();
  private problemCount = 0;
  private errors: InputProblem[] = [];
  private notes: { input: string; message: string }[] = [];

  input(label: string): void {
    if (label !== this.lastInput) this.inputs++;
    this.lastInput = label;
  }

  get recordCount(): number {
    return this.records;
  }

  record(record: CloudTrailRecord): void {
    this.records++;
    if (isInsight(record)) this.insightsRecords++;
    const source = str(record.eventSource);
    if (source !== undefined) bump(this.sources, source);
    const time = parseEventTime(record.eventTime)?.getTime();
    if (time === undefined) this.recordsWithoutTime++;
    else {
      if (this.first === undefined || time < this.first) this.first = time;
      if (this.last === undefined || time > this.last) this.last = time;
    }
    addBounded(this.accounts, recordAccount(record));
    addBounded(this.regions, str(record.awsRegion));
  }

  problem(problem: InputProblem): void {
    this.problemCount++;
    this.input(problem.input);
    if (problem.input !== this.lastProblemInput) this.inputsWithProblems++;
    this.lastProblemInput = problem.input;
    if (problem.record !== undefined && !problem.kept) this.recordsSkipped++;
    if (this.errors.length < MAX_PROBLEMS_KEPT) this.errors.push(problem);
  }

  note(input: string, message: string, digest: boolean): void {
    if (digest) this.digestFilesSkipped++;
    else if (this.notes.length < MAX_PROBLEMS_KEPT) this.notes.push({ input, message });
  }

  build(filters: string | null = null): ScanSummary {
    const eventSources = [...this.sources]
      .map(([eventSource, records]) => ({ eventSource, records }))
      .sort((a, b) => b.records - a.records || compare(a.eventSource, b.eventSource));
    return {
      inputs: this.inputs,
      inputsWithProblems: this.inputsWithProblems,
      digestFilesSkipped: this.digestFilesSkipped,
      records: this.records,
      insightsRecords: this.insightsRecords,
      recordsSkipped: this.recordsSkipped,
      skipped: this.recordsSkipped + this.digestFilesSkipped,
      recordsWithoutTime: this.recordsWithoutTime,
      eventSources,
      timeRange: this.first === undefined || this.last === undefined
        ? null
        : { first: new Date(this.first).toISOString(), last: new Date(this.last).toISOString() },
      accounts: [...this.accounts].sort(compare),
      regions: [...this.regions].sort(compare),
      problems: this.problemCount,
      errors: this.errors,
      notes: this.notes,
      filters,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  const count = map.get(key);
  if (count !== undefined) map.set(key, count + 1);
  else if (map.size < MAX_DISTINCT) map.set(key, 1);
}

function addBounded(set: Set<string>, value: string | undefined): void {
  if (value !== undefined && value !== '' && set.size < MAX_DISTINCT) set.add(value);
}

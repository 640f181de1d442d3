import { eventTimeMs, isInsight, recordAccount, str, type CloudTrailRecord } from './event.js';
import type { InputProblem } from './errors.js';
import type { SummaryFields } from './read/framer/fields.js';
import { compare } from './text.js';

// Distinct values kept per set: enough for any organization, bounded for hostile input.
export const MAX_DISTINCT = 10_000;
// Problems and notes kept for the report (the rest are counted): a reader of one input keeps as many, so that an
// input's overflow never holds one the report would have shown.
export const MAX_PROBLEMS_KEPT = 1_000;

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
  /**
   * Records of an event that had reached the matchers already (the same eventID, source and name: CloudTrail
   * delivers some events twice; inputs may overlap), dropped before matching. Counted among the records that a
   * matcher reads, not among all records.
   */
  repeatedEvents: number;
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

/** What the records themselves show. Mergeable, so that worker threads can count files of their own. */
export interface RecordStatsSnapshot {
  records: number;
  insightsRecords: number;
  recordsWithoutTime: number;
  sources: [string, number][];
  first: number | undefined;
  last: number | undefined;
  accounts: string[];
  regions: string[];
}

export class RecordStats {
  records = 0;
  insightsRecords = 0;
  recordsWithoutTime = 0;
  sources = new Map<string, number>();
  first: number | undefined;
  last: number | undefined;
  accounts = new Set<string>();
  regions = new Set<string>();

  record(record: CloudTrailRecord): void {
    this.count(str(record.eventSource), record.eventTime, recordAccount(record), str(record.awsRegion), isInsight(record));
  }

  /** A record read by the fast path: the same fields, taken from its bytes. */
  counted(fields: SummaryFields): void {
    this.count(fields.eventSource, fields.eventTime, fields.recipientAccountId, fields.awsRegion, fields.eventType === 'AwsCloudTrailInsight');
  }

  private count(source: string | undefined, eventTime: unknown, account: string | undefined, region: string | undefined, insight: boolean): void {
    this.records++;
    if (insight) this.insightsRecords++;
    if (source !== undefined) bump(this.sources, source, 1);
    const time = eventTimeMs(eventTime);
    if (time === undefined) this.recordsWithoutTime++;
    else this.span(time, time);
    addBounded(this.accounts, account);
    addBounded(this.regions, region);
  }

  private span(first: number, last: number): void {
    if (this.first === undefined || first < this.first) this.first = first;
    if (this.last === undefined || last > this.last) this.last = last;
  }

  snapshot(): RecordStatsSnapshot {
    return {
      records: this.records, insightsRecords: this.insightsRecords, recordsWithoutTime: this.recordsWithoutTime,
      sources: [...this.sources], first: this.first, last: this.last, accounts: [...this.accounts], regions: [...this.regions],
    };
  }

  merge(other: RecordStatsSnapshot): void {
    this.records += other.records;
    this.insightsRecords += other.insightsRecords;
    this.recordsWithoutTime += other.recordsWithoutTime;
    for (const [source, count] of other.sources) bump(this.sources, source, count);
    if (other.first !== undefined && other.last !== undefined) this.span(other.first, other.last);
    for (const a of other.accounts) addBounded(this.accounts, a);
    for (const r of other.regions) addBounded(this.regions, r);
  }
}

export class SummaryBuilder {
  // Counted, not collected: a 10 GB S3 tree is 66,000 files.
  private inputs = 0;
  private inputsWithProblems = 0;
  private digestFilesSkipped = 0;
  private recordsSkipped = 0;
  private repeatedEvents = 0;
  readonly stats = new RecordStats();
  private problemCount = 0;
  private errors: InputProblem[] = [];
  private notes: { input: string; message: string }[] = [];

  /** One more input (a file, stdin, or a path that could not be read). */
  input(): void {
    this.inputs++;
  }

  /** The input just counted had a problem (called once per input, before its problems). */
  inputHadProblem(): void {
    this.inputsWithProblems++;
  }

  get recordCount(): number {
    return this.stats.records;
  }

  record(record: CloudTrailRecord): void {
    this.stats.record(record);
  }

  counted(fields: SummaryFields): void {
    this.stats.counted(fields);
  }

  repeats(count: number): void {
    this.repeatedEvents += count;
  }

  problem(problem: InputProblem): void {
    this.problemCount++;
    if (problem.record !== undefined && !problem.kept) this.recordsSkipped++;
    if (this.errors.length < MAX_PROBLEMS_KEPT) this.errors.push(problem);
  }

  /**
   * Problems of one input past the MAX_PROBLEMS_KEPT it kept, counted only (the report's list is full by then):
   * `recordsSkipped` of them skipped a record.
   */
  moreProblems(count: number, recordsSkipped: number): void {
    this.problemCount += count;
    this.recordsSkipped += recordsSkipped;
  }

  note(input: string, message: string, digest: boolean): void {
    if (digest) this.digestFilesSkipped++;
    else if (this.notes.length < MAX_PROBLEMS_KEPT) this.notes.push({ input, message });
  }

  build(filters: string | null = null): ScanSummary {
    const st = this.stats;
    const eventSources = [...st.sources]
      .map(([eventSource, records]) => ({ eventSource, records }))
      .sort((a, b) => b.records - a.records || compare(a.eventSource, b.eventSource));
    return {
      inputs: this.inputs,
      inputsWithProblems: this.inputsWithProblems,
      digestFilesSkipped: this.digestFilesSkipped,
      records: st.records,
      insightsRecords: st.insightsRecords,
      recordsSkipped: this.recordsSkipped,
      skipped: this.recordsSkipped + this.digestFilesSkipped,
      recordsWithoutTime: st.recordsWithoutTime,
      repeatedEvents: this.repeatedEvents,
      eventSources,
      timeRange: st.first === undefined || st.last === undefined
        ? null
        : { first: new Date(st.first).toISOString(), last: new Date(st.last).toISOString() },
      accounts: [...st.accounts].sort(compare),
      regions: [...st.regions].sort(compare),
      problems: this.problemCount,
      errors: this.errors,
      notes: this.notes,
      filters,
    };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const count = map.get(key);
  if (count !== undefined) map.set(key, count + by);
  else if (map.size < MAX_DISTINCT) map.set(key, by);
}

function addBounded(set: Set<string>, value: string | undefined): void {
  if (value !== undefined && value !== '' && set.size < MAX_DISTINCT) set.add(value);
}

import { resolve } from 'node:path';
import { formatProblem, UsageError, type InputProblem } from './errors.js';
import { describeFilter, failsOn, keepFinding, unmatchedFilters, type FindingFilter } from './filters.js';
import { loadAssignments } from './assignments.js';
import { loadDirectory } from './identity-store.js';
import { MatchRunner } from './match/runner.js';
import type { Finding, Severity } from './match/types.js';
import { noProgress, type Progress } from './progress.js';
import { resolveInputs, type Engine } from './read/index.js';
import type { Input, Resolved } from './read/inputs.js';
import { scanInline, scanParallel, SPLIT_MIN_BYTES, type ScanContext } from './scan-inputs.js';
import { renderJson, renderNdjsonLine } from './report/json.js';
import { MAX_DISTINCT, SummaryBuilder, type ScanSummary } from './summary.js';
import { safeText } from './text.js';

export const FORMATS = ['table', 'csv', 'markdown', 'json', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanOptions {
  inputs: string[];
  format: Format;
  engine: Engine;
  maxRecordBytes: number;
  color: boolean;
  /** Columns of the terminal for the table format. */
  width?: number;
  /** Matcher ids to run, already checked against the registry. */
  matchers: string[];
  principals: string[];
  recreateWindowMs: number;
  identityStores: string[];
  /** --assignments: aws sso-admin list-account-assignments / list-application-assignments / describe-permission-set output. */
  assignments?: string[];
  filter?: FindingFilter;
  failOn?: Severity;
  /** Threads that read files (0 or omitted: this thread only); used for large sets of files. */
  workers?: number;
  /** Use the workers whatever the size of the input (tests). */
  forceWorkers?: boolean;
  /** Read plain files from this size in two parts at once (tests; default SPLIT_MIN_BYTES). */
  splitMinBytes?: number;
  /** Parse every record (no fast path), so that any syntax error in any record is reported. */
  strict?: boolean;
}

export interface ScanIO {
  stdin: AsyncIterable<Buffer>;
  stdinIsTTY: boolean;
  /** One line for the user, without its newline. */
  stderr: (line: string) => void;
  /** Streams ndjson lines as findings are made; the other formats come back whole in `output`. */
  write?: (text: string) => void;
  progress?: Progress;
}

export interface ScanResult {
  summary: ScanSummary;
  findings: Finding[];
  output: string;
  exitCode: number;
}

/** Input problems outrank findings: a report on incomplete input says so first. */
export const EXIT = { ok: 0, findings: 1, inputProblems: 2, usage: 3, internal: 4 } as const;

const NO_FILTER: FindingFilter = { accounts: [], regions: [] };

/** read -> match -> filter -> render. The exit code is decided here and nowhere else. */
export async function scan(options: ScanOptions, io: ScanIO): Promise<ScanResult> {
  let paths = options.inputs;
  if (paths.length === 0) {
    if (io.stdinIsTTY) throw new UsageError('no input: give files or directories, or pipe CloudTrail logs into sso-logs scan', 'NO_INPUT');
    paths = ['-'];
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once', 'USAGE');

  const filter = options.filter ?? NO_FILTER;
  const summary = new SummaryBuilder();
  const say = (line: string) => io.stderr(`sso-logs: ${safeText(line)}`);
  const directory = await loadDirectory(options.identityStores);
  const assignments = await loadAssignments(options.assignments ?? []);
  const listings = new Set([...options.identityStores, ...(options.assignments ?? [])].map((p) => resolve(p)));
  const streaming = options.format === 'ndjson' && io.write !== undefined;
  const runner = new MatchRunner(
    options.matchers,
    { principals: options.principals, recreateWindowMs: options.recreateWindowMs, directory, assignments },
    (message) => {
      summary.note('(matchers)', message, false);
      say(`note: ${message}`);
    },
    streaming ? (finding) => { if (keepFinding(filter, finding)) io.write!(renderNdjsonLine(finding)); } : undefined,
  );

  const progress = io.progress ?? noProgress;
  // The walk is read ahead only as far as the choice of threads needs, and the scan goes on with the same walk:
  // a tree is walked once. The progress bar's ETA needs the whole size first: on a terminal only, a first walk
  // counts it (keeping the entries would cost memory on a tree of 66,000 files).
  // From the walk to the report the progress line (on a terminal) says what is going on, and it is gone before the
  // report is written: after the bar, finishing the matchers and rendering the table left the screen blank for
  // 4-6 s on a 300 MB tree.
  try {
    progress.status('sso-logs: looking through the inputs...');
    const walk = await lookAhead(paths, listings, options.workers !== 0 ? PARALLEL_MIN_BYTES : 0);
    const total = progress !== noProgress ? await totals(paths, listings) : walk.total;
    progress.start(progress === noProgress ? null : total);
    const ctx: ScanContext = {
      summary, progress, say, listings,
      ...(options.splitMinBytes === undefined ? {} : { splitMinBytes: options.splitMinBytes }),
      record: (record) => runner.record(record),
      read: { engine: options.engine, maxRecordBytes: options.maxRecordBytes, stdin: io.stdin, ...(options.strict ? {} : { candidates: runner.candidates() }) },
    };
    const workers = workerCount(options, total, streaming);
    if (workers > 1) await scanParallel(walk.inputs, ctx, workers, total?.files === 1);
    else await scanInline(walk.inputs, ctx);

    progress.status(`sso-logs: ${summary.recordCount.toLocaleString('en-US')} records read; the matchers are finishing...`);
    const all = runner.finish();
    const findings = all.filter((f) => keepFinding(filter, f));
    if (runner.repeats) {
      summary.repeats(runner.repeats);
      say(`note: ${runner.repeats} ${runner.repeats === 1 ? 'record repeats an event' : 'records repeat events'} read already (same eventID): each event was matched once. CloudTrail delivers some events in two log files, and overlapping inputs read events twice.`);
    }
    // A green run means the logs were read and nothing was found: input without a single record is a problem.
    if (summary.recordCount === 0) {
      const problem: InputProblem = { input: '(all inputs)', code: 'NO_RECORDS', message: nothingRead(summary.build()) };
      summary.problem(problem);
      say(formatProblem(problem));
    }
    const built = summary.build(describeFilter(filter));
    // A filter value that cannot match says so, and the run is not green: exit 3, as for a usage error.
    const unmatched = built.records ? unmatchedFilters(filter, built, all, MAX_DISTINCT) : [];
    for (const line of unmatched) say(`${line} [FILTER_UNMATCHED]`);
    const exitCode = unmatched.length ? EXIT.usage : built.problems > 0 ? EXIT.inputProblems : failsOn(findings, options.failOn) ? EXIT.findings : EXIT.ok;
    if (!streaming) progress.status(`sso-logs: writing the report (${findings.length.toLocaleString('en-US')} finding${findings.length === 1 ? '' : 's'})...`);
    return { summary: built, findings, output: streaming ? '' : await render(options, built, findings), exitCode };
  } finally {
    progress.stop();
  }
}

/** What was found instead of records, and what sso-logs reads. */
function nothingRead(summary: ScanSummary): string {
  const found = [`${summary.inputs} input${summary.inputs === 1 ? '' : 's'}`];
  if (summary.digestFilesSkipped) found.push(`${summary.digestFilesSkipped} of them CloudTrail digest files (skipped: they list log files, they hold no events)`);
  if (summary.problems) found.push(`${summary.problems} problem${summary.problems === 1 ? '' : 's'} reported above`);
  if (summary.notes.length) found.push(`${summary.notes.length} note${summary.notes.length === 1 ? '' : 's'} above`);
  return `no CloudTrail record was read (${found.join('; ')}). sso-logs reads CloudTrail log files ({"Records":[...]}, plain or .json.gz, ` +
    'as under AWSLogs/<account>/CloudTrail/<region>/), Event history downloads, aws cloudtrail lookup-events output, JSON Lines of records, ' +
    'CloudTrail Lake and Athena query results';
}

// Each reporter is loaded when it is used: their libraries (cli-table3, csv-stringify) cost start-up time.
async function render(options: ScanOptions, summary: ScanSummary, findings: Finding[]): Promise<string> {
  switch (options.format) {
    case 'csv': return (await import('./report/csv.js')).renderCsv(findings);
    case 'markdown': return (await import('./report/markdown.js')).renderMarkdown(summary, findings);
    case 'json': return renderJson(summary, findings);
    case 'ndjson': return findings.map(renderNdjsonLine).join('');
    case 'table': return (await import('./report/table.js')).renderTable(summary, findings, { color: options.color, width: options.width ?? 80 });
  }
}

// Below this much input, starting worker threads costs more than it saves.
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/**
 * How many threads read files: one per core (at most `options.workers`) for a large set of files. Standard input
 * is read here, and ndjson keeps the order in which findings are made, so both stay on this thread.
 */
function workerCount(options: ScanOptions, total: Totals | null, streaming: boolean): number {
  if (!options.workers || total === null || streaming) return 0;
  if (options.forceWorkers) return options.workers;
  // one file is worth threads when it is large enough to be read in two parts (a plain file; see two-parts.ts)
  if (total.files < 2) return total.bytes >= SPLIT_MIN_BYTES && options.engine === 'split' ? options.workers : 0;
  return total.work >= PARALLEL_MIN_BYTES ? options.workers : 0;
}

/**
 * The inputs, walked ahead until `bytes` of files are seen in at least two files (enough to choose threads), or
 * to the end: how many files and bytes it saw (complete when the walk ended), and the whole walk again, the
 * entries seen first. Standard input has no size: null, and no threads.
 */
async function lookAhead(paths: string[], listings: Set<string>, bytes: number): Promise<{ total: Totals | null; inputs: AsyncIterable<Resolved> }> {
  const walk = resolveInputs(paths)[Symbol.asyncIterator]();
  const seen: Resolved[] = [];
  let files = 0;
  let size = 0;
  let work = 0;
  let done = paths.includes('-') || bytes <= 0;
  while (!done) {
    const next = await walk.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    if (next.value.type === 'input' && next.value.input.kind === 'file' && !listings.has(resolve(next.value.input.path))) {
      files++;
      size += next.value.input.size;
      work += workOf(next.value.input);
    }
    if (files >= 2 && work >= bytes) break;
  }
  const inputs = (async function* () {
    yield* seen.splice(0);
    for (let next = await walk.next(); !next.done; next = await walk.next()) yield next.value;
  })();
  return { total: paths.includes('-') || bytes <= 0 ? null : { files, bytes: size, work }, inputs };
}

/** For the progress bar's ETA: how many files and bytes the inputs hold (a walk without reading). */
async function totals(paths: string[], listings: Set<string>): Promise<Totals | null> {
  if (paths.includes('-')) return null;
  let files = 0;
  let bytes = 0;
  let work = 0;
  for await (const resolved of resolveInputs(paths)) {
    if (resolved.type !== 'input' || resolved.input.kind !== 'file' || listings.has(resolve(resolved.input.path))) continue;
    files++;
    bytes += resolved.input.size;
    work += workOf(resolved.input);
  }
  return { files, bytes, work };
}

interface Totals {
  files: number;
  bytes: number;
  /** The bytes to frame, estimated: a .gz file holds about GZIP_RATIO times its size. */
  work: number;
}

// CloudTrail's .json.gz files inflate 6-10 times (the bench's tree: 31 MB for 200 MB of JSON); their size on
// disk understates the work, and a tree of 31 MB was read on one thread, at 1.3 s instead of 1.1 s on two.
const GZIP_RATIO = 6;

function workOf(input: Input): number {
  return input.kind === 'file' && /\.gz$/i.test(input.path) ? input.size * GZIP_RATIO : input.kind === 'file' ? input.size : 0;
}

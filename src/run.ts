import { resolve } from 'node:path';
import { formatProblem, UsageError } from './errors.js';
import { describeFilter, failsOn, keepFinding, type FindingFilter } from './filters.js';
import { loadDirectory } from './identity-store.js';
import { MatchRunner } from './match.js';
import type { Finding, Severity } from './matchers/types.js';
import { noProgress, type Progress } from './progress.js';
import { readInput, resolveInputs, type Engine, type Input } from './read/index.js';
import { renderCsv } from './report/csv.js';
import { renderJson, renderNdjsonLine } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { renderTable } from './report/table.js';
import { SummaryBuilder, type ScanSummary } from './summary.js';
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
  filter?: FindingFilter;
  failOn?: Severity;
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

// Past this many problems in one input (a binary file, a log of garbage) stderr gets a count, not every line.
const PROBLEMS_SHOWN_PER_INPUT = 10;
const NO_FILTER: FindingFilter = { accounts: [], regions: [] };

/** read -> match -> filter -> render. The exit code is decided here and nowhere else. */
export async function scan(options: ScanOptions, io: ScanIO): Promise<ScanResult> {
  let paths = options.inputs;
  if (paths.length === 0) {
    if (io.stdinIsTTY) throw new UsageError('no input: give files or directories, or pipe CloudTrail logs into sso-logs scan');
    paths = ['-'];
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once');

  const filter = options.filter ?? NO_FILTER;
  const summary = new SummaryBuilder();
  const say = (line: string) => io.stderr(`sso-logs: ${safeText(line)}`);
  const directory = await loadDirectory(options.identityStores);
  const listings = new Set(options.identityStores.map((p) => resolve(p)));
  const streaming = options.format === 'ndjson' && io.write !== undefined;
  const runner = new MatchRunner(
    options.matchers,
    { principals: options.principals, recreateWindowMs: options.recreateWindowMs, directory },
    (message) => {
      summary.note('(matchers)', message, false);
      say(`note: ${message}`);
    },
    streaming ? (finding) => { if (keepFinding(filter, finding)) io.write!(renderNdjsonLine(finding)); } : undefined,
  );

  const progress = io.progress ?? noProgress;
  progress.start(progress === noProgress ? null : await totals(paths, listings));
  try {
    for await (const resolved of resolveInputs(paths)) {
      if (resolved.type === 'problem') {
        summary.problem(resolved.problem);
        say(formatProblem(resolved.problem));
        continue;
      }
      // A listing given with --identity-store may sit among the logs: it was read already, it is not an input.
      if (resolved.input.kind === 'file' && listings.has(resolve(resolved.input.path))) continue;
      await readOne(resolved.input, options, io, summary, runner, progress, say);
      progress.fileDone();
    }
  } finally {
    progress.stop();
  }

  const findings = runner.finish().filter((f) => keepFinding(filter, f));
  const built = summary.build(describeFilter(filter));
  const exitCode = built.problems > 0 ? EXIT.inputProblems : failsOn(findings, options.failOn) ? EXIT.findings : EXIT.ok;
  return { summary: built, findings, output: streaming ? '' : render(options, built, findings), exitCode };
}

function render(options: ScanOptions, summary: ScanSummary, findings: Finding[]): string {
  switch (options.format) {
    case 'csv': return renderCsv(findings);
    case 'markdown': return renderMarkdown(summary, findings);
    case 'json': return renderJson(summary, findings);
    case 'ndjson': return findings.map(renderNdjsonLine).join('');
    case 'table': return renderTable(summary, findings, { color: options.color, width: options.width ?? 80 });
  }
}

/** For the progress bar's ETA: how many files and bytes the inputs hold (a walk without reading). */
async function totals(paths: string[], listings: Set<string>): Promise<{ files: number; bytes: number } | null> {
  if (paths.includes('-')) return null;
  let files = 0;
  let bytes = 0;
  for await (const resolved of resolveInputs(paths)) {
    if (resolved.type !== 'input' || resolved.input.kind !== 'file' || listings.has(resolve(resolved.input.path))) continue;
    files++;
    bytes += resolved.input.size;
  }
  return { files, bytes };
}

async function readOne(input: Input, options: ScanOptions, io: ScanIO, summary: SummaryBuilder, runner: MatchRunner, progress: Progress, say: (line: string) => void) {
  summary.input(input.label);
  let shown = 0;
  let hidden = 0;
  const readOptions = {
    engine: options.engine, maxRecordBytes: options.maxRecordBytes, stdin: io.stdin,
    ...(progress === noProgress ? {} : { onRead: (n: number) => progress.read(n, summary.recordCount) }),
  };
  for await (const event of readInput(input, readOptions)) {
    if (event.type === 'record') {
      summary.record(event.record);
      runner.record(event.record);
    } else if (event.type === 'problem') {
      summary.problem(event.problem);
      if (shown < PROBLEMS_SHOWN_PER_INPUT) {
        shown++;
        say(formatProblem(event.problem));
      } else {
        hidden++;
      }
    } else {
      summary.note(event.input, event.message, event.digest === true);
      if (!event.digest) say(`note: ${event.input}: ${event.message}`);
    }
  }
  if (hidden) say(`${input.label}: ${hidden} more problems not shown`);
}

import { resolve } from 'node:path';
import { formatProblem, UsageError } from './errors.js';
import { loadDirectory } from './identity-store.js';
import { MatchRunner } from './match.js';
import type { Finding } from './matchers/types.js';
import { readInput, resolveInputs, type Engine, type Input } from './read/index.js';
import { renderJson } from './report/json.js';
import { renderTable } from './report/table.js';
import { SummaryBuilder, type ScanSummary } from './summary.js';
import { safeText } from './text.js';

export type Format = 'table' | 'json';

export interface ScanOptions {
  inputs: string[];
  format: Format;
  engine: Engine;
  maxRecordBytes: number;
  color: boolean;
  /** Matcher ids to run, already checked against the registry. */
  matchers: string[];
  principals: string[];
  recreateWindowMs: number;
  identityStores: string[];
}

export interface ScanIO {
  stdin: AsyncIterable<Buffer>;
  stdinIsTTY: boolean;
  /** One line for the user, without its newline. */
  stderr: (line: string) => void;
}

export interface ScanResult {
  summary: ScanSummary;
  findings: Finding[];
  output: string;
  exitCode: number;
}

export const EXIT = { ok: 0, findings: 1, inputProblems: 2, usage: 3, internal: 4 } as const;

// Past this many problems in one input (a binary file, a log of garbage) stderr gets a count, not every line.
const PROBLEMS_SHOWN_PER_INPUT = 10;

/** read -> summarise -> render. The exit code is decided here and nowhere else. */
export async function scan(options: ScanOptions, io: ScanIO): Promise<ScanResult> {
  let paths = options.inputs;
  if (paths.length === 0) {
    if (io.stdinIsTTY) throw new UsageError('no input: give files or directories, or pipe CloudTrail logs into sso-logs scan');
    paths = ['-'];
  }
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once');

  const summary = new SummaryBuilder();
  const say = (line: string) => io.stderr(`sso-logs: ${safeText(line)}`);
  const directory = await loadDirectory(options.identityStores);
  const listings = new Set(options.identityStores.map((p) => resolve(p)));
  const matchOptions = { principals: options.principals, recreateWindowMs: options.recreateWindowMs, directory };
  const runner = new MatchRunner(options.matchers, matchOptions, (message) => {
    summary.note('(matchers)', message, false);
    say(`note: ${message}`);
  });
  for await (const resolved of resolveInputs(paths)) {
    if (resolved.type === 'problem') {
      summary.problem(resolved.problem);
      say(formatProblem(resolved.problem));
      continue;
    }
    // A listing given with --identity-store may sit among the logs: it was read already, it is not an input.
    if (resolved.input.kind === 'file' && listings.has(resolve(resolved.input.path))) continue;
    await readOne(resolved.input, options, io, summary, runner, say);
  }
  const findings = runner.finish();
  const built = summary.build();
  const output = options.format === 'json' ? renderJson(built, findings) : renderTable(built, findings, { color: options.color });
  return { summary: built, findings, output, exitCode: built.problems > 0 ? EXIT.inputProblems : EXIT.ok };
}

async function readOne(input: Input, options: ScanOptions, io: ScanIO, summary: SummaryBuilder, runner: MatchRunner, say: (line: string) => void) {
  summary.input(input.label);
  let shown = 0;
  let hidden = 0;
  const readOptions = { engine: options.engine, maxRecordBytes: options.maxRecordBytes, stdin: io.stdin };
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

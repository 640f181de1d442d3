import { availableParallelism } from 'node:os';
import yargs from 'yargs';
import { athenaDdl, athenaQuery } from './athena/command.js';
import { parseDuration } from './duration.js';
import { describeSystemError, UsageError } from './errors.js';
import { MATCHER_IDS, MATCHERS } from './match/registry.js';
import type { Engine } from './read/index.js';
import { accountIds, listValues, parseTimeBound, regionNames } from './filters.js';
import { canRun } from './match/runner.js';
import { describeCandidates } from './candidates.js';
import type { Severity } from './match/types.js';
import { fileOutput, stdoutOutput, type Output } from './output.js';
import { noProgress, type Progress } from './progress.js';
import { EXIT, FORMATS, scan, type Format } from './run.js';

const MIB = 1024 * 1024;
const EXIT_CODES = 'Exit codes: 0 the input was read and nothing at or above --fail-on was found; 1 findings at or above --fail-on; 2 some input could not be read, or no CloudTrail record at all (the report covers the rest; this outranks 1); 3 usage error, or a --account/--region/--since/--until value that no record of the input can match (outranks 2); 4 internal error (a bug: never read it as findings).';

/** --matcher and --exclude to the list of matcher ids to run; an unknown id is a usage error naming the valid ones. */
export function chooseMatchers(only: readonly string[], exclude: readonly string[]): string[] {
  for (const id of [...only, ...exclude]) {
    if (!MATCHERS[id]) throw new UsageError(`unknown matcher ${JSON.stringify(id)}; the matchers are: ${MATCHER_IDS.join(', ')}`, 'UNKNOWN_MATCHER');
  }
  return MATCHER_IDS.filter((id) => (only.length === 0 || only.includes(id)) && !exclude.includes(id));
}

/**
 * The matchers that can run with these options. One asked for by name that cannot (scim-principal-activity
 * without --principal) is a usage error; so is none left at all. A default one that cannot is left out quietly.
 */
function runnable(ids: readonly string[], asked: readonly string[], principals: readonly string[]): string[] {
  for (const id of asked) {
    if (!canRun(MATCHERS[id]!.meta, { principals: [...principals] })) {
      throw new UsageError(`${id} needs --principal: the user or group names or IDs to follow (sso-logs scan ... -m ${id} -p jdoe@example.com)`, 'MATCHER_NEEDS_OPTION');
    }
  }
  const left = ids.filter((id) => canRun(MATCHERS[id]!.meta, { principals: [...principals] }));
  if (!left.length) throw new UsageError(`no matcher left to run: --matcher and --exclude leave none of ${MATCHER_IDS.join(', ')}`, 'NO_MATCHER');
  return left;
}

/** Each matcher as a block of labelled lines: the IDs a user types are never cut, at any width. */
export async function listMatchers(format: string, width = 80): Promise<string> {
  const rows = MATCHER_IDS.map((id) => {
    const { meta, candidates } = MATCHERS[id]!;
    return { ...meta, looksAt: describeCandidates(candidates) };
  });
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const { default: Table } = await import('cli-table3');
  const label = 17;
  const text = Math.max(30, Math.min(width, 120) - label - 3);
  const chars = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '  ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ' };
  const blocks = rows.map((m) => {
    const table = new Table({ chars, colWidths: [label, text], wordWrap: true, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
    table.push(
      ['title', m.title],
      ['looks at', m.looksAt],
      ...(m.requires ? [['requires', `--${m.requires}`]] : []),
      ['record shape', `${m.shape.evidence}: ${m.shape.note}`],
      ['false positives', m.falsePositives],
    );
    // The ID and the link stand on lines of their own: they are typed and copied, so they are never wrapped.
    return `${m.id} (${m.severity})\n${table.toString().replace(/ +$/gm, '')}\n  guide: ${m.docUrl}\n`;
  });
  return `${blocks.join('\n')}\n`;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

function openOutput(path: string): Output {
  try {
    return fileOutput(path);
  } catch (error) {
    throw new UsageError(`--output ${path}: ${describeSystemError(error)}`, 'BAD_OUTPUT');
  }
}

/**
 * `--since -7d` reaches yargs as flags -7 and -d ("Unknown arguments: 7, d"): say instead that durations count
 * back from now and take no sign.
 */
function signedDurations(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--since' && flag !== '--until') continue;
    const value = inline ?? argv[i + 1];
    if (value !== undefined && /^-\d/.test(value)) {
      throw new UsageError(`${flag} ${value}: a duration counts back from now and takes no sign: ${flag} ${value.slice(1)} means ${value.slice(1)} ago`);
    }
  }
}

/** Parses the command line, runs the command, and returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  let output: Output | undefined;
  let progress: Progress = noProgress;
  // Ctrl-C: stop at once, and leave no half-written --output file behind.
  const interrupted = () => {
    output?.abort();
    progress.stop();
    process.stderr.write('\nsso-logs: interrupted\n');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  // `sso-logs scan big | head -1`: a closed pipe ends the output quietly, not with an EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`sso-logs: cannot write the report: ${describeSystemError(error)}\n`);
    process.exit(error.code === 'EPIPE' ? exitCode : EXIT.internal);
  });
  try {
    signedDurations(argv);
    await yargs(argv)
      .scriptName('sso-logs')
      .usage('$0 <command> [options]\n\nReads exported AWS CloudTrail logs and explains IAM Identity Center (AWS SSO) problems.')
      .command(
        'scan [inputs..]',
        'read CloudTrail exports (files, directories, - for stdin) and report Identity Center problems',
        (y) => y
          .positional('inputs', {
            describe: 'files or directories (walked recursively); - or nothing with a pipe reads standard input',
            type: 'string',
            array: true,
            default: [] as string[],
          })
          .option('format', { alias: 'f', choices: FORMATS, default: 'table' as Format, describe: 'output format' })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file (whole or not at all) instead of stdout' })
          .option('since', { type: 'string', describe: 'only findings whose events reach this time: ISO 8601 date-time, a date (its start, UTC), or a duration back from now (90m, 36h, 7d, 2w)' })
          .option('until', { type: 'string', describe: 'only findings whose events begin by this time: a date-time, a date (the whole UTC day), or a duration. A finding that groups several events is kept when its first-to-last span overlaps --since..--until' })
          .option('account', { type: 'string', array: true, describe: 'only findings in this AWS account (repeatable)' })
          .option('region', { type: 'string', array: true, describe: 'only findings in this region (repeatable)' })
          .option('fail-on', { choices: ['error', 'warning', 'info'] as const, describe: 'exit 1 when a finding at or above this severity is reported' })
          .option('progress', { type: 'boolean', default: true, describe: 'show progress on stderr when it is a terminal (--no-progress to hide)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress and no notes on stderr; problems are still reported' })
          .option('matcher', { alias: 'm', type: 'string', array: true, describe: 'run only this matcher (repeatable; see sso-logs matchers)' })
          .option('exclude', { alias: 'x', type: 'string', array: true, describe: 'do not run this matcher (repeatable)' })
          .option('principal', { alias: 'p', type: 'string', array: true, describe: 'user or group name or ID to follow through SCIM, Identity Store and assignment events (repeatable)' })
          .option('identity-store', { type: 'string', array: true, describe: 'output of aws identitystore list-users / list-groups, to name users and groups (repeatable)' })
          .option('assignments', { type: 'string', array: true, describe: 'output of aws sso-admin list-account-assignments / list-application-assignments / describe-permission-set, several in a file allowed: the current assignments to check against the --identity-store listings (repeatable; docs/assignments.md)' })
          .option('recreate-window', { type: 'string', default: '24h', describe: 'how soon after a SCIM delete a create of the same kind counts as its re-creation when names are hidden' })
          .option('strict', { type: 'boolean', default: false, describe: 'parse every record in full, to report any syntax error (slower: by default records no matcher needs are only counted)' })
          .option('max-record-mib', { type: 'number', default: 32, describe: 'largest record read, in MiB; larger ones are reported and skipped' })
          .option('workers', { type: 'number', hidden: true, describe: 'threads that read files: 0 for none; a number forces them even for small inputs (tests, benchmarks)' })
          .option('split-min-mib', { type: 'number', hidden: true, describe: 'read plain files from this size (MiB) in two parts at once (tests, benchmarks)' })
          .option('engine', { choices: ['split', 'stream-json'] as const, default: 'split' as const, hidden: true, describe: 'JSON reader: split (fast, recovers from bad records) or stream-json (validating, stops at the first error)' })
          .check((args) => {
            const max = args['max-record-mib'];
            // 511: a record is parsed from one string, and V8 strings stop short of 512 MiB.
            if (!Number.isFinite(max) || max < 1 || max > 511) throw new UsageError('--max-record-mib takes a number of MiB from 1 to 511');
            return true;
          })
          .example('$0 scan ./AWSLogs', 'every export under a directory')
          .example('zcat *.json.gz | $0 scan', 'from a pipe')
          .example('aws cloudtrail lookup-events --max-results 50 | $0 scan -', 'lookup-events output')
          .example('$0 scan ./logs -p jdoe@example.com --identity-store users.json', 'the SCIM timeline of one user')
          .epilogue(`Each CloudTrail event is matched once: a record repeating an event already read (same eventID; CloudTrail delivers some events in two log files, and overlapping inputs or a trail beside a lookup-events export read events twice) is dropped, and the summary counts it. Findings do not depend on the order records are read in.\n\n${EXIT_CODES}`),
        async (args) => {
          const now = new Date();
          const since = args.since === undefined ? undefined : parseTimeBound(args.since, '--since', now);
          const until = args.until === undefined ? undefined : parseTimeBound(args.until, '--until', now, 'end');
          if (since && until && since > until) throw new UsageError('--since is after --until: no finding could be reported', 'BAD_WINDOW');
          const principals = listValues(strings(args.principal), '--principal', 'a user name, group name or ID');
          const options = {
            inputs: strings(args.inputs),
            format: args.format as Format,
            engine: args.engine as Engine,
            maxRecordBytes: Math.floor(args['max-record-mib'] * MIB),
            color: !args.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
            width: !args.output && process.stdout.isTTY ? process.stdout.columns || 80 : 80,
            matchers: runnable(chooseMatchers(strings(args.matcher), strings(args.exclude)), strings(args.matcher), principals),
            principals,
            recreateWindowMs: parseDuration(args['recreate-window'], '--recreate-window'),
            identityStores: strings(args['identity-store']),
            assignments: strings(args.assignments),
            filter: {
              ...(since ? { since } : {}), ...(until ? { until } : {}),
              accounts: accountIds(strings(args.account), '--account'), regions: regionNames(strings(args.region), '--region'),
            },
            ...(args['fail-on'] ? { failOn: args['fail-on'] as Severity } : {}),
            workers: args.workers ?? Math.min(2, availableParallelism()),
            forceWorkers: args.workers !== undefined,
            ...(args['split-min-mib'] === undefined ? {} : { splitMinBytes: Math.floor(args['split-min-mib'] * MIB) }),
            strict: args.strict,
          };
          const showProgress = args.progress && !args.quiet && Boolean(process.stderr.isTTY);
          progress = showProgress ? (await import('./progress-bar.js')).terminalProgress(process.stderr) : noProgress;
          output = args.output ? openOutput(args.output) : stdoutOutput();
          const quietStderr = (line: string) => {
            if (!(args.quiet && line.startsWith('sso-logs: note: '))) progress.log(line);
          };
          // ndjson streamed to the terminal the progress line is on goes above it too; to a pipe or a file it
          // need not, and taking the line away for every finding would make it flicker.
          const sharesTerminal = !args.output && Boolean(process.stdout.isTTY);
          const write = (text: string) => (sharesTerminal ? progress.above(() => output!.write(text)) : output!.write(text));
          const result = await scan(options, {
            stdin: process.stdin, stdinIsTTY: Boolean(process.stdin.isTTY), stderr: quietStderr, progress, write,
          });
          output.write(result.output);
          output.commit();
          exitCode = result.exitCode;
        },
      )
      .command(
        'saml [input]',
        'check a SAML response to IAM Identity Center: from a HAR, a SAML-tracer export, the SAMLResponse value, or its XML',
        (y) => y
          .positional('input', { describe: 'the capture: a file, or - (or nothing, with a pipe) for standard input', type: 'string' })
          .option('format', { alias: 'f', choices: FORMATS, default: 'table' as Format, describe: 'output format' })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file (whole or not at all) instead of stdout' })
          .option('identity-store', { type: 'string', array: true, describe: 'output of aws identitystore list-users, to check the NameID against user names (repeatable)' })
          .option('fail-on', { choices: ['error', 'warning', 'info'] as const, describe: 'exit 1 when a finding at or above this severity is reported' })
          .example('$0 saml signin.har --identity-store users.json', 'the SAML response a browser export holds, checked against the user names')
          .example('pbpaste | $0 saml -', 'a SAMLResponse value copied from the browser')
          .epilogue(`Reads no DTD and expands no entity; refuses input over 16 MiB. From a HAR only the SAMLResponse posted to the ACS URL is read: cookies and headers are never printed.\n\n${EXIT_CODES}`),
        async (args) => {
          // yargs reads a lone `-` as an empty string: it is standard input, and an empty argument (an unset variable) a mistake.
          if (args.input === '' && !argv.includes('-')) throw new UsageError('the input is an empty string (an unset shell variable?)', 'EMPTY_VALUE');
          const input = args.input === '' ? '-' : args.input ?? (process.stdin.isTTY ? '' : '-');
          const { saml } = await import('./saml/command.js');
          const result = await saml({
            input,
            format: args.format as Format,
            color: !args.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
            width: !args.output && process.stdout.isTTY ? process.stdout.columns || 80 : 80,
            identityStores: strings(args['identity-store']),
            ...(args['fail-on'] ? { failOn: args['fail-on'] as Severity } : {}),
          }, { stdin: process.stdin, stderr });
          if (result.summary) {
            output = args.output ? openOutput(args.output) : stdoutOutput();
            output.write(result.output);
            output.commit();
          }
          exitCode = result.exitCode;
        },
      )
      .command(
        'matchers',
        'list the matchers: id, severity, title, and what each looks at',
        (y) => y.option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const, describe: 'output format' }),
        async (args) => {
          process.stdout.write(await listMatchers(args.format, process.stdout.isTTY ? process.stdout.columns || 80 : 80));
        },
      )
      .command(
        'athena <command>',
        'organization scale: print the Athena table for a trail, or the query whose results sso-logs scan reads',
        (y) => y
          .command(
            'ddl',
            'print CREATE EXTERNAL TABLE for the trail: AWS\'s CloudTrail table, with partition projection over account, region and day',
            (z) => z
              .option('bucket', { type: 'string', demandOption: true, describe: 'the S3 bucket the trail delivers to' })
              .option('prefix', { type: 'string', describe: 'the trail\'s S3 key prefix, if it has one' })
              .option('org-id', { type: 'string', describe: 'for an organization trail, the organization ID (o-...)' })
              .option('accounts', { type: 'string', array: true, demandOption: true, describe: 'account IDs the trail holds (space- or comma-separated)' })
              .option('regions', { type: 'string', array: true, demandOption: true, describe: 'regions the trail logs (space- or comma-separated)' })
              .option('table', { type: 'string', default: 'cloudtrail_logs', describe: 'the table to create' })
              .option('from', { type: 'string', default: '2020/01/01', describe: 'first day the projection covers (yyyy/MM/dd)' })
              .example('$0 athena ddl --bucket org-trail-logs --org-id o-a1b2c3d4e5 --accounts 111122223333,444455556666 --regions us-east-1,eu-west-1', ''),
            (args) => {
              process.stdout.write(athenaDdl({
                table: args.table, bucket: args.bucket, prefix: args.prefix, orgId: args['org-id'],
                accounts: accountIds(strings(args.accounts), '--accounts'), regions: regionNames(strings(args.regions), '--regions'), from: args.from,
              }));
            },
          )
          .command(
            'query',
            'print one SELECT of every record the matchers can use, reading only the days, accounts and regions asked for',
            (z) => z
              .option('table', { type: 'string', default: 'cloudtrail_logs', describe: 'the table made with athena ddl' })
              .option('since', { type: 'string', describe: 'first day to read: ISO 8601 date or date-time, or a duration back from now (7d, 2w)' })
              .option('until', { type: 'string', describe: 'last day to read, whole (same forms as --since; a date alone is that whole UTC day, as in scan)' })
              .option('account', { type: 'string', array: true, describe: 'only these accounts (repeatable, or comma-separated)' })
              .option('region', { type: 'string', array: true, describe: 'only these regions (repeatable, or comma-separated)' })
              .option('matcher', { alias: 'm', type: 'string', array: true, describe: 'only the records this matcher uses (repeatable)' })
              .option('exclude', { alias: 'x', type: 'string', array: true, describe: 'not the records only this matcher uses (repeatable)' })
              .option('principal', { alias: 'p', type: 'string', array: true, describe: 'with scim-principal-activity: include the events it follows' })
              .example('$0 athena query --since 30d > query.sql', ''),
            (args) => {
              const now = new Date();
              const since = args.since === undefined ? undefined : parseTimeBound(args.since, '--since', now);
              const until = args.until === undefined ? undefined : parseTimeBound(args.until, '--until', now, 'end');
              if (since && until && since > until) throw new UsageError('--since is after --until', 'BAD_WINDOW');
              const principals = listValues(strings(args.principal), '--principal', 'a user name, group name or ID');
              process.stdout.write(athenaQuery({
                table: args.table, matchers: runnable(chooseMatchers(strings(args.matcher), strings(args.exclude)), strings(args.matcher), principals),
                principals,
                since, until, accounts: accountIds(strings(args.account), '--account'), regions: regionNames(strings(args.region), '--region'),
              }));
            },
          )
          .demandCommand(1, 'give athena ddl or athena query'),
      )
      .demandCommand(1, 'give a command: sso-logs scan <inputs..>, sso-logs saml <capture>, sso-logs matchers, or sso-logs athena ddl|query')
      .strict()
      .epilogue(EXIT_CODES)
      .exitProcess(false)
      .fail((message, error) => {
        if (error && !(error instanceof UsageError) && message === null) throw error;
        throw new UsageError(message ?? error?.message ?? 'usage error', 'USAGE');
      })
      .help()
      .alias('h', 'help')
      .version()
      // yargs renders the whole help text after every command it runs (to cache it); wrapping it costs ~25 ms of
      // start-up, so it is wrapped only when help is what was asked for.
      .wrap(argv.some((a) => a === '-h' || a === '--help') ? Math.min(100, process.stdout.columns || 80) : null)
      .parseAsync();
    return exitCode;
  } catch (error) {
    output?.abort();
    if (error instanceof UsageError) {
      stderr(`sso-logs: ${error.message} [${error.code}]`);
      stderr('Run sso-logs --help for usage.');
      return EXIT.usage;
    }
    stderr(`sso-logs: internal error: ${error instanceof Error ? error.message : String(error)}`);
    stderr('This is a bug in sso-logs; please report it with the command you ran.');
    if (process.env.SSO_LOGS_DEBUG && error instanceof Error) stderr(error.stack ?? '');
    return EXIT.internal;
  }
}

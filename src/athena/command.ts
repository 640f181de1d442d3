import { UsageError } from '../errors.js';
import { IdentityDirectory } from '../identity-store.js';
import { MatchRunner } from '../match/runner.js';
import { renderDdl } from './ddl.js';
import { renderQuery } from './query.js';

// Everything below ends up inside SQL text: only the shapes AWS gives these names pass, so that no value can
// close a quote or a statement.
const SHAPES = {
  table: [/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'a table name (letters, digits, _; database.table allowed)'],
  bucket: [/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'],
  prefix: [/^[A-Za-z0-9!_.*()/-]*$/, 'an S3 key prefix (letters, digits and ! _ . * ( ) / -)'],
  orgId: [/^o-[a-z0-9]{10,32}$/, 'an organization ID (o- and 10 to 32 letters or digits)'],
  account: [/^\d{12}$/, 'a 12-digit AWS account ID'],
  region: [/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region (us-east-1)'],
  from: [/^\d{4}\/\d{2}\/\d{2}$/, 'a date as yyyy/MM/dd'],
} as const;

function check(kind: keyof typeof SHAPES, flag: string, value: string): string {
  const [shape, what] = SHAPES[kind];
  if (!shape.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)} is not ${what}`);
  return value;
}

export interface DdlArgs {
  table: string;
  bucket: string;
  prefix?: string | undefined;
  orgId?: string | undefined;
  accounts: string[];
  regions: string[];
  from: string;
}

export function athenaDdl(args: DdlArgs): string {
  if (!args.accounts.length) throw new UsageError('--accounts: give the account IDs whose logs the trail holds (the projection lists them)', 'EMPTY_VALUE');
  if (!args.regions.length) throw new UsageError('--regions: give the regions the trail logs (the projection lists them)', 'EMPTY_VALUE');
  return renderDdl({
    table: check('table', '--table', args.table),
    bucket: check('bucket', '--bucket', args.bucket),
    ...(args.prefix ? { prefix: check('prefix', '--prefix', args.prefix) } : {}),
    ...(args.orgId ? { orgId: check('orgId', '--org-id', args.orgId) } : {}),
    accounts: args.accounts.map((a) => check('account', '--accounts', a)),
    regions: args.regions.map((r) => check('region', '--regions', r)),
    from: check('from', '--from', args.from),
  });
}

export interface QueryArgs {
  table: string;
  matchers: string[];
  principals: string[];
  since?: Date | undefined;
  until?: Date | undefined;
  accounts: string[];
  regions: string[];
}

export function athenaQuery(args: QueryArgs): string {
  // The candidates come from the matchers themselves, configured as a scan would configure them.
  const runner = new MatchRunner(args.matchers, { principals: args.principals, recreateWindowMs: 0, directory: new IdentityDirectory() }, () => undefined);
  return renderQuery({
    table: check('table', '--table', args.table),
    matchers: args.matchers,
    candidates: runner.candidates(),
    ...(args.since ? { since: args.since } : {}),
    ...(args.until ? { until: args.until } : {}),
    accounts: args.accounts.map((a) => check('account', '--account', a)),
    regions: args.regions.map((r) => check('region', '--region', r)),
  });
}

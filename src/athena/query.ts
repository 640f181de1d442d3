import type { Candidate } from '../candidates.js';
import { ATHENA_SELECTED } from '../cloudtrail-fields.js';

export interface QueryOptions {
  table: string;
  /** The matchers the query is for, named in its comment. */
  matchers: string[];
  candidates: readonly Candidate[];
  since?: Date;
  until?: Date;
  accounts: string[];
  regions: string[];
}

/** A SQL string literal. */
function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function list(values: readonly string[]): string {
  return values.map(lit).join(', ');
}

/** One candidate condition (candidates.ts) as SQL. */
function condition(c: Candidate): string {
  const parts = [c.eventSources.length === 1 ? `eventsource = ${lit(c.eventSources[0]!)}` : `eventsource IN (${list(c.eventSources)})`];
  if (c.eventNames) parts.push(c.eventNames.length === 1 ? `eventname = ${lit(c.eventNames[0]!)}` : `eventname IN (${list(c.eventNames)})`);
  // failed: a non-empty errorCode or errorMessage, as the fast path and the matchers read it
  if (c.failed) parts.push("(errorcode <> '' OR errormessage <> '')");
  if (c.requestContains !== undefined) parts.push(`strpos(requestparameters, ${lit(c.requestContains)}) > 0`);
  return `(${parts.join(' AND ')})`;
}

/** The candidate conditions as one SQL condition (any of them), for Trino and DuckDB alike (the bench uses it). */
export function candidatesWhere(candidates: readonly Candidate[]): string {
  return candidates.map(condition).join(' OR ') || 'false';
}

/** The partition value of a day: the S3 prefix's yyyy/MM/dd, in UTC (CloudTrail's days are UTC days). */
function day(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '/');
}

/**
 * One SELECT of every record the chosen matchers could need, with only the partitions of the window, accounts
 * and regions asked for. The conditions are the matchers' own (candidates.ts), the same the local scan's fast
 * path uses, so the two cannot drift apart. Kept to SQL that Athena (Trino) and DuckDB run the same way.
 */
export function renderQuery(options: QueryOptions): string {
  const where: string[] = [];
  if (options.since && options.until) where.push(`"timestamp" BETWEEN ${lit(day(options.since))} AND ${lit(day(options.until))}`);
  else if (options.since) where.push(`"timestamp" >= ${lit(day(options.since))}`);
  else if (options.until) where.push(`"timestamp" <= ${lit(day(options.until))}`);
  if (options.accounts.length) where.push(`account IN (${list(options.accounts)})`);
  if (options.regions.length) where.push(`region IN (${list(options.regions)})`);
  const conditions = options.candidates.map(condition);
  // No matcher wants anything (scim-principal-activity without --principal): a query that returns nothing.
  where.push(conditions.length ? `(\n    ${conditions.join('\n    OR ')}\n  )` : 'false');
  const columns = ATHENA_SELECTED.map((c) => (c.sql === c.alias ? `  ${c.sql}` : `  ${c.sql} AS ${c.alias}`)).join(',\n');
  return [
    `-- sso-logs athena query: the records that ${options.matchers.join(', ')} can use.`,
    '-- Save the result as CSV (the console download, or the query result file in S3) and run: sso-logs scan <result.csv>',
    ...(options.since || options.until ? [] : ['-- No --since or --until: every day of the trail is read (and paid for).']),
    'SELECT',
    columns,
    `FROM ${options.table}`,
    `WHERE ${where.join('\n  AND ')}`,
    '',
  ].join('\n');
}

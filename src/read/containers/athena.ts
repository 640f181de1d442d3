import type { ProblemCode } from '../../problems.js';
import { finished } from 'node:stream/promises';
import { isObject, type CloudTrailRecord, type JsonObject } from '../../event.js';
import type { InputProblem } from '../../errors.js';
import { ATHENA_COLUMNS, ATHENA_PARTITIONS, ATHENA_SELECTED, CLOUDTRAIL_FIELDS, type CloudTrailField } from '../../cloudtrail-fields.js';
import type { ReadEvent } from '../events.js';
import { parseNested } from './lake.js';

/**
 * Athena query results (CSV with a header, every value quoted, NULL as an empty unquoted field), from the query
 * `sso-logs athena query` writes or any SELECT of the CloudTrail table's columns. Records are rebuilt from the
 * columns: `useridentity_arn` goes back to userIdentity.arn, JSON text columns are parsed, and a whole struct
 * column in Athena's `{key=value, ...}` text is read too.
 */
interface Target {
  path: readonly string[];
  nested: boolean;
}

const target = (field: CloudTrailField): Target => ({ path: field.path, nested: field.nested === true });

// A whole column of the table (`SELECT *`) as well as the columns the query selects.
const TARGETS = new Map<string, Target>([
  ...ATHENA_COLUMNS.map((c): [string, Target] => [c.name, target(c.field)]),
  ...ATHENA_SELECTED.map((c): [string, Target] => [c.alias, target(c.field)]),
]);
const REQUIRED = CLOUDTRAIL_FIELDS.filter((f) => f.header).map((f) => f.path[0]!.toLowerCase());
const PARTITIONS = new Set<string>(ATHENA_PARTITIONS);

export const ATHENA_NOTE = 'Athena query results: the summary counts the rows the query returned, not the whole trail';

/**
 * Whether a first line is the header of a CloudTrail query result. csv-parse is loaded only for a line that
 * names the columns at all: start-up time counts, and JSON inputs never get here.
 */
export async function isAthenaHeader(line: string): Promise<boolean> {
  const trimmed = line.replace(/^\uFEFF/, '').trim();
  if (!/^["a-z]/i.test(trimmed) || !REQUIRED.every((name) => trimmed.toLowerCase().includes(name))) return false;
  const { parse } = await import('csv-parse/sync');
  let cells: string[];
  try {
    cells = (parse(trimmed, { relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    return false;
  }
  return hasCloudTrailColumns(cells);
}

function hasCloudTrailColumns(cells: string[]): boolean {
  const names = new Set(cells.map((c) => c.trim().toLowerCase()));
  return REQUIRED.every((name) => names.has(name));
}

export function missingNote(missing: string[]): string {
  return `Athena results without the columns ${missing.join(', ')}: findings that need them cannot be made`;
}

/** The columns sso-logs reads that a result lacks: findings that need them cannot be made. */
function missingColumns(header: string[]): string[] {
  const have = new Set(header.map((h) => h.toLowerCase()));
  return ATHENA_SELECTED.filter((c) => !have.has(c.alias) && !have.has(c.field.path[0]!.toLowerCase())).map((c) => c.alias);
}

type Row = { record: (string | null)[]; info: { lines: number; bytes: number; records: number } };

export async function* readAthenaCsv(chunks: AsyncIterable<Buffer>, input: string): AsyncGenerator<ReadEvent[]> {
  let header: string[] | undefined;
  let targets: (Target | undefined)[] = [];
  const rows: Row[] = [];
  const skipped: { message: string; line: number }[] = [];
  let failure: Error | undefined;
  const { parse } = await import('csv-parse');
  const parser = parse({
    bom: true,
    info: true,
    // NULL is an empty field without quotes; an empty string is "" (quoted)
    cast: (value, context) => (value === '' && !context.quoting ? null : value),
    skip_records_with_error: true,
    on_skip: (error) => {
      skipped.push({ message: error?.message ?? 'unreadable CSV row', line: typeof error?.lines === 'number' ? error.lines : 0 });
      return undefined;
    },
  });
  parser.on('data', (row: Row) => rows.push(row));
  parser.on('error', (error) => (failure = error));

  const problem = (code: ProblemCode, message: string, record?: number, line?: number): ReadEvent => {
    const p: InputProblem = { input, code, message: line ? `${message} (line ${line})` : message };
    if (record !== undefined) p.record = record;
    return { type: 'problem', problem: p };
  };

  function* take(): Generator<ReadEvent> {
    for (const s of skipped.splice(0)) yield problem('CSV_ROW_MALFORMED', `malformed CSV row: ${s.message}`, undefined, s.line || undefined);
    for (const row of rows.splice(0)) {
      if (!header) {
        header = row.record.map((c) => (c ?? '').trim());
        targets = targetsOf(header);
        yield { type: 'note', input, message: ATHENA_NOTE };
        const missing = missingColumns(header);
        if (missing.length) yield { type: 'note', input, message: missingNote(missing) };
        continue;
      }
      yield { type: 'record', record: toRecord(row.record, targets), input, index: row.info.records - 1 };
    }
    if (failure) {
      yield problem('CSV_MALFORMED', `malformed CSV: ${failure.message}; read stopped here`);
      failure = undefined;
    }
  }

  for await (const chunk of chunks) {
    if (parser.destroyed) break;
    parser.write(chunk);
    yield [...take()];
  }
  if (!parser.destroyed) {
    parser.end();
    await finished(parser).catch(() => undefined);
  }
  yield [...take()];
}

function targetsOf(header: string[]): (Target | undefined)[] {
  return header.map((h) => (PARTITIONS.has(h.toLowerCase()) ? undefined : TARGETS.get(h.toLowerCase())));
}

/**
 * `aws athena get-query-results` output: `{"ResultSet": {"Rows": [{"Data": [{"VarCharValue": ...}, ...]}, ...]}}`,
 * the header first, NULL as a cell without VarCharValue. Undefined when the value is not that, or not a result
 * of CloudTrail columns.
 */
export function resultSetRecords(value: unknown): { records: CloudTrailRecord[]; missing: string[] } | undefined {
  const rows = isObject(value) && isObject(value.ResultSet) ? value.ResultSet.Rows : undefined;
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  const cells = (row: unknown): (string | null)[] | undefined => {
    const data = isObject(row) ? row.Data : undefined;
    if (!Array.isArray(data)) return undefined;
    return data.map((d) => (isObject(d) && typeof d.VarCharValue === 'string' ? d.VarCharValue : null));
  };
  const header = cells(rows[0])?.map((h) => h ?? '');
  if (!header || !hasCloudTrailColumns(header)) return undefined;
  const targets = targetsOf(header);
  const records: CloudTrailRecord[] = [];
  for (const row of rows.slice(1)) {
    const values = cells(row);
    if (values) records.push(toRecord(values, targets));
  }
  return { records, missing: missingColumns(header) };
}

function toRecord(cells: (string | null)[], targets: (Target | undefined)[]): CloudTrailRecord {
  const record: CloudTrailRecord = {};
  cells.forEach((cell, i) => {
    const target = targets[i];
    if (!target || cell === null) return;
    set(record, target.path, target.nested ? parseNested(cell) : cell);
  });
  return record;
}

function set(record: JsonObject, path: readonly string[], value: unknown): void {
  let node = record;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (isObject(next)) node = next;
    else {
      const made: JsonObject = {};
      node[key] = made;
      node = made;
    }
  }
  node[path[path.length - 1]!] = value;
}

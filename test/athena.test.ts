/**
 * The Athena loop, proved on the embedded engine: records loaded into DuckDB as AWS's CloudTrail table (the
 * column list and types taken from the DDL sso-logs prints, partitions included), the query sso-logs prints
 * run there, its result written as Athena writes one (CSV, header, values quoted, NULL empty), and that file
 * scanned by sso-logs: the findings must be exactly those of a direct scan of the same records, for every
 * matcher. Golden files hold the DDL and query text, reviewed against the AWS documentation.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { athenaDdl, athenaQuery } from '../src/athena/command.js';
import { MATCHER_IDS } from '../src/match/registry.js';
import { writeRecordsFile } from './support/generate.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const GOLDEN = join(import.meta.dirname, 'fixtures/athena');
const LISTINGS = ['--identity-store', join(ROOT, 'samples/identity-store/list-users-2024-10-01.json'), '--identity-store', join(ROOT, 'samples/identity-store/list-users.json'),
  ...['list-account-assignments', 'list-application-assignments', 'describe-permission-set'].flatMap((n) => ['--assignments', join(ROOT, `samples/sso-admin/${n}.json`)])];
const PRINCIPAL = ['--principal', 'jdoe@example.com'];

type Json = Record<string, unknown>;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** Records of files, read the simple way (whole-file JSON.parse). */
function recordsOf(paths: string[]): Json[] {
  return paths.filter((p) => !p.includes('Digest') && !p.includes('identity-store') && !p.includes('sso-admin') && !p.includes('/saml/')).flatMap((path) => {
    const text = (path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString('utf8');
    if (path.endsWith('.jsonl')) return text.trim().split('\n').map((l) => JSON.parse(l));
    const doc = JSON.parse(text);
    return doc.Records ?? doc.Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
  });
}

// ---- Hive types (as the DDL prints them) to DuckDB types, by a small parser: this is the DDL's parse test too.

type HiveType = { kind: 'string' } | { kind: 'struct'; fields: [string, HiveType][] } | { kind: 'array'; of: HiveType } | { kind: 'map'; key: HiveType; value: HiveType };

function parseType(text: string): HiveType {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const word = () => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`expected a name at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    return m[0];
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw new Error(`expected ${c} at ${i}: ${text.slice(i, i + 20)}`);
    i++;
  };
  const type = (): HiveType => {
    const name = word().toUpperCase();
    if (name === 'STRING') return { kind: 'string' };
    if (name === 'ARRAY') {
      expect('<');
      const of = type();
      expect('>');
      return { kind: 'array', of };
    }
    if (name === 'MAP') {
      expect('<');
      const key = type();
      expect(',');
      const value = type();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (name === 'STRUCT') {
      expect('<');
      const fields: [string, HiveType][] = [];
      for (;;) {
        const f = word();
        expect(':');
        fields.push([f, type()]);
        ws();
        if (text[i] === ',') i++;
        else break;
      }
      expect('>');
      return { kind: 'struct', fields };
    }
    throw new Error(`unknown type ${name}`);
  };
  const t = type();
  ws();
  if (i !== text.length) throw new Error(`trailing text: ${text.slice(i)}`);
  return t;
}

function duckType(t: HiveType): string {
  switch (t.kind) {
    case 'string': return 'VARCHAR';
    case 'array': return `${duckType(t.of)}[]`;
    case 'map': return `MAP(${duckType(t.key)}, ${duckType(t.value)})`;
    case 'struct': return `STRUCT(${t.fields.map(([f, ft]) => `"${f}" ${duckType(ft)}`).join(', ')})`;
  }
}

/** The columns of a printed CREATE EXTERNAL TABLE, in order, with their parsed types. */
function ddlColumns(ddl: string): { name: string; type: HiveType }[] {
  const body = /CREATE EXTERNAL TABLE \w+ \(\n([^]*?)\n\)\nPARTITIONED BY/.exec(ddl)?.[1];
  if (!body) throw new Error('no column list');
  return body.split(',\n').map((line) => {
    const m = /^ {2}([a-z0-9_]+) (.+)$/.exec(line);
    if (!m) throw new Error(`not a column: ${line}`);
    return { name: m[1]!, type: parseType(m[2]!) };
  });
}

// ---- Records as Athena's JSON SerDe sees them: keys matched without case, JSON objects in STRING columns as text.

function serde(value: unknown, type: HiveType): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case 'string': return typeof value === 'string' ? value : JSON.stringify(value);
    case 'array': return Array.isArray(value) ? value.map((v) => serde(v, type.of)) : null;
    case 'map': return typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, serde(v, type.value)])) : null;
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      const byLower = new Map(Object.entries(value as Json).map(([k, v]) => [k.toLowerCase(), v]));
      return Object.fromEntries(type.fields.map(([f, ft]) => [f, serde(byLower.get(f), ft)]));
    }
  }
}

function sqlValue(value: unknown, type: HiveType): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type.kind) {
    case 'string': return `'${String(value).replaceAll("'", "''")}'`;
    case 'array': return `[${(value as unknown[]).map((v) => sqlValue(v, type.of)).join(', ')}]`;
    case 'map': return `MAP {${Object.entries(value as Json).map(([k, v]) => `'${k.replaceAll("'", "''")}': ${sqlValue(v, type.value)}`).join(', ')}}`;
    case 'struct': return `{${type.fields.map(([f, ft]) => `'${f}': ${sqlValue((value as Json)[f], ft)}`).join(', ')}}`;
  }
}

/** Loads records into DuckDB as the table the DDL describes, runs the query, and writes the result as Athena does. */
async function athenaRoundTrip(records: Json[], query: string, ddl: string, csvPath: string): Promise<number> {
  const columns = ddlColumns(ddl);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`CREATE TABLE cloudtrail_logs (${columns.map((c) => `"${c.name}" ${duckType(c.type)}`).join(', ')}, account VARCHAR, region VARCHAR, "timestamp" VARCHAR)`);
  for (let at = 0; at < records.length; at += 200) {
    const rows = records.slice(at, at + 200).map((r) => {
      const byLower = new Map(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]));
      const cells = columns.map((c) => sqlValue(serde(byLower.get(c.name), c.type), c.type));
      const day = typeof r.eventTime === 'string' ? r.eventTime.slice(0, 10).replaceAll('-', '/') : null;
      for (const p of [r.recipientAccountId, r.awsRegion, day]) cells.push(sqlValue(typeof p === 'string' ? p : null, { kind: 'string' }));
      return `(${cells.join(', ')})`;
    });
    await con.run(`INSERT INTO cloudtrail_logs VALUES ${rows.join(', ')}`);
  }
  const body = query.split('\n').filter((l) => !l.startsWith('--')).join('\n');
  const count = Number((await con.runAndReadAll(`SELECT count(*) FROM (${body})`)).getRows()[0]![0]);
  // Athena's result file: a header, every value in double quotes, NULL as an empty field without quotes
  await con.run(`COPY (${body}) TO '${csvPath}' (HEADER, FORCE_QUOTE *, NULLSTR '')`);
  con.closeSync();
  return count;
}

function scanJson(args: string[]): { findings: { matcher: string; eventIds: string[] }[]; summary: { records: number } } {
  const r = spawnSync(process.execPath, [BIN, 'scan', ...args, '--format', 'json', '--quiet', ...LISTINGS, ...PRINCIPAL], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const DDL_ARGS = { table: 'cloudtrail_logs', bucket: 'org-trail-logs', orgId: 'o-a1b2c3d4e5', accounts: ['111122223333', '444455556666', '777788889999'], regions: ['us-east-1', 'eu-west-1'], from: '2024/01/01' };

describe('sso-logs athena', () => {
  const ddl = athenaDdl(DDL_ARGS);
  const query = athenaQuery({ table: 'cloudtrail_logs', matchers: MATCHER_IDS, principals: ['jdoe@example.com'], accounts: [], regions: [] });

  it('prints the DDL and the query of the golden files (reviewed against the AWS documentation)', () => {
    expect(ddl).toBe(readFileSync(join(GOLDEN, 'ddl.sql'), 'utf8'));
    const windowed = athenaQuery({ table: 'cloudtrail_logs', matchers: MATCHER_IDS, principals: ['jdoe@example.com'], since: new Date('2024-10-01T00:00:00Z'), until: new Date('2024-10-31T23:59:59Z'), accounts: ['111122223333'], regions: ['us-east-1'] });
    expect(windowed).toBe(readFileSync(join(GOLDEN, 'query.sql'), 'utf8'));
  });

  it('the CLI prints the same (comma- or space-separated lists), and refuses values that could break out of SQL', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, 'athena', ...args], { encoding: 'utf8' });
    const ddlRun = cli(['ddl', '--bucket', 'org-trail-logs', '--org-id', 'o-a1b2c3d4e5', '--accounts', '111122223333,444455556666', '777788889999', '--regions', 'us-east-1', 'eu-west-1', '--from', '2024/01/01']);
    expect(ddlRun.status).toBe(0);
    expect(ddlRun.stdout).toBe(ddl);
    const queryRun = cli(['query', '--since', '2024-10-01T00:00:00Z', '--until', '2024-10-31T23:59:59Z', '--account', '111122223333', '--region', 'us-east-1', '-p', 'jdoe@example.com']);
    expect(queryRun.stdout).toBe(readFileSync(join(GOLDEN, 'query.sql'), 'utf8'));
    for (const bad of [['ddl', '--bucket', "x';drop", '--accounts', '111122223333', '--regions', 'us-east-1'], ['ddl', '--bucket', 'b-1', '--accounts', "1' OR '1'='1", '--regions', 'us-east-1'], ['query', '--table', 't; DROP TABLE x'], ['query', '--account', "1'"], ['ddl', '--bucket', 'b-1', '--accounts', '111122223333']]) {
      const r = cli(bad);
      expect(r.status, bad.join(' ')).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^sso-logs: .+\nRun sso-logs --help for usage\.\n$/);
    }
  });

  it('the DDL lists the documented columns, each type parses, and the partitions are projected', () => {
    const columns = ddlColumns(ddl);
    expect(columns.map((c) => c.name)).toEqual([
      'eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
      'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid',
      'readonly', 'resources', 'eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid',
      'vpcendpointid', 'vpcendpointaccountid', 'eventcategory', 'addendum', 'sessioncredentialfromconsole', 'edgedevicedetails', 'tlsdetails',
    ]);
    expect(ddl).toContain("'storage.location.template'='s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}'");
    expect(ddl).toContain("'projection.account.values'='111122223333,444455556666,777788889999'");
  });

  it('the query asks for the days, accounts and regions given, and every matcher\'s conditions', () => {
    const windowed = readFileSync(join(GOLDEN, 'query.sql'), 'utf8');
    expect(windowed).toContain(`WHERE "timestamp" BETWEEN '2024/10/01' AND '2024/10/31'\n  AND account IN ('111122223333')\n  AND region IN ('us-east-1')`);
    const one = athenaQuery({ table: 't', matchers: ['password-reset-failure'], principals: [], accounts: [], regions: [] });
    expect(one).toContain("WHERE (\n    (eventsource = 'sso-directory.amazonaws.com' AND eventname = 'UpdatePassword' AND (errorcode <> '' OR errormessage <> ''))\n  )");
    expect(one).toContain('-- No --since or --until');
    // scim-principal-activity without --principal wants nothing: the query returns nothing, and says so by `false`
    expect(athenaQuery({ table: 't', matchers: ['scim-principal-activity'], principals: [], accounts: [], regions: [] })).toContain('WHERE false');
  });

  it('on samples/: DuckDB runs the query, sso-logs scans the CSV, the findings are those of the direct scan', async () => {
    const dir = tempDir();
    const records = recordsOf(files(join(ROOT, 'samples')));
    const csv = join(dir, 'results.csv');
    const rows = await athenaRoundTrip(records, query, ddl, csv);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(records.length); // the query leaves the unrelated traffic behind
    const direct = scanJson([join(ROOT, 'samples')]);
    const viaAthena = scanJson([csv]);
    expect(viaAthena.summary.records).toBe(rows);
    expect(new Set(direct.findings.map((f) => f.matcher))).toEqual(new Set(MATCHER_IDS)); // every matcher has something to prove
    expect(viaAthena.findings).toEqual(direct.findings);
  });

  it('on generated data with planted situations, the same', async () => {
    const dir = tempDir();
    const path = join(dir, 'records.json');
    await writeRecordsFile(path, 3_000_000);
    const records = recordsOf([path]);
    const csv = join(dir, 'results.csv');
    const rows = await athenaRoundTrip(records, query, ddl, csv);
    const direct = scanJson([path]);
    const viaAthena = scanJson([csv]);
    expect(viaAthena.summary.records).toBe(rows);
    expect(direct.findings.length).toBeGreaterThan(0);
    expect(viaAthena.findings).toEqual(direct.findings);
  });

  it('aws athena get-query-results output (JSON pages of VarCharValue cells) gives the same findings', async () => {
    const dir = tempDir();
    const csv = join(dir, 'results.csv');
    await athenaRoundTrip(recordsOf(files(join(ROOT, 'samples'))), query, ddl, csv);
    const rows: (string | null)[][] = parse(readFileSync(csv), { cast: (v, ctx) => (v === '' && !ctx.quoting ? null : v) });
    // as the AWS CLI prints it: NULL is a cell without VarCharValue
    const output = {
      UpdateCount: 0,
      ResultSet: {
        Rows: rows.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: { ColumnInfo: rows[0]!.map((name) => ({ Name: name, Type: 'varchar' })) },
      },
    };
    writeFileSync(join(dir, 'results.json'), JSON.stringify(output, null, 4));
    expect(scanJson([join(dir, 'results.json')]).findings).toEqual(scanJson([csv]).findings);
  });

  it('a result file is read from stdin and gzipped too, and a malformed row costs that row', async () => {
    const dir = tempDir();
    const csv = join(dir, 'results.csv');
    await athenaRoundTrip(recordsOf(files(join(ROOT, 'samples'))), query, ddl, csv);
    const text = readFileSync(csv, 'utf8');
    const direct = scanJson([csv]);
    const piped = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', '--quiet', ...LISTINGS, ...PRINCIPAL], { input: text, encoding: 'utf8' });
    expect(JSON.parse(piped.stdout).findings).toEqual(direct.findings);
    writeFileSync(join(dir, 'results.csv.gz'), gzipSync(text));
    expect(scanJson([join(dir, 'results.csv.gz')]).findings).toEqual(direct.findings);
    const lines = text.split('\n');
    writeFileSync(join(dir, 'broken.csv'), [...lines.slice(0, 2), '"only","three","cells"', ...lines.slice(2)].join('\n'));
    const r = spawnSync(process.execPath, [BIN, 'scan', join(dir, 'broken.csv'), '--format', 'json', '--quiet', ...LISTINGS, ...PRINCIPAL], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sso-logs: .*broken\.csv: malformed CSV row: .* \(line 3\) \[CSV_ROW_MALFORMED\]\n$/);
    expect(JSON.parse(r.stdout).findings).toEqual(direct.findings);
  });
});

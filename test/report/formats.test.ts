import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../src/report/csv.js';
import { PROBLEM_CODES } from '../../src/problems.js';
import { problemCodesTable } from '../support/problem-codes.js';
import { EXAMPLES, EXAMPLES_DOC, PROBLEM_CODES_DOC, withExamples } from '../support/readme-examples.js';
import { tempDir } from '../support/read.js';

const ROOT = join(import.meta.dirname, '../..');
const START = ['scan', 'samples', '--identity-store', 'samples/identity-store/list-users-2024-10-01.json',
  '--identity-store', 'samples/identity-store/list-users.json', '--assignments', 'samples/sso-admin/list-account-assignments.json', '--assignments', 'samples/sso-admin/list-application-assignments.json', '--assignments', 'samples/sso-admin/describe-permission-set.json', '--principal', 'jdoe@example.com'];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sso-logs.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Reviewed by reading them (test/report/__snapshots__/): a change to a report shows up as a diff there.
describe('a snapshot per format over samples/', () => {
  for (const [format, ext] of [['table', 'txt'], ['csv', 'csv'], ['markdown', 'md'], ['json', 'json'], ['ndjson', 'ndjson']] as const) {
    it(format, async () => {
      const { code, stdout, stderr } = cli([...START, '--format', format]);
      // samples/saml/ holds SAML captures for sso-logs saml: scan says once for each that it skips it, and nothing else
      // and orphaned-assignment notes what the --assignments listings covered and that the group's assignment was not checked
      expect(stderr.split('\n').filter((l) => l && !l.endsWith(': a SAML capture, not events: skipped (give it to sso-logs saml)'))).toEqual([
        'sso-logs: note: the --assignments listings hold 4 account assignments in 1 account (444455556666) over 2 permission sets (DataEngineer, ReadOnly) and 1 application assignment in 1 application (arn:aws:sso::111122223333:application/ssoins-7223a8d4d0e5e0f1/apl-3c1f0d2b9e8a7c6d); accounts, permission sets and applications they do not list were not checked',
        'sso-logs: note: 1 assignment to groups not checked: no aws identitystore list-groups output was given with --identity-store, so whether those groups still exist is not known (no finding claims they do not)',
      ]);
      expect(code).toBe(0);
      await expect(stdout).toMatchFileSnapshot(`__snapshots__/samples.${ext}`);
    });
  }
});

describe('the formats agree', () => {
  const json = JSON.parse(cli([...START, '--format', 'json']).stdout);
  const findings: Record<string, unknown>[] = json.findings;

  it('CSV parses back into the same findings, under the fixed header', () => {
    const rows: string[][] = parse(cli([...START, '--format', 'csv']).stdout);
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.slice(1)).toEqual(findings.map((f) => [
      f.time ?? '', f.firstTime ?? '', f.matcher, f.severity, f.principal ?? '', f.account ?? '', f.region ?? '', f.eventName ?? '', f.sourceIp ?? '',
      (f.eventIds as string[]).join(' '), f.message, f.remediation,
    ]));
  });

  it('ndjson holds the same findings as json, one per line', () => {
    const lines = cli([...START, '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const key = (f: Record<string, unknown>) => `${f.matcher} ${(f.eventIds as string[]).join(',')}`;
    expect(lines.map(key).sort()).toEqual(findings.map(key).sort());
    expect(lines).toHaveLength(findings.length);
  });

  it('json has the summary fields scripts read', () => {
    expect(Object.keys(json.summary)).toEqual(expect.arrayContaining(['inputs', 'records', 'skipped', 'errors', 'timeRange']));
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['matcher', 'severity', 'time', 'principal', 'account', 'region', 'eventIds', 'message', 'remediation', 'docUrl']));
      // a finding from the state alone (orphaned-assignment without logs of it) has no time
      if (f.matcher !== 'orphaned-assignment' || f.time !== null) expect(f.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('the table fits 80 columns, but for the guide links', () => {
    const lines = cli(START).stdout.split('\n');
    expect(lines.filter((l) => [...l].length > 80 && !l.startsWith('Guide: '))).toEqual([]);
  });
});

describe('the generated parts of docs/', () => {
  it('the examples of docs/output-formats.md are the output of the CLI on samples/ (npm run docs)', () => {
    const doc = readFileSync(join(ROOT, EXAMPLES_DOC), 'utf8');
    expect(EXAMPLES.map((e) => e.name)).toEqual(['table', 'csv', 'markdown', 'json', 'ndjson']);
    expect(withExamples(doc)).toBe(doc);
  });

  it('docs/bad-input.md lists every problem code of src/problems.ts (npm run docs)', () => {
    const doc = readFileSync(join(ROOT, PROBLEM_CODES_DOC), 'utf8');
    expect(doc).toContain(problemCodesTable());
    for (const code of Object.keys(PROBLEM_CODES)) expect(doc).toContain(`| \`${code}\` |`);
  });
});

describe('--output', () => {
  it('writes the report to the file, and leaves no temporary file', () => {
    const dir = tempDir();
    const out = join(dir, 'report.md');
    const { code, stdout } = cli([...START, '--format', 'markdown', '--output', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(cli([...START, '--format', 'markdown']).stdout);
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  it('writes nothing when the command fails', () => {
    const dir = tempDir();
    const out = join(dir, 'report.csv');
    expect(cli([...START, '--format', 'csv', '--output', out, '--identity-store', 'missing.json']).code).toBe(3);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

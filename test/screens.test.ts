/**
 * The screens as a person at a terminal sees them: sso-logs run in a pseudo-terminal (util-linux script(1)) with
 * colour on, at 80 and 200 columns, and its output replayed on an emulated terminal (support/terminal.ts). Piped
 * output, which the other tests read, never showed these faults: colour codes counted as text in wrapped cells,
 * IDs cut, event names cut in a column of fixed width, a progress line cut before its rate and ETA, problem
 * lines glued to it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTree } from './support/generate.js';
import { tempDir } from './support/read.js';
import { replay, type Screen } from './support/terminal.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const START = ['scan', 'samples', '--identity-store', 'samples/identity-store/list-users-2024-10-01.json',
  '--identity-store', 'samples/identity-store/list-users.json', '--assignments', 'samples/sso-admin/list-account-assignments.json', '--assignments', 'samples/sso-admin/list-application-assignments.json', '--assignments', 'samples/sso-admin/describe-permission-set.json', '--principal', 'jdoe@example.com'];
const SEVERITIES = ['error', 'warning', 'info'];

// util-linux script: `-c` runs a command, `-e` returns its exit code, `-f` flushes as it goes. BSD script (macOS)
// takes other arguments.
const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** sso-logs in a pseudo-terminal of `columns` columns, colour on (NO_COLOR removed), and what its screen shows at the end. */
function onTerminal(args: string[], columns: number): { code: number | null; raw: string; screen: Screen } {
  const command = `stty cols ${columns} rows 50; exec env -u NO_COLOR TERM=xterm-256color FORCE_COLOR=1 ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, raw: r.stdout, screen: replay(r.stdout, columns) };
}

function piped(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The cells of a table row drawn with │ (empty for other lines). */
const cells = (row: string) => (row.startsWith('│') && row.endsWith('│') ? row.slice(1, -1).split('│').map((c) => c.trim()) : []);

/**
 * A column of a table whose rows wrap: the value of each entry (a row that `starts` one, and the rows below it
 * up to the next), its pieces in the order the rows show them. `columnCount` tells the table's rows from others'.
 */
function column(rows: string[], columnCount: number, index: number, starts: (cells: string[]) => boolean): string[][] {
  const entries: string[][] = [];
  let current: string[] | undefined;
  for (const row of rows) {
    const c = cells(row);
    if (c.length !== columnCount) current = undefined;
    else if (starts(c)) entries.push((current = [c[index]!]));
    else if (current && c[index]) current.push(c[index]!);
  }
  return entries;
}

const guide = (text: string) => /^ *guide: https:\/\/\S+$/i.test(text);

if (!SCRIPT) {
  it.skip('screens: skipped, util-linux script(1) is not installed (it gives sso-logs a pseudo-terminal)', () => {});
}

describe.runIf(SCRIPT)('the scan table on a colour terminal', () => {
  const findings: { matcher: string; severity: string; eventName: string | null; time: string | null }[] = [];
  beforeAll(() => {
    findings.push(...JSON.parse(piped([...START, '--format', 'json']).stdout).findings);
  });

  for (const columns of [80, 200]) {
    it(`at ${columns} columns: severity words whole, matcher IDs and event names whole or cut between words, nothing wider than the terminal`, () => {
      const { code, raw, screen } = onTerminal(START, columns);
      expect(code).toBe(0);
      expect(raw).toContain('\x1b[31m'); // colour is on (red: error)
      // no colour code left as text, none cut in two
      expect(screen.rows.filter((r) => /\x1b|\[\d+(;\d+)*(m|\s|│|$)/.test(r))).toEqual([]);

      // the overview: matcher, severity, findings, principals, first seen, last seen
      const entry = (c: string[]) => /^\d+$/.test(c[2]!); // a count of findings
      const overview = column(screen.rows, 6, 1, entry);
      const matchers = column(screen.rows, 6, 0, entry);
      const groups = [...new Set(findings.map((f) => f.matcher))];
      expect(overview).toHaveLength(groups.length);
      for (const pieces of overview) expect(pieces.length === 1 && SEVERITIES.includes(pieces[0]!), `severity cell ${JSON.stringify(pieces)}`).toBe(true);
      const shown = Object.fromEntries(matchers.map((p, i) => [p.join(''), overview[i]![0]]));
      // a group shows its highest severity
      const highest = (g: string) => ['error', 'warning', 'info'].find((s) => findings.some((f) => f.matcher === g && f.severity === s));
      expect(shown).toEqual(Object.fromEntries(groups.map((g) => [g, highest(g)])));
      if (columns >= 100) expect(matchers.every((p) => p.length === 1)).toBe(true);

      // the evidence: time, principal, account, action
      const actions = column(screen.rows, 4, 3, (c) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/.test(c[0]!));
      expect(actions.map((p) => p.join('')).sort()).toEqual(findings.filter((f) => f.time !== null).map((f) => f.eventName ?? '-').sort()); // (a finding from the state alone has no time)
      // whole at 200 columns; at 80 a long name breaks where a word of it begins
      if (columns === 200) expect(actions.filter((p) => p.length > 1)).toEqual([]);
      for (const pieces of actions) for (const piece of pieces.slice(1)) expect(piece, pieces.join(' / ')).toMatch(/^[A-Z]/);
      if (columns === 80) expect(actions).toContainEqual(['ExternalIdP', 'DirectoryLogin']);

      // Only a guide link may be wider than the terminal: cut, it would no longer be a link.
      // (nor a note on stderr about an input skipped, such as the SAML captures of samples/saml/: a line of text that names a path;
      // nor orphaned-assignment's notes on what the --assignments listings covered and what they could not check)
      expect(screen.lines.filter((l) => l.rows > 1 && !/^Guide: https:\/\/\S+$/.test(l.text) && !/^sso-logs: note: (samples\/saml\/|the --assignments listings |\d+ assignments? to (users|groups) not checked)/.test(l.text)).map((l) => l.text)).toEqual([]);
      expect(screen.rows.some((r) => r.length === columns && r.startsWith('┌')), 'the tables use the width').toBe(true);
    });
  }
});

describe.runIf(SCRIPT)('sso-logs matchers', () => {
  const list: { id: string; severity: string }[] = JSON.parse(piped(['matchers', '--format', 'json']).stdout);

  for (const columns of [80, 200]) {
    it(`at ${columns} columns: every ID whole on a line of its own, every field shown, no line wider than the terminal but the links`, () => {
      const { code, screen } = onTerminal(['matchers'], columns);
      expect(code).toBe(0);
      for (const { id, severity } of list) expect(screen.rows).toContain(`${id} (${severity})`);
      for (const label of ['title', 'looks at', 'record shape', 'false positives']) {
        expect(screen.rows.filter((r) => r.startsWith(`  ${label} `))).toHaveLength(list.length);
      }
      expect(screen.lines.filter((l) => l.rows > 1 && !guide(l.text)).map((l) => l.text)).toEqual([]);
    });
  }

  it('piped: 80 columns, but for the links', () => {
    const { code, stdout } = piped(['matchers']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    for (const { id, severity } of list) expect(lines).toContain(`${id} (${severity})`);
    expect(lines.filter((l) => [...l].length > 80 && !guide(l))).toEqual([]);
  });
});

describe.runIf(SCRIPT)('the progress line at 80 columns', () => {
  let tree = '';
  beforeAll(() => {
    tree = tempDir();
    // enough to be read for a second or so, on worker threads; a cut .gz file makes problem lines during the scan
    writeTree(tree, 40_000_000);
    copyFileSync(join(ROOT, 'test/fixtures/bad/truncated-middle.json.gz'), join(tree, 'cut.json.gz'));
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('fits, with rate and ETA; problem lines go above it; it says what happens after the read, and is gone before the report', () => {
    const { code, screen } = onTerminal(['scan', tree], 80);
    expect(code).toBe(2); // the cut file
    const bars = screen.frames.filter((f) => f.includes('MB/s'));
    expect(bars.length).toBeGreaterThan(1);
    for (const frame of bars) {
      expect(frame.length, frame).toBeLessThan(80);
      expect(frame, frame).toMatch(/ \d+ MB\/s .*ETA (\?|\d+s|\d+m\d\ds|\d+h\d\dm)$/);
      expect(frame).toMatch(/\d+%.* \d+(,\d{3})* records .*(files +\d+\/\d+|\d+\/\d+ files)/);
    }
    expect(bars.some((f) => /ETA \d/.test(f)), 'an ETA once the rate is known').toBe(true);
    expect(screen.frames.some((f) => /^sso-logs: writing the report \(\d+ findings\)\.\.\.$/.test(f))).toBe(true);

    // each problem line starts a line of its own, and stays on the screen (the report lists them again, indented)
    const problems = screen.lines.filter((l) => /\[(GZIP_TRUNCATED|JSON_TRUNCATED)\]$/.test(l.text) && !l.text.startsWith(' '));
    expect(problems).toHaveLength(2);
    for (const p of problems) expect(p.text).toMatch(/^sso-logs: .*cut\.json\.gz: /);
    // nothing of the progress line is left, and the report starts on a clean line below the problems
    expect(screen.rows.filter((r) => /MB\/s|^sso-logs: .*\.\.\.$|^[=-]{5}/.test(r))).toEqual([]);
    const first = screen.rows.findIndex((r) => r.startsWith('Inputs:'));
    expect(first).toBeGreaterThan(screen.rows.findIndex((r) => r.includes('[JSON_TRUNCATED]')));
  });

  it('ndjson written to the same terminal goes above it too', () => {
    const { screen } = onTerminal(['scan', tree, '--format', 'ndjson'], 80);
    const json = screen.lines.filter((l) => l.text.startsWith('{'));
    expect(json.length).toBeGreaterThan(10);
    for (const l of json) expect(() => JSON.parse(l.text), l.text.slice(0, 60)).not.toThrow();
    expect(screen.rows.filter((r) => /MB\/s/.test(r))).toEqual([]);
  });
});

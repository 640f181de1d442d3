import { styleText } from 'node:util';
import Table from 'cli-table3';
import { formatProblem } from '../errors.js';
import type { Finding, Severity } from '../match/types.js';
import type { ScanSummary } from '../summary.js';
import { safeText } from '../text.js';
import { byMatcher, remediations, shortTime, type MetaOf } from './model.js';

const TOP_SOURCES = 10;
const LIST_LIMIT = 12;
// No rule between body rows: tables read better dense.
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export interface TableOptions {
  color: boolean;
  /** Terminal width; the tables are laid out to fit it (80 when not a terminal). */
  width: number;
}

const SEVERITY_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** The report for a person at a terminal. Every log-derived string goes through safeText. */
export function renderTable(summary: ScanSummary, findings: readonly Finding[], options: TableOptions): string {
  const style = options.color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] };
  const lines: string[] = [...scope(summary, style, options.width)];

  lines.push('');
  if (!findings.length) {
    lines.push(summary.records ? 'No findings.' : 'No findings: no record was read.');
    return `${lines.join('\n')}\n`;
  }
  // concat, not push(...): a scan may have more findings than a call takes arguments
  return `${lines.concat(findingsTable(findings, options)).join('\n')}\n`;
}

/** The findings part of the table report (an overview, then the evidence per matcher); `sso-logs saml` uses it too. */
export function findingsTable(findings: readonly Finding[], options: TableOptions, metaOf?: MetaOf): string[] {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text);
  const style = options.color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] };
  const lines: string[] = [];
  const groups = byMatcher(findings, metaOf);
  // Wide terminals get times and whole ids; on 80 columns the ids wrap at their hyphens and times drop to dates.
  // (Guide links stay whole on one line, wider or not, so that they remain links.)
  const narrow = options.width < 100;
  const overview = new Table({
    head: ['matcher', 'severity', 'findings', 'principals', 'first seen', 'last seen'],
    colAligns: ['left', 'left', 'right', 'right', 'left', 'left'],
    ...(narrow ? { colWidths: [17, 10, 10, 12, 12, 12], wordWrap: true, wrapOnWordBoundary: false } : {}),
    style, chars: COMPACT,
  });
  for (const { summary: s } of groups) {
    const when = (t: string | null) => (narrow ? shortTime(t).slice(0, 10) : shortTime(t));
    // cli-table3's character wrap counts colour codes as text (`err` / `or` at 80 columns): the coloured cell is
    // not wrapped, its width measured without them, and the column is wide enough for every severity.
    const severity = { content: paint(SEVERITY_STYLE[s.severity], s.severity), wordWrap: false };
    overview.push([narrow ? cell(s.matcher, 17) : s.matcher, severity, String(s.findings), String(s.principals), when(s.firstSeen), when(s.lastSeen)]);
  }
  lines.push(`Findings: ${findings.length}`, overview.toString());

  // Evidence: one row per finding (time, principal, account, action), its detail on the row below.
  const widths = evidenceWidths(options.width, findings);
  // cli-table3 wraps a spanning cell to the sum of its columns, not counting the borders between them.
  const span = widths.reduce((a, b) => a + b, 0);
  for (const { summary: s, findings: list } of groups) {
    lines.push('', ...fit(`${s.matcher} (${s.severity}): ${s.title}`, options.width).map((l) => paint('bold', l)));
    const table = new Table({ head: ['time', 'principal', 'account', 'action'], colWidths: widths, wordWrap: true, wrapOnWordBoundary: false, style });
    for (const f of list) {
      table.push([shortTime(f.time), cell(f.principal ?? '-', widths[1]!), cell(f.account ?? '-', widths[2]!), cell(f.eventName ?? '-', widths[3]!, true)]);
      const events = f.eventIds.length > 6 ? `${f.eventIds.slice(0, 6).join(' ')} ... (${f.eventIds.length} events)` : f.eventIds.join(' ');
      table.push([{ colSpan: 4, content: cell(f.message, span) + cell(`region: ${f.region ?? '-'}  events: ${events || '-'}`, span) }]);
    }
    lines.push(table.toString());
    for (const r of remediations(list)) lines.push(...fit(`What to do: ${r.remediation}`, options.width), `Guide: ${r.docUrl}`);
  }
  return lines;
}

function scope(summary: ScanSummary, style: { head: string[]; border: string[] }, width: number): string[] {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  lines.push(`Inputs:   ${n(summary.inputs)}${summary.digestFilesSkipped ? ` (${n(summary.digestFilesSkipped)} digest file${summary.digestFilesSkipped === 1 ? '' : 's'} skipped)` : ''}`);
  const parts = [`${n(summary.records)} read`];
  if (summary.insightsRecords) parts.push(`${n(summary.insightsRecords)} Insights`);
  if (summary.recordsSkipped) parts.push(`${n(summary.recordsSkipped)} skipped`);
  if (summary.recordsWithoutTime) parts.push(`${n(summary.recordsWithoutTime)} without a readable eventTime`);
  if (summary.repeatedEvents) parts.push(`${n(summary.repeatedEvents)} repeating an event already read (matched once)`);
  lines.push(`Records:  ${parts.join(', ')}`);
  lines.push(`Time:     ${summary.timeRange ? `${summary.timeRange.first} to ${summary.timeRange.last}` : '-'}`);
  // Accounts, regions, sources, problems and notes come from the logs: any length, so wrapped to the width.
  lines.push(...fit(`Accounts: ${list(summary.accounts)}`, width));
  lines.push(...fit(`Regions:  ${list(summary.regions)}`, width));
  if (summary.filters) lines.push(...fit(`Filters:  ${safeText(summary.filters)}`, width));

  if (summary.eventSources.length) {
    const table = new Table({ head: ['eventSource', 'records'], colAligns: ['left', 'right'], style, chars: COMPACT });
    for (const { eventSource, records } of summary.eventSources.slice(0, TOP_SOURCES)) table.push([clip(safeText(eventSource)), n(records)]);
    const rest = summary.eventSources.slice(TOP_SOURCES);
    if (rest.length) table.push([`(${rest.length} more sources)`, n(rest.reduce((sum, s) => sum + s.records, 0))]);
    lines.push('', table.toString());
  }
  if (summary.problems) {
    const s = (count: number) => (count === 1 ? '' : 's');
    lines.push('', `Could not read: ${n(summary.problems)} problem${s(summary.problems)} in ${n(summary.inputsWithProblems)} input${s(summary.inputsWithProblems)}`);
    for (const problem of summary.errors.slice(0, LIST_LIMIT)) lines.push(...fit(`  ${safeText(formatProblem(problem))}`, width));
    if (summary.problems > LIST_LIMIT) lines.push(`  ... and ${n(summary.problems - LIST_LIMIT)} more (all are on stderr)`);
  }
  if (summary.notes.length) {
    lines.push('', 'Notes:');
    for (const note of summary.notes.slice(0, LIST_LIMIT)) lines.push(...fit(`  ${safeText(`${note.input}: ${note.message}`)}`, width));
  }
  return lines;
}

/**
 * A cell's text wrapped our way (at spaces, and a long ARN after a `/` or `:`), then handed to cli-table3 as one
 * line of exactly width-sized pieces that its character wrap cuts where we did. Two cli-table3 behaviours make
 * this necessary: its word wrap cuts a long word short with an ellipsis, and a cell holding newlines costs it
 * cubic time (it re-measures the whole cell for every line it draws: 80 lines took 5 s).
 */
function cell(text: string, width: number, camelCase = false): string {
  const inner = width - 2;
  return fit(safeText(text), inner, camelCase).map((line) => line.padEnd(inner)).join('');
}

/**
 * time, principal, account, action. The time is fixed; the account and the action are as wide as their widest
 * value, and the principal (often an ARN, so wrapped anyway) takes the rest. When the width is short of both,
 * the action keeps half of what the principal and it share: at 80 columns 17 characters of text, enough for most event
 * names whole and for the words of the others (`ExternalIdP` / `DirectoryLogin`).
 */
function evidenceWidths(width: number, findings: readonly Finding[]): number[] {
  const time = 22; // `2024-10-10 13:00:00Z` and padding
  const widest = (head: string, values: (string | null)[]) => Math.max(head.length, ...values.map((v) => safeText(v ?? '-').length)) + 2;
  // 12 digits; a longer (forged) account wraps
  const account = Math.min(14, widest('account', findings.map((f) => f.account)));
  const rest = Math.max(32, width - time - account - 5); // 5 borders
  const actionWanted = widest('action', findings.map((f) => f.eventName));
  const principalWanted = widest('principal', findings.map((f) => f.principal));
  const action = Math.min(actionWanted, Math.max(Math.floor(rest / 2), rest - principalWanted));
  return [time, rest - action, account, action];
}

// A real account ID, region or event source is short; a longer value is forged, and shown in part.
const VALUE_LIMIT = 64;
function clip(value: string): string {
  return value.length > VALUE_LIMIT ? `${value.slice(0, VALUE_LIMIT - 1)}…` : value;
}

function list(values: string[]): string {
  if (!values.length) return '-';
  const shown = values.slice(0, LIST_LIMIT).map((v) => clip(safeText(v))).join(', ');
  return values.length > LIST_LIMIT ? `${shown}, ... (${values.length} in all)` : shown;
}

/**
 * Lines of at most `width` characters: breaks at spaces, and a word longer than a line (an ARN, a list of IDs)
 * after its last `/`, `:`, `-`, `@` or `.` that fits, else (with `camelCase`, for event names) before its last
 * capitalised word that fits (`ExternalIdP` / `DirectoryLogin`), else anywhere.
 */
function fit(text: string, width: number, camelCase = false): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    // An indented paragraph (an item of the problems or notes) keeps its indent, and its further lines hang below
    // its text: split at spaces, the indent was lost and a wrapped item read as two.
    const indent = /^ */.exec(paragraph)![0];
    if (indent && indent.length + 2 < width / 2) {
      out.push(...wrap(paragraph.slice(indent.length), width - indent.length - 2, camelCase).map((line, i) => `${indent}${i ? '  ' : ''}${line}`));
    } else out.push(...wrap(paragraph, width, camelCase));
  }
  return out;
}

function wrap(paragraph: string, width: number, camelCase: boolean): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of paragraph.split(' ')) {
    while (word.length > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      const head = word.slice(0, width);
      const cut = Math.max(head.lastIndexOf('/'), head.lastIndexOf(':'), head.lastIndexOf('-'), head.lastIndexOf('@'), head.lastIndexOf('.'));
      const at = cut >= width / 3 ? cut + 1 : camelCase ? wordStart(word, width) : width;
      out.push(word.slice(0, at));
      word = word.slice(at);
    }
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

/** The last place at most `width` into a camel-case name where a word begins (before `Login`, `Directory`, and the `C` of `IdPConfiguration`), else `width`. */
function wordStart(name: string, width: number): number {
  for (let i = width; i >= width / 3; i--) {
    const [before, at, after] = [name[i - 1] ?? '', name[i] ?? '', name[i + 1] ?? ''];
    const upper = (c: string) => c >= 'A' && c <= 'Z';
    const lower = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (upper(at) && (lower(before) || (upper(before) && lower(after)))) return i;
  }
  return width;
}

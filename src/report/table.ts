import Table from 'cli-table3';
import { formatProblem } from '../errors.js';
import type { Finding } from '../matchers/types.js';
import type { ScanSummary } from '../summary.js';
import { safeText } from '../text.js';

const TOP_SOURCES = 10;
// No rule between body rows: a summary table reads better dense.
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
const LIST_LIMIT = 12;

export interface TableOptions {
  color: boolean;
}

/** The summary for a person at a terminal. Every log-derived string goes through safeText. */
export function renderTable(summary: ScanSummary, findings: Finding[], options: TableOptions): string {
  const lines: string[] = [];
  const n = (value: number) => value.toLocaleString('en-US');
  lines.push(`Inputs:   ${n(summary.inputs)}${summary.digestFilesSkipped ? ` (${n(summary.digestFilesSkipped)} digest files skipped)` : ''}`);
  const parts = [`${n(summary.records)} read`];
  if (summary.insightsRecords) parts.push(`${n(summary.insightsRecords)} Insights`);
  if (summary.recordsSkipped) parts.push(`${n(summary.recordsSkipped)} skipped`);
  if (summary.recordsWithoutTime) parts.push(`${n(summary.recordsWithoutTime)} without a readable eventTime`);
  lines.push(`Records:  ${parts.join(', ')}`);
  lines.push(`Time:     ${summary.timeRange ? `${summary.timeRange.first} to ${summary.timeRange.last}` : '-'}`);
  lines.push(`Accounts: ${list(summary.accounts)}`);
  lines.push(`Regions:  ${list(summary.regions)}`);

  if (summary.eventSources.length) {
    const style = options.color ? {} : { head: [], border: [] };
    const table = new Table({ head: ['eventSource', 'records'], colAligns: ['left', 'right'], style, chars: COMPACT });
    for (const { eventSource, records } of summary.eventSources.slice(0, TOP_SOURCES)) {
      table.push([safeText(eventSource), n(records)]);
    }
    const rest = summary.eventSources.slice(TOP_SOURCES);
    if (rest.length) {
      table.push([`(${rest.length} more sources)`, n(rest.reduce((sum, s) => sum + s.records, 0))]);
    }
    lines.push('', table.toString());
  }

  if (summary.problems) {
    const s = (count: number) => (count === 1 ? '' : 's');
    lines.push('', `Could not read: ${n(summary.problems)} problem${s(summary.problems)} in ${n(summary.inputsWithProblems)} input${s(summary.inputsWithProblems)}`);
    for (const problem of summary.errors.slice(0, LIST_LIMIT)) lines.push(`  ${safeText(formatProblem(problem))}`);
    if (summary.problems > LIST_LIMIT) lines.push(`  ... and ${n(summary.problems - LIST_LIMIT)} more (all are on stderr)`);
  }
  if (summary.notes.length) {
    lines.push('', 'Notes:');
    for (const note of summary.notes.slice(0, LIST_LIMIT)) lines.push(`  ${safeText(`${note.input}: ${note.message}`)}`);
  }
  lines.push('', ...renderFindings(findings));
  return `${lines.join('\n')}\n`;
}

/** Until the reporting formats land: one block per finding, in plain lines. */
function renderFindings(findings: Finding[]): string[] {
  if (!findings.length) return ['No findings.'];
  const lines = [`Findings: ${findings.length}`];
  for (const f of findings) {
    const where = [f.time ?? 'time unknown', f.account ? `account ${f.account}` : '', f.region ?? ''].filter(Boolean).join('  ');
    lines.push('', `[${f.severity}] ${f.matcher}  ${where}`);
    if (f.principal) lines.push(`  principal: ${f.principal}`);
    lines.push(`  ${f.message}`);
    lines.push(`  events: ${f.eventIds.length > 10 ? `${f.eventIds.slice(0, 10).join(', ')} ... (${f.eventIds.length})` : f.eventIds.join(', ') || '-'}`);
    lines.push(`  what to do: ${f.remediation}`);
    lines.push(`  guide: ${f.docUrl}`);
  }
  return lines.map(safeText);
}

function list(values: string[]): string {
  if (!values.length) return '-';
  const shown = values.slice(0, LIST_LIMIT).map(safeText).join(', ');
  return values.length > LIST_LIMIT ? `${shown}, ... (${values.length} in all)` : shown;
}

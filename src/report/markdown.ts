import { formatProblem } from '../errors.js';
import type { Finding } from '../match/types.js';
import type { ScanSummary } from '../summary.js';
import { safeText } from '../text.js';
import { byMatcher, histogram, remediations, shortTime, type MetaOf } from './model.js';

/**
 * Log text is attacker-controlled. Exact values (names, IDs, accounts) go in code spans, where Markdown and
 * HTML are inert; a pipe is escaped so it cannot end a table cell, line breaks become spaces, and control
 * characters are shown as escapes (the file may well be read with `cat`).
 */
export function code(value: string | null): string {
  if (value === null || value === '') return '-';
  const text = safeText(value.replace(/[\r\n\t\u2028\u2029]+/g, ' ')).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Prose that holds log text (a finding's message): HTML characters become entities, Markdown punctuation is
 * escaped, and a zero-width space breaks the patterns GitHub turns into links on its own (`://`, `www.`, `@`).
 */
export function prose(value: string): string {
  return safeText(value.replace(/[\r\n\u2028\u2029]+/g, ' '))
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/:\/\//g, ':\u200b//').replace(/www\\\./gi, (m) => `${m.slice(0, 3)}\u200b${m.slice(3)}`).replace(/@/g, '@\u200b');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A report for a ticket: scope, summary, a chart over time, then one section per matcher. */
export function renderMarkdown(summary: ScanSummary, findings: readonly Finding[]): string {
  const out: string[] = ['# sso-logs report', '', '## Scope', '', row(['', '']), row(['---', '---'])];
  out.push(row(['Inputs', `${summary.inputs}${summary.digestFilesSkipped ? ` (${summary.digestFilesSkipped} digest file${summary.digestFilesSkipped === 1 ? '' : 's'} skipped)` : ''}`]));
  out.push(row(['Records', `${summary.records} read, ${summary.insightsRecords} Insights, ${summary.recordsSkipped} skipped${summary.repeatedEvents ? `, ${summary.repeatedEvents} repeating an event already read (matched once)` : ''}`]));
  out.push(row(['Time range', summary.timeRange ? `${shortTime(summary.timeRange.first)} to ${shortTime(summary.timeRange.last)}` : '-']));
  out.push(row(['Accounts', summary.accounts.map(code).join(', ') || '-']));
  out.push(row(['Regions', summary.regions.map(code).join(', ') || '-']));
  out.push(row(['Could not read', summary.problems ? `${summary.problems} problems in ${summary.inputsWithProblems} inputs` : 'nothing']));
  if (summary.errors.length) {
    out.push('', '<details><summary>What could not be read</summary>', '');
    for (const problem of summary.errors) out.push(`- ${code(formatProblem(problem))}`);
    out.push('', '</details>');
  }

  // concat, not push(...): a scan may have more findings than a call takes arguments
  return `${out.concat(findingsMarkdown(findings, summary.records ? 'No findings.' : 'No findings: no record was read.')).join('\n')}\n`;
}

/** The findings part of the Markdown report (summary, chart, a section per matcher); `sso-logs saml` uses it too. */
export function findingsMarkdown(findings: readonly Finding[], none: string, metaOf?: MetaOf): string[] {
  const out: string[] = [];
  const groups = byMatcher(findings, metaOf);
  out.push('', '## Summary', '');
  if (!groups.length) out.push(none);
  else {
    out.push(row(['Matcher', 'Severity', 'Findings', 'Principals', 'First seen', 'Last seen']), row(['---', '---', '--:', '--:', '---', '---']));
    for (const { summary: s } of groups) {
      out.push(row([`[${s.matcher}](#${s.matcher})`, s.severity, String(s.findings), String(s.principals), shortTime(s.firstSeen), shortTime(s.lastSeen)]));
    }
    const bars = histogram(findings);
    const perHour = bars[0]?.label.includes(':');
    out.push('', `## Findings over time`, '', '```mermaid', 'xychart-beta', `    title "Findings per ${perHour ? 'hour (UTC)' : 'day (UTC)'}"`,
      `    x-axis [${bars.map((b) => `"${b.label}"`).join(', ')}]`, `    y-axis "Findings" 0 --> ${Math.max(...bars.map((b) => b.count))}`,
      `    bar [${bars.map((b) => b.count).join(', ')}]`, '```');
  }

  for (const { summary: s, findings: list } of groups) {
    // The heading is the id alone, so its anchor is the id: the summary links to it.
    out.push('', `## ${s.matcher}`, '', `**${s.title}**`, '');
    out.push(`**Severity:** ${s.severity} · **Findings:** ${s.findings} · **Guide:** [${s.docUrl.split('#')[1]}](${s.docUrl})`, '');
    out.push(row(['Time', 'Principal', 'Account', 'Region', 'Action', 'Events', 'What happened']), row(['---', '---', '---', '---', '---', '---', '---']));
    for (const f of list) {
      out.push(row([shortTime(f.time), code(f.principal), code(f.account), code(f.region), code(f.eventName), f.eventIds.map(code).join(' ') || '-', prose(f.message)]));
    }
    out.push('', '**What to do:**', '');
    // Remediations are sso-logs' own words, not log text.
    for (const r of remediations(list)) out.push(`- ${r.remediation} ([guide](${r.docUrl}))`);
  }
  return out;
}

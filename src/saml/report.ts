import type { Finding } from '../match/types.js';
import { renderCsv } from '../report/csv.js';
import { renderNdjsonLine } from '../report/json.js';
import { code, findingsMarkdown } from '../report/markdown.js';
import type { MetaOf } from '../report/model.js';
import { findingsTable } from '../report/table.js';
import { safeText } from '../text.js';
import type { SamlFacts } from './assertion.js';
import { SAML_CHECKS } from './checks.js';
import type { CaptureKind } from './input.js';

/** What `sso-logs saml` read, as plain data: the JSON report's summary. */
export interface SamlSummary {
  input: string;
  kind: CaptureKind;
  responses: SamlFacts[];
  /** Responses in the capture posted to other service providers than IAM Identity Center: not checked. */
  otherResponses: number;
  checks: string[];
  /** Checks that could not run, and why. */
  notRun: { check: string; reason: string }[];
}

const KIND: Record<CaptureKind, string> = { har: 'a HAR export', 'saml-tracer': 'a SAML-tracer export', base64: 'a base64 SAMLResponse value', xml: 'SAML XML' };
const VALUE_LIMIT = 200;
const clip = (value: string) => (value.length > VALUE_LIMIT ? `${value.slice(0, VALUE_LIMIT - 1)}…` : value);

export const checkMeta: MetaOf = (id) => SAML_CHECKS.find((c) => c.id === id);

/** The facts of one response as labelled lines, values made safe for a terminal. */
function factLines(f: SamlFacts): [string, string][] {
  const v = (value: string | null) => (value === null ? '-' : clip(safeText(value)));
  const rows: [string, string][] = [
    ['Response ID', v(f.responseId)],
    ['Issued', v(f.issueInstant)],
    ['Status', v(f.status)],
    ['Issuer', v(f.issuer)],
    ['Destination', v(f.destination)],
    ['Posted to', v(f.postedTo)],
    ['Assertions', `${f.assertions}${f.encryptedAssertions ? ` (+ ${f.encryptedAssertions} encrypted)` : ''}`],
    ['NameID', v(f.nameId)],
    ['NameID format', v(f.nameIdFormat)],
    ['Audience', f.audiences.length ? f.audiences.map(v).join(', ') : '-'],
    ['Recipient', f.recipients.length ? f.recipients.map(v).join(', ') : '-'],
    ['Valid', `${v(f.notBefore)} .. ${v(f.notOnOrAfter)} (NotBefore .. NotOnOrAfter)`],
    ['Signature', `response ${f.responseSigned ? 'signed' : 'not signed'}, assertion ${f.assertionSigned ? 'signed' : 'not signed'} (not verified)`],
    ['Assertion size', f.assertionChars === null ? '-' : `${f.assertionChars.toLocaleString('en-US')} characters`],
  ];
  for (const a of f.attributes) {
    rows.push([`Attribute`, `${v(a.name)}${a.nameFormat ? ` [${v(a.nameFormat)}]` : ''}: ${a.values.map((x) => v(x)).join(' | ') || '(no value)'}${a.structured ? ' (holds XML)' : ''}`]);
  }
  if (!f.attributes.length) rows.push(['Attributes', '-']);
  return rows;
}

function noneLine(summary: SamlSummary): string {
  const skipped = summary.notRun.map((n) => `${n.check}: ${n.reason}`).join('; ');
  return `No findings: the response passes the ${summary.checks.length - summary.notRun.length} checks that ran${skipped ? ` (not run: ${skipped})` : ''}.`;
}

/** Lines of at most `width` characters: breaks at spaces, a longer word (a URL, a URN) where it must; `indent` before the lines after the first. */
function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  const room = () => width - (out.length ? indent.length : 0);
  for (let word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room()) {
      out.push(line);
      line = '';
    }
    while (!line && word.length > room()) {
      const head = word.slice(0, room());
      const cut = Math.max(head.lastIndexOf('/'), head.lastIndexOf(':'), head.lastIndexOf('-')) + 1;
      const at = cut > room() / 2 ? cut : room();
      out.push(word.slice(0, at));
      word = word.slice(at);
    }
    line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.map((l, i) => (i ? `${indent}${l}` : l));
}

export function renderSamlTable(summary: SamlSummary, findings: readonly Finding[], options: { color: boolean; width: number }): string {
  const width = Math.max(40, options.width);
  const lines = wrap(`Input:    ${safeText(summary.input)} (${KIND[summary.kind]}, ${summary.responses.length} SAML response${summary.responses.length === 1 ? '' : 's'} checked${summary.otherResponses ? `; ${summary.otherResponses} posted to other service providers left out` : ''})`, width, '          ');
  summary.responses.forEach((f, i) => {
    lines.push('', summary.responses.length > 1 ? `Response ${i + 1}:` : 'Response:');
    for (const [label, value] of factLines(f)) {
      lines.push(...wrap(value, width - 18).map((l, n) => `${n ? '' : `  ${label}:`}`.padEnd(18) + l));
    }
  });
  lines.push('');
  // concat, not push(...): a capture of many responses makes more lines than a call takes arguments
  const body = findings.length ? findingsTable(findings, options, checkMeta) : wrap(noneLine(summary), width);
  const notRun = findings.length ? summary.notRun.flatMap((n) => wrap(`Not run: ${n.check}: ${n.reason}`, width)) : [];
  return `${lines.concat(body, notRun).join('\n')}\n`;
}

export function renderSamlMarkdown(summary: SamlSummary, findings: readonly Finding[]): string {
  const out = ['# sso-logs SAML report', '', `Input: ${code(summary.input)} (${KIND[summary.kind]})`];
  summary.responses.forEach((f, i) => {
    out.push('', `## ${summary.responses.length > 1 ? `Response ${i + 1}` : 'Response'}`, '', '| | |', '| --- | --- |');
    for (const [label, value] of factLines(f)) out.push(`| ${label} | ${code(value)} |`);
  });
  const notRun = findings.length && summary.notRun.length ? ['', ...summary.notRun.map((n) => `Not run: ${code(n.check)}: ${n.reason}`)] : [];
  return `${out.concat(findingsMarkdown(findings, noneLine(summary), checkMeta), notRun).join('\n')}\n`;
}

export function renderSaml(format: string, summary: SamlSummary, findings: readonly Finding[], options: { color: boolean; width: number }): string {
  switch (format) {
    case 'csv': return renderCsv(findings);
    case 'markdown': return renderSamlMarkdown(summary, findings);
    case 'json': return `${JSON.stringify({ summary, findings }, null, 2)}\n`;
    case 'ndjson': return findings.map(renderNdjsonLine).join('');
    default: return renderSamlTable(summary, findings, options);
  }
}

import { stringify } from 'csv-stringify/sync';
import type { Finding } from '../match/types.js';
import { safeText } from '../text.js';

export const CSV_HEADER = ['time', 'first_time', 'matcher', 'severity', 'principal', 'account', 'region', 'event_name', 'source_ip', 'event_ids', 'message', 'remediation'] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) from a user name).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A leading apostrophe makes a spreadsheet show the text instead of running it (OWASP's advice). */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * One row per finding under a fixed header (`time` is the event that shows it, the last of a group;
 * `first_time` the first event it cites); RFC 4180 quoting by csv-stringify. Control characters are shown as
 * escapes: a CSV file is as likely to be read with `cat` as with a spreadsheet.
 */
export function renderCsv(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [
    f.time ?? '', f.firstTime ?? '', f.matcher, f.severity, f.principal ?? '', f.account ?? '', f.region ?? '', f.eventName ?? '', f.sourceIp ?? '',
    f.eventIds.join(' '), f.message, f.remediation,
  ].map((cell) => neutralise(safeText(cell))));
  return stringify([[...CSV_HEADER], ...rows], { record_delimiter: 'windows' });
}

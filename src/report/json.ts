import type { Finding } from '../match/types.js';
import type { ScanSummary } from '../summary.js';

/** `{"summary": {...}, "findings": [...]}`. JSON escapes control characters itself. */
export function renderJson(summary: ScanSummary, findings: readonly Finding[]): string {
  return `${JSON.stringify({ summary, findings }, null, 2)}\n`;
}

/** ndjson: one finding per line, the same objects as in `findings`. */
export function renderNdjsonLine(finding: Finding): string {
  return `${JSON.stringify(finding)}\n`;
}

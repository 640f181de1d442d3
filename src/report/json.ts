import type { Finding } from '../matchers/types.js';
import type { ScanSummary } from '../summary.js';

/** `{"summary": {...}, "findings": [...]}`. JSON escapes control characters itself. */
export function renderJson(summary: ScanSummary, findings: Finding[]): string {
  return `${JSON.stringify({ summary, findings }, null, 2)}\n`;
}

import type { ScanSummary } from '../summary.js';

/** `{"summary": {...}}`: the findings join it when the matchers land. JSON escapes control characters itself. */
export function renderJson(summary: ScanSummary): string {
  return `${JSON.stringify({ summary }, null, 2)}\n`;
}

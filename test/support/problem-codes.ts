/** The README's table of problem codes, made from src/problems.ts (`npm run docs` rewrites it; a test checks it). */
import { PROBLEM_CODES } from '../../src/problems.js';

export function problemCodesTable(): string {
  const rows = Object.entries(PROBLEM_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`);
  return ['<!-- problem-codes -->', '| code | meaning |', '| --- | --- |', ...rows, '<!-- /problem-codes -->'].join('\n');
}

export function withProblemCodes(readme: string): string {
  return readme.replace(/<!-- problem-codes -->[\s\S]*?<!-- \/problem-codes -->/, () => problemCodesTable());
}

/** The table of problem codes in docs/bad-input.md, made from src/problems.ts (`npm run docs` rewrites it; a test checks it). */
import { PROBLEM_CODES } from '../../src/problems.js';

export function problemCodesTable(): string {
  const rows = Object.entries(PROBLEM_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`);
  return ['<!-- problem-codes -->', '| code | meaning |', '| --- | --- |', ...rows, '<!-- /problem-codes -->'].join('\n');
}

export function withProblemCodes(doc: string): string {
  if (!/<!-- problem-codes -->[\s\S]*?<!-- \/problem-codes -->/.test(doc)) throw new Error('no <!-- problem-codes --> block to rewrite');
  return doc.replace(/<!-- problem-codes -->[\s\S]*?<!-- \/problem-codes -->/, () => problemCodesTable());
}

/**
 * The examples of docs/output-formats.md are the CLI's real output on samples/, not typed by hand: `npm run docs`
 * rewrites the blocks between `<!-- example:NAME -->` and `<!-- /example:NAME -->`, and the table of problem codes
 * in docs/bad-input.md (problem-codes.ts); test/report/formats.test.ts fails when either is stale. (The README
 * keeps no generated text, so that it stays short.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withProblemCodes } from './problem-codes.js';

const ROOT = join(import.meta.dirname, '../..');
/** Where the generated examples live (relative to the repository root). */
export const EXAMPLES_DOC = 'docs/output-formats.md';
/** Where the generated table of problem codes lives. */
export const PROBLEM_CODES_DOC = 'docs/bad-input.md';
const BASE = ['scan', 'samples', '--identity-store', 'samples/identity-store/list-users-2024-10-01.json',
  '--identity-store', 'samples/identity-store/list-users.json', '--assignments', 'samples/sso-admin/list-account-assignments.json', '--assignments', 'samples/sso-admin/list-application-assignments.json', '--assignments', 'samples/sso-admin/describe-permission-set.json', '--matcher', 'stale-assignment', '--matcher', 'protected-role-modification'];

export const EXAMPLES: { name: string; args: string[]; lang: string }[] = [
  { name: 'table', args: BASE, lang: 'text' },
  { name: 'csv', args: [...BASE, '--format', 'csv'], lang: 'csv' },
  { name: 'markdown', args: [...BASE, '--format', 'markdown'], lang: 'markdown' },
  { name: 'json', args: [...BASE, '--format', 'json'], lang: 'json' },
  { name: 'ndjson', args: [...BASE, '--format', 'ndjson'], lang: 'json' },
];

export function exampleBlock(example: (typeof EXAMPLES)[number]): string {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/sso-logs.js'), ...example.args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (run.status !== 0) throw new Error(`sso-logs ${example.args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const fence = example.lang === 'markdown' ? '````' : '```';
  return `<!-- example:${example.name} -->\n\`sso-logs ${example.args.join(' ')}\`\n\n${fence}${example.lang}\n${run.stdout}${fence}\n<!-- /example:${example.name} -->`;
}

export function withExamples(doc: string): string {
  let out = doc;
  for (const example of EXAMPLES) {
    const pattern = new RegExp(`<!-- example:${example.name} -->[\\s\\S]*?<!-- /example:${example.name} -->`);
    if (!pattern.test(out)) throw new Error(`${EXAMPLES_DOC} has no block for the ${example.name} example`);
    out = out.replace(pattern, () => exampleBlock(example));
  }
  return out;
}

if (process.argv[1]?.endsWith('readme-examples.ts')) {
  const examples = join(ROOT, EXAMPLES_DOC);
  writeFileSync(examples, withExamples(readFileSync(examples, 'utf8')));
  const codes = join(ROOT, PROBLEM_CODES_DOC);
  writeFileSync(codes, withProblemCodes(readFileSync(codes, 'utf8')));
  console.log(`${EXAMPLES_DOC} examples and ${PROBLEM_CODES_DOC} problem codes updated`);
}

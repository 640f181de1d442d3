/**
 * The README's examples are the CLI's real output on samples/, not typed by hand: `npm run docs` rewrites the
 * blocks between `<!-- example:NAME -->` and `<!-- /example:NAME -->`, and a test fails when they are stale.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withProblemCodes } from './problem-codes.js';

const ROOT = join(import.meta.dirname, '../..');
const BASE = ['scan', 'samples', '--identity-store', 'samples/identity-store/list-users-2024-10-01.json',
  '--identity-store', 'samples/identity-store/list-users.json', '--matcher', 'stale-assignment', '--matcher', 'protected-role-modification'];

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

export function withExamples(readme: string): string {
  let out = readme;
  for (const example of EXAMPLES) {
    const pattern = new RegExp(`<!-- example:${example.name} -->[\\s\\S]*?<!-- /example:${example.name} -->`);
    if (!pattern.test(out)) throw new Error(`README.md has no block for the ${example.name} example`);
    out = out.replace(pattern, () => exampleBlock(example));
  }
  return out;
}

if (process.argv[1]?.endsWith('readme-examples.ts')) {
  const path = join(ROOT, 'README.md');
  writeFileSync(path, withProblemCodes(withExamples(readFileSync(path, 'utf8'))));
  console.log('README.md examples updated');
}

/**
 * The README is what a newcomer reads in one go (issue 15): what sso-logs is, set-up, the common commands, what
 * it finds, exit codes, and a link to each page of docs/, which holds the rest. Its size is bounded here, and
 * every relative link of the README and of docs/ must lead to a file that exists, and to a heading that exists
 * when it names one. (The generated parts of docs/ are checked in test/report/formats.test.ts; the README's
 * commands in test/readme-commands.test.ts.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MATCHER_IDS } from '../src/match/registry.js';

const ROOT = join(import.meta.dirname, '..');
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const README_MAX_BYTES = 15_000;

const docPages = () => readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => join(DOCS, f));
/** The Markdown files whose links are checked: the README, docs/, and the other documents of the repository. */
const checked = () => [README, ...docPages(), join(ROOT, 'CHANGELOG.md'), join(ROOT, 'test/fixtures/bad/README.md')];

/** The text outside fenced code blocks (a fence closes only with a run of its own character at least as long). */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) fence = m[1]!;
    else if (fence !== null && m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
    else if (fence === null) lines.push(line);
  }
  return lines;
}

/** GitHub's anchors for a file's headings (github-slugger: lower case, punctuation dropped, spaces to hyphens). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Inline links `[text](target)` and images outside code, with their targets. */
function links(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of prose(markdown)) {
    const text = line.replace(/(`+)[\s\S]*?\1/g, ''); // code spans hold examples, not links
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  }
  return targets;
}

describe('README.md', () => {
  it(`is at most ${README_MAX_BYTES.toLocaleString('en')} bytes: the rest is in docs/`, () => {
    expect(statSync(README).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('keeps its parts in the order a newcomer needs them, and links every page of docs/', () => {
    const readme = readFileSync(README, 'utf8');
    const headings = prose(readme).filter((l) => /^#{1,3} /.test(l));
    const order = ['# sso-logs', '## Set up', '## Usage', '### What it finds', '### Exit codes', '## Documentation'];
    const at = order.map((h) => headings.indexOf(h));
    expect(at.every((i) => i >= 0), `headings: ${headings.join(' | ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(readme.indexOf('npm install\nnpm start')).toBeLessThan(readme.indexOf('npm link'));
    const linked = new Set(links(readme));
    for (const page of docPages()) expect(linked, relative(ROOT, page)).toContain(relative(ROOT, page));
  });

  it('names every matcher, and docs/matchers.md describes each', () => {
    const readme = readFileSync(README, 'utf8');
    const matchers = readFileSync(join(DOCS, 'matchers.md'), 'utf8');
    for (const id of MATCHER_IDS) {
      expect(readme, id).toContain(`| \`${id}\` |`);
      expect(matchers, id).toContain(`| \`${id}\` |`);
    }
  });
});

describe('links of the README and docs/', () => {
  it('every relative link leads to a file that exists, and to a heading of it when it names one', () => {
    const broken: string[] = [];
    let count = 0;
    for (const file of checked()) {
      const text = readFileSync(file, 'utf8');
      for (const target of links(text)) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
        count++;
        const [path = '', anchor] = target.split('#');
        const to = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
        const where = `${relative(ROOT, file)}: ${target}`;
        if (!to.startsWith(ROOT + '/') && to !== ROOT) broken.push(`${where} (outside the repository)`);
        else if (!existsSync(to)) broken.push(`${where} (no such file)`);
        else if (anchor !== undefined && to.endsWith('.md') && !anchors(readFileSync(to, 'utf8')).has(anchor)) broken.push(`${where} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(15); // the links were found at all
  });

  it('the checker sees headings as GitHub anchors them, and skips code', () => {
    expect([...anchors('# Organization scale: Athena does the scan, sso-logs the Identity Center logic\n## `npm run docs`\n## A\n## A\n```sh\n# not a heading\n```\n')])
      .toEqual(['organization-scale-athena-does-the-scan-sso-logs-the-identity-center-logic', 'npm-run-docs', 'a', 'a-1']);
    expect(links('[a](x.md) `[b](y.md)` [c](z.md#h "t")\n````markdown\n```\n[d](w.md)\n```\n````\n[e](<v.md>)')).toEqual(['x.md', 'z.md#h', 'v.md']);
  });
});

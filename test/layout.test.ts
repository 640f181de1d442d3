/**
 * The layout: no import cycle in src/ (type imports included), so that each module can be read, tested and
 * loaded on its own; every file of src/matchers is one matcher (test/matchers/registry.test.ts); the framer's
 * parts stay small.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? sources(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
}

describe('src/', () => {
  it('has no import cycle', () => {
    const files = sources(SRC);
    const graph = new Map(files.map((f) => {
      const text = readFileSync(f, 'utf8');
      const deps = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')));
      return [f, deps.filter((d) => files.includes(d))];
    }));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f)!) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(SRC, x)).join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(files.length).toBeGreaterThan(40);
    expect(cycles).toEqual([]);
  });

  it('the framer is split by concern, each file under 300 lines (issue 14: it was one file of 610)', () => {
    const dir = join(SRC, 'read/framer');
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['capture.ts', 'containers.ts', 'fields.ts', 'frame.ts', 'framer.ts', 'json-lines.ts', 'record-walk.ts', 'values.ts']);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8').split('\n').length, f).toBeLessThan(300);
  });
});

import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { readInput, type Engine, type Input, type ReadEvent } from '../../src/read/index.js';
import { str } from '../../src/event.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sso-logs-test-'));
}

const ROOT = join(import.meta.dirname, '../..');
let cliCopy: string | undefined;
afterAll(() => { // the test file that made it is done
  if (cliCopy) rmSync(cliCopy, { recursive: true, force: true });
  cliCopy = undefined;
});

/**
 * A copy of the built CLI that any user can read: package.json, bin/, dist/, test/support/rss.mjs and the
 * node_modules the CLI imports (its dependencies, followed from package.json), made once per test file and
 * removed after it. Returns the copy's root: run its bin/sso-logs.js or test/support/rss.mjs. A child run as
 * another user (nobody, to see permission errors as root) must not need to read the checkout, which may sit
 * in a directory only its owner can enter (a 0700 temporary directory, a home directory).
 */
export function readableCli(): string {
  if (cliCopy) return cliCopy;
  const to = tempDir();
  const mkdir = (dir: string) => { mkdirSync(dir, { recursive: true }); chmodSync(dir, 0o755); };
  let link = true; // hard links are quick (thousands of files); copies where they fail (another file system)
  const put = (from: string, dest: string): void => {
    const stat = statSync(from, { throwIfNoEntry: false }); // through symbolic links, as Node reads it
    if (!stat) return; // a dangling link
    if (stat.isDirectory()) {
      mkdir(dest);
      for (const name of readdirSync(from)) if (!/\.d\.[cm]?ts$/.test(name)) put(join(from, name), join(dest, name)); // types: never read
      return;
    }
    if (link && stat.mode & 0o004) try { return linkSync(lstatSync(from).isSymbolicLink() ? realpathSync(from) : from, dest); } catch { link = false; }
    copyFileSync(from, dest);
    chmodSync(dest, (stat.mode & 0o777) | 0o444); // whatever the checkout's umask
  };
  const copy = (path: string): void => {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) mkdir(join(to, ...parts.slice(0, i)));
    put(join(ROOT, path), join(to, path));
  };
  mkdir(to);
  for (const path of ['package.json', 'bin', 'dist', 'test/support/rss.mjs']) copy(path);
  const copied: string[] = [];
  const follow = (dir: string): void => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      let from = dir; // where Node finds it from dir: the nearest node_modules/<name>, up to the checkout
      while (!existsSync(join(from, 'node_modules', name)) && from !== ROOT) from = dirname(from);
      const found = join(from, 'node_modules', name);
      if (!existsSync(found) || copied.includes(found)) continue; // not installed (optional), or done
      if (!copied.some((c) => found.startsWith(c + '/'))) copy(relative(ROOT, found)); // else copied with its parent
      copied.push(found);
      follow(found);
    }
  };
  follow(ROOT);
  return (cliCopy = to);
}

export interface Read {
  ids: string[];
  problems: string[];
  notes: string[];
}

/** Reads one input and reduces it to what tests compare: record eventIDs and formatted problems. */
export async function read(input: Input | string, engine: Engine = 'split', stdin?: Buffer[]): Promise<Read> {
  const spec: Input = typeof input === 'string' ? { kind: 'file', label: input, path: input, size: 0 } : input;
  const out: Read = { ids: [], problems: [], notes: [] };
  const options = { engine, maxRecordBytes: 1 << 20, ...(stdin ? { stdin: toAsync(stdin) } : {}) };
  for await (const events of readInput(spec, options) as AsyncIterable<ReadEvent[]>) for (const event of events) {
    if (event.type === 'record') out.ids.push(str(event.record.eventID) ?? '?');
    else if (event.type === 'problem') {
      const p = event.problem;
      out.problems.push(`${p.message}${p.record !== undefined ? ` @record ${p.record}` : ''}${p.offset !== undefined ? ` @${p.decompressed ? 'z' : ''}byte ${p.offset}` : ''}`);
    } else if (event.type === 'note') out.notes.push(event.message);
  }
  return out;
}

async function* toAsync(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

export const STDIN: Input = { kind: 'stdin', label: '(stdin)' };

import type { ProblemCode } from '../problems.js';
import type { Stats } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeSystemError, type InputProblem, systemCode } from '../errors.js';
import { compare } from '../text.js';

export type Input = { kind: 'stdin'; label: '(stdin)' } | { kind: 'file'; label: string; path: string; size: number };

export type Resolved = { type: 'input'; input: Input } | { type: 'problem'; problem: InputProblem };

/**
 * Expands the command line into inputs: files as given, directories walked recursively in byte order of
 * their names (so two runs read in the same order), `-` for standard input. A path that cannot be read is a
 * problem of its own; the walk goes on.
 */
export async function* resolveInputs(paths: readonly string[]): AsyncGenerator<Resolved> {
  for (const path of paths) {
    if (path === '-') {
      yield { type: 'input', input: { kind: 'stdin', label: '(stdin)' } };
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield problem(path, describeSystemError(error), systemCode(error));
      continue;
    }
    if (info.isDirectory()) yield* walk(path, new Map());
    else yield { type: 'input', input: { kind: 'file', label: path, path, size: info.size } };
  }
}

async function* walk(dir: string, seen: Map<string, string>): AsyncGenerator<Resolved> {
  const names: string[] = [];
  try {
    const real = await realpath(dir);
    const first = seen.get(real);
    if (first !== undefined) {
      // A link loop, or two links to one directory: reading it again would count its records twice.
      yield problem(dir, `same directory as ${first}, already read; skipped`, 'DIR_REPEATED');
      return;
    }
    seen.set(real, dir);
    for await (const entry of await opendir(dir)) names.push(entry.name);
  } catch (error) {
    yield problem(dir, `cannot read directory: ${describeSystemError(error)}`, systemCode(error));
    return;
  }
  names.sort(compare);
  for (const name of names) {
    const path = join(dir, name);
    let info;
    try {
      info = await stat(path); // follows links: a linked directory is walked, a loop is caught above
    } catch (error) {
      yield problem(path, describeSystemError(error), systemCode(error));
      continue;
    }
    if (info.isDirectory()) yield* walk(path, seen);
    // A FIFO or a device found in a walk could block the scan forever; named on the command line it is read
    // (`sso-logs scan <(zcat old.json.gz)` passes a pipe).
    else if (!info.isFile()) yield problem(path, `not a regular file (${kindOf(info)}); skipped (name it on the command line to read it)`, 'NOT_REGULAR_FILE');
    else yield { type: 'input', input: { kind: 'file', label: path, path, size: info.size } };
  }
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}

function problem(input: string, message: string, code: ProblemCode): Resolved {
  return { type: 'problem', problem: { input, code, message } };
}

import { systemProblemCode, type ProblemCode } from './problems.js';

/**
 * What went wrong with the input, said so the user can find it: which input, which record, which byte.
 * Problems never stop a scan; they are collected, printed on stderr and counted in the summary.
 */
export interface InputProblem {
  /** The path as the user gave it (or as found under a directory), or `(stdin)`. */
  input: string;
  /** Stable, for scripts and tests (problems.ts); the message is for people. */
  code: ProblemCode;
  message: string;
  /** 1-based position of the record in its input, when the problem concerns one record. */
  record?: number;
  /** Byte offset in the input; for a gzip input, in the decompressed data. */
  offset?: number;
  /** The offset is in decompressed data. */
  decompressed?: boolean;
  /** The record was still read (for example with replacement characters for invalid UTF-8). */
  kept?: boolean;
}

/** A mistake in the command line: exit code 3, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly code: ProblemCode = 'BAD_VALUE') {
    super(message);
  }
}

export function formatProblem(problem: InputProblem): string {
  const where: string[] = [];
  if (problem.record !== undefined) where.push(`record ${problem.record}`);
  if (problem.offset !== undefined) where.push(`${problem.decompressed ? 'decompressed byte' : 'byte'} ${problem.offset}`);
  return `${problem.input}: ${problem.message}${where.length ? ` (${where.join(', ')})` : ''} [${problem.code}]`;
}

/** The problem code of a system error met while reading an input. */
export function systemCode(error: unknown): ProblemCode {
  return systemProblemCode(errorCode(error));
}

/** The `code` of a Node error (`ENOENT`, `Z_BUF_ERROR`, ...), or ''. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** A system error (ENOENT, EIO, ...): what reading an input can run into, as opposed to a bug. */
export function isSystemError(error: unknown): boolean {
  return /^E[A-Z]+$/.test(errorCode(error));
}

/** Node's system errors carry a code; turn the common ones into words a user reads without a manual. */
export function describeSystemError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    case 'EIO': return 'input/output error';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A JSON.parse error in sso-logs' own words. Engines word them differently (Node 24 adds "(line 1 column 141)"
 * to Node 20's text), and what a user reads, and what scripts match, must not change with the Node version.
 * Only the position, or the character named, is taken from the engine's message; what is there is told from the
 * text itself: the end of the text, a raw control character inside a string, or the character found.
 */
export function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) {
    // "Unexpected token 'x', "..." is not valid JSON": a character, but no position
    const token = /Unexpected token '(.)'/u.exec(message)?.[1];
    return token === undefined ? 'the JSON ends before its value is complete' : `unexpected ${describeCharacter(token)}`;
  }
  const at = Number(position);
  if (at >= text.length) return 'the JSON ends before its value is complete';
  const char = String.fromCodePoint(text.codePointAt(at)!);
  const where = `at character ${at + 1}`;
  if (char.charCodeAt(0) < 0x20) return `a raw control character (U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) inside a string ${where}`;
  return `unexpected ${describeCharacter(char)} ${where}`;
}

function describeCharacter(char: string): string {
  const code = char.codePointAt(0)!;
  return code > 0x20 && code < 0x7f ? `character '${char}'` : `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

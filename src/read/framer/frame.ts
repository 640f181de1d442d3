/**
 * What the framer yields, and the byte-level facts its parts share. The framer (framer.ts) finds where each JSON
 * value starts and ends without parsing it, so that each record is parsed alone: one malformed record (AWS's own
 * documentation publishes records with trailing commas) costs only that record, and memory is bound by the
 * largest record rather than the largest file.
 */
import type { ProblemCode } from '../../problems.js';
import type { SummaryFields } from './fields.js';

/** The lists whose elements are records (or lookup-events Events, or Lake rows): containers.ts. */
export const CONTAINER_KEYS = ['Records', 'Events', 'QueryResultRows'] as const;
export type ContainerKey = (typeof CONTAINER_KEYS)[number];
/** `top`: a top-level value (a JSON Lines record); `array`: an element of a top-level array; else its list. */
export type Where = 'top' | 'array' | ContainerKey;

export type Frame =
  /** One JSON value's bytes (not yet validated); for a record, the summary's fields when they are plain. */
  | { kind: 'value'; where: Where; bytes: Buffer; offset: number; fields?: SummaryFields }
  /** A value that was there but cannot be delivered (too large, truncated). It still counts as a record. */
  | { kind: 'lost'; where: Where; offset: number; message: string; code: ProblemCode }
  /** A Records / Events / QueryResultRows list or a top-level array starts: the input is JSON, even if empty. */
  | { kind: 'container'; where: Where; offset: number }
  /** Bytes that are not JSON, or a structure that cannot be framed. */
  | { kind: 'error'; offset: number; message: string; fatal: boolean; code: ProblemCode };

export const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d;
export const COMMA = 0x2c, COLON = 0x3a, NL = 0x0a, CR = 0x0d, SPACE = 0x20, TAB = 0x09;

/**
 * Deepest nesting read inside one value. CloudTrail records nest a few levels; past this a value is reported
 * and skipped, since copying it between threads (structured clone) recurses and would overflow the stack.
 */
export const MAX_NESTING = 1000;
export const TOO_DEEP = `value nested more than ${MAX_NESTING} levels deep; skipped (CloudTrail records nest a few levels)`;

/** The words a top-level scalar may be; anything else at the top level is text, not JSON. */
export const TOP_SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

export function isScalarStart(c: number): boolean {
  // digits, '-', and the first letters of true / false / null
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e;
}

export function isWhitespace(c: number): boolean {
  // A UTF-8 BOM (EF BB BF) between values is skipped like white space: `cat` of files saved by editors has them.
  return c === SPACE || c === NL || c === CR || c === TAB || c === 0xef || c === 0xbb || c === 0xbf;
}

export function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `character '${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Where `byte` is next in `buf` from `from`, or `none` if it is not. */
export function indexOr(buf: Buffer, byte: number, from: number, none: number): number {
  const at = buf.indexOf(byte, from);
  return at === -1 ? none : at;
}

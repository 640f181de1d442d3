/**
 * One large plain file read in two parts at once, one per core. The second part starts at a guessed boundary
 * between two records (`planSplit`); the first part is read up to that byte and checks that its framer stands
 * there exactly as the guess says. If it does, the two parts together are the file, record for record. If not
 * (the guess fell inside a record after all), the first part reads on to the end alone and the second part's
 * work is thrown away: correct either way, fast when the guess holds, which is nearly always.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { describeSystemError, isSystemError, systemCode } from '../errors.js';
import { FAULT } from '../fault.js';
import { FrameReader, type ReadEvent } from './frames.js';
import type { ReadOptions } from './index.js';
import type { Boundary } from './framer/containers.js';
import { JsonFramer } from './framer/framer.js';

export interface Range {
  start: number;
  /** Stop here if the framer stands at `expect`; otherwise read on to the end. */
  end?: number;
  expect?: Boundary;
  /** The state at `start` (a part that starts mid-file). */
  resume?: Boundary;
}

/** How the first part ended: at the agreed boundary (`values` read before it), or at the end of the file. */
export type SplitOutcome = { matched: boolean; values: number };

const READ_CHUNK = 1 << 20;

export async function* readRange(
  path: string,
  label: string,
  options: Pick<ReadOptions, 'maxRecordBytes' | 'candidates' | 'onRead' | 'counted'>,
  range: Range,
  outcome: (result: SplitOutcome) => void,
): AsyncGenerator<ReadEvent[]> {
  const reader = new FrameReader(label, options.candidates, options.counted);
  const splitter = new JsonFramer({ maxValueBytes: options.maxRecordBytes, ...(range.resume ? { resume: { state: range.resume, offset: range.start } } : {}) });
  let read = range.start;
  const chunks = (from: number, to?: number) => createReadStream(path, { highWaterMark: READ_CHUNK, start: from, ...(to === undefined ? {} : { end: to - 1 }) });
  try {
    for await (const chunk of chunks(range.start, range.end) as AsyncIterable<Buffer>) {
      if (FAULT === 'reader') throw new TypeError('injected fault (SSO_LOGS_FAULT=reader)');
      read += chunk.length;
      options.onRead?.(chunk.length);
      yield reader.read(splitter.push(chunk));
    }
    if (range.end !== undefined) {
      const matched = read === range.end && sameBoundary(splitter.boundary(), range.expect);
      outcome({ matched, values: reader.values });
      if (matched) return;
      for await (const chunk of chunks(read) as AsyncIterable<Buffer>) {
        read += chunk.length;
        options.onRead?.(chunk.length);
        yield reader.read(splitter.push(chunk));
      }
    }
  } catch (error) {
    // a read error is the input's problem; anything else is a bug (see readInput)
    if (!isSystemError(error)) throw error;
    yield [{ type: 'problem', problem: { input: label, code: systemCode(error), message: `${describeSystemError(error)}; read stopped here`, offset: read } }];
  }
  yield reader.read(splitter.end());
}

function sameBoundary(a: Boundary | undefined, b: Boundary | undefined): boolean {
  if (!a || !b || a.where !== b.where) return false;
  return a.where !== 'top' || b.where !== 'top' || a.lineMode === b.lineMode;
}

export interface SplitPlan {
  at: number;
  state: Boundary;
}

const HEAD = 64 * 1024;
const WINDOW = 4 * 1024 * 1024;

/**
 * Where to cut a plain JSON file in two: the start of a record near its middle, told by the first key of the
 * file's first record (`{"eventVersion"` in S3 objects, `{"EventId"` in lookup-events output), after a comma
 * in a Records or Events list, or at the start of a line in JSON Lines. Undefined when the file is not one of
 * those or no such place is found near the middle: it is then read in one piece.
 */
export function planSplit(path: string, size: number): SplitPlan | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(Math.min(HEAD, size));
    readSync(fd, head, 0, head.length, 0);
    const text = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
    let state: Boundary;
    let key: string | undefined;
    const list = /^\s*\{\s*"(Records|Events)"\s*:\s*\[\s*\{\s*"([^"\\]{1,64})"/.exec(text);
    if (list) {
      state = { where: list[1] as 'Records' | 'Events' };
      key = list[2];
    } else {
      const line = /^\{"([^"\\]{1,64})"[^\n]*\}\r?\n\{/.exec(text);
      if (!line) return undefined;
      state = { where: 'top', lineMode: true };
      key = line[1];
    }
    const middle = Math.floor(size / 2);
    const window = Buffer.alloc(Math.min(WINDOW, size - middle));
    readSync(fd, window, 0, window.length, middle);
    const needle = Buffer.from(`"${key}"`, 'latin1');
    for (let at = window.indexOf(needle); at !== -1; at = window.indexOf(needle, at + 1)) {
      let brace = at - 1;
      while (brace >= 0 && isSpace(window[brace]!)) brace--;
      if (brace < 1 || window[brace] !== 0x7b) continue;
      let before = brace - 1;
      if (state.where === 'top') {
        if (window[before] === 0x0a) return { at: middle + brace, state };
        continue;
      }
      while (before >= 0 && isSpace(window[before]!)) before--;
      if (before >= 0 && window[before] === 0x2c) return { at: middle + brace, state };
    }
    return undefined;
  } catch {
    return undefined; // unreadable here: the ordinary read reports it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

import { createReadStream, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Candidate } from '../candidates.js';
import { describeSystemError, errorCode, isSystemError, systemCode } from '../errors.js';
import { FAULT } from '../fault.js';
import { isDigestPath } from './containers/digest.js';
import { decode, describeGzipError, type Decoded } from './decode.js';
import { readAthenaCsv, isAthenaHeader } from './containers/athena.js';
import { DIGEST_NOTE, FrameReader, type AnyFrame, type ReadEvent } from './frames.js';
import type { Input } from './inputs.js';
import type { SummaryFields } from './framer/fields.js';
import { peek } from './peek.js';
import { JsonFramer } from './framer/framer.js';

export type { ReadEvent } from './frames.js';
export { resolveInputs, type Input } from './inputs.js';

export type Engine = 'split' | 'stream-json';

export interface ReadOptions {
  /** `split` (default): the byte framer with JSON.parse per record. `stream-json`: the token parser. */
  engine: Engine;
  /** Largest record kept; a larger one is reported and skipped, so memory stays bounded. */
  maxRecordBytes: number;
  /** Standard input, replaceable in tests. */
  stdin?: AsyncIterable<Buffer>;
  /** Told how many raw bytes (before gunzip) each chunk read had: for progress. */
  onRead?: (bytes: number) => void;
  /** The matchers' candidate conditions: records that meet none are only counted (the fast path). Omitted: parse everything. */
  candidates?: readonly Candidate[];
  /** Where the fast path's records go, if not as `counted` events (frames.ts). */
  counted?: (fields: SummaryFields) => void;
}

const READ_CHUNK = 1 << 20;

const NOT_ATHENA_CSV = 'a CSV file whose header does not name the CloudTrail columns sso-logs reads: the only CSV it reads is an Athena ' +
  '(or DuckDB) query result whose header names eventsource, eventname and eventtime; skipped';

/** A first line that is a CSV header rather than JSON: no bracket to open a value, cells split by commas. */
function looksLikeCsv(line: string): boolean {
  const text = line.replace(/^\uFEFF/, '').trim();
  return /^["A-Za-z_]/.test(text) && text.includes(',') && !/[{}[\]]/.test(text);
}

/**
 * Reads one input to the end, yielding its records and what went wrong, in order, a chunk's worth at a time
 * (one await per record would cost more than reading it). Never throws for bad
 * input: a read error or a corrupt gzip ends this input with a problem, and what was read before stays.
 */
export async function* readInput(input: Input, options: ReadOptions): AsyncGenerator<ReadEvent[]> {
  if (input.kind === 'file' && isDigestPath(input.path)) {
    yield [{ type: 'note', input: input.label, message: DIGEST_NOTE, digest: true }];
    return;
  }
  let gzip = false;
  let bytes = 0;
  let failed = false;
  let csv = false;
  const reader = new FrameReader(input.label, options.candidates, options.counted);
  const splitter = options.engine === 'split' ? new JsonFramer({ maxValueBytes: options.maxRecordBytes }) : undefined;
  try {
    const decoded = await open(input, options);
    gzip = decoded.gzip;
    reader.decompressed = gzip;
    const counted = await peekLine(countBytes(decoded.chunks, (n) => (bytes += n)));
    if (counted.line !== undefined && (await isAthenaHeader(counted.line))) {
      // Athena (or DuckDB) query results: CSV, read by column rather than framed as JSON
      csv = true;
      yield* readAthenaCsv(counted.chunks, input.label);
    } else if (counted.line !== undefined && looksLikeCsv(counted.line)) {
      // Any other CSV would be one "not JSON" problem per line: say once what was found and what is read.
      failed = true;
      yield [{ type: 'problem', problem: { input: input.label, code: 'CSV_NOT_ATHENA', message: NOT_ATHENA_CSV } }];
      return;
    } else if (splitter) {
      for await (const chunk of counted.chunks) {
        if (FAULT === 'reader') throw new TypeError('injected fault (SSO_LOGS_FAULT=reader)');
        yield reader.read(splitter.push(chunk));
      }
    } else {
      // Loaded only when asked for: stream-json is the reference engine, and start-up time counts.
      const { streamJsonFrames } = await import('./stream-json.js');
      for await (const frames of batches(streamJsonFrames(counted.chunks))) yield reader.read(frames);
    }
  } catch (error) {
    // Only what the input can cause is a problem of the input: a read error (a system error code) or a
    // corrupt gzip. Anything else is a bug in sso-logs, and must end the run as one (exit 4), not as exit 2.
    // (stream-json's syntax errors too: it stops at the first one; its module is loaded lazily, so by name)
    const syntax = error instanceof Error && error.name === 'JsonSyntaxError';
    if (describeGzipError(error) === undefined && !isSystemError(error) && !syntax) throw error;
    failed = true;
    const message = describeGzipError(error) ?? describeSystemError(error);
    const where = bytes > 0 ? { offset: bytes, ...(gzip ? { decompressed: true } : {}) } : {};
    const code = syntax ? 'JSON_MALFORMED' : describeGzipError(error) === undefined ? systemCode(error) : errorCode(error) === 'Z_BUF_ERROR' ? 'GZIP_TRUNCATED' : 'GZIP_CORRUPT';
    yield [{ type: 'problem', problem: { input: input.label, code, message: bytes > 0 ? `${message}; read stopped here` : message, ...where } }];
  }
  if (csv) return;
  if (splitter) yield reader.read(splitter.end());
  if (reader.empty && reader.problems === 0 && !failed) {
    const message = bytes === 0 ? 'empty input: no data' : 'empty input: no JSON value in it, only white space';
    yield [{ type: 'problem', problem: { input: input.label, code: 'EMPTY_INPUT', message } }];
  }
}

// An S3 tree's files are a few hundred KB: read whole and inflated in one call, each costs a fraction of what the
// stream's steps cost (see `open`). Bounded, so that two workers reading at once stay within the memory budget.
const WHOLE_FILE = 4 << 20;
const WHOLE_INFLATED = 32 << 20;

/**
 * The input's bytes, gunzipped if they are gzip. A small file is read in one call and inflated in one call; if
 * that fails (a corrupt or truncated gzip, more than WHOLE_INFLATED), the same bytes go through the stream,
 * which keeps what comes before the damage and says where it is. Larger files and pipes are streamed.
 */
async function open(input: Input, options: ReadOptions): Promise<Decoded> {
  if (input.kind === 'file' && input.size > 0 && input.size <= WHOLE_FILE) {
    // Sync: fs.promises.readFile takes several round trips to libuv's threads, and a worker waited on them for
    // a tenth of its time; a file this small is read from the page cache in a millisecond or two.
    const bytes = readFileSync(input.path);
    options.onRead?.(bytes.length);
    if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        return { gzip: true, chunks: one(gunzipSync(bytes, { maxOutputLength: WHOLE_INFLATED, chunkSize: WHOLE_CHUNK })) };
      } catch {
        // the stream reads it again and tells what went wrong, after what it could keep
      }
    }
    return decode(one(bytes));
  }
  const raw = input.kind === 'stdin'
    ? options.stdin ?? (process.stdin as AsyncIterable<Buffer>)
    : createReadStream(input.path, { highWaterMark: READ_CHUNK });
  return decode(options.onRead ? countBytes(raw, options.onRead) : raw);
}

const WHOLE_CHUNK = 1 << 20;

async function* one(bytes: Buffer): AsyncGenerator<Buffer> {
  if (bytes.length) yield bytes;
}

// A CSV header is one line; JSON never starts with a quote followed by a comma-separated header.
const PEEK = 64 * 1024;

/**
 * The first line of a stream, when it may be a CSV header (JSON, which starts with `{` or `[`, is told at the
 * first byte), and the stream whole again.
 */
async function peekLine(source: AsyncIterable<Buffer>): Promise<{ line: string | undefined; chunks: AsyncIterable<Buffer> }> {
  let first: number | undefined;
  const { head, chunks } = await peek(source, (head, size) => {
    const last = head[head.length - 1];
    if (!last) return false;
    first ??= last.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    // { or [: JSON; otherwise up to the end of the first line
    return first === 0x7b || first === 0x5b || last.includes(0x0a) || size >= PEEK;
  });
  let line: string | undefined;
  if (first !== undefined && first !== 0x7b && first !== 0x5b) {
    const start = head.length === 1 ? head[0]! : Buffer.concat(head);
    const nl = start.indexOf(0x0a);
    line = start.toString('utf8', 0, nl === -1 ? Math.min(start.length, PEEK) : nl);
  }
  return { line, chunks };
}

async function* countBytes(chunks: AsyncIterable<Buffer>, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    add(chunk.length);
    yield chunk;
  }
}

async function* batches(frames: AsyncIterable<AnyFrame>): AsyncGenerator<AnyFrame[]> {
  for await (const frame of frames) yield [frame];
}

import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { constants, createGunzip, type Gunzip } from 'node:zlib';
import { errorCode } from '../errors.js';
import { peek } from './peek.js';

// Node's default 16 KiB zlib chunks cost 2.8x on gunzip (measured, issue 5); 1 MiB keeps memory small.
const GUNZIP_CHUNK = 1 << 20;

export interface Decoded {
  gzip: boolean;
  chunks: AsyncIterable<Buffer>;
}

/** Gzip is recognised by its magic bytes, so a `.json.gz` piped on stdin or renamed is read all the same. */
export async function decode(source: AsyncIterable<Buffer>): Promise<Decoded> {
  const { head, chunks: replayed } = await peek(source, (_, size) => size >= 2);
  const first = head[0];
  const b0 = first?.[0];
  const b1 = first && first.length > 1 ? first[1] : head[1]?.[0];
  if (b0 === 0x1f && b1 === 0x8b) {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK, flush: constants.Z_SYNC_FLUSH });
    const chunks = drain(gunzip);
    void feed(replayed, gunzip);
    return { gzip: true, chunks };
  }
  return { gzip: false, chunks: replayed };
}

/**
 * Writes the compressed bytes into gunzip so that no good data is lost to an error. zlib drops the output of the
 * step in which it fails: with the CRC or length of the 8-byte trailer wrong, that step would hold the last
 * records of the file, or all of a small one; cut short, the last bytes before the cut. So every write flushes
 * its output (Z_SYNC_FLUSH), the trailer goes in as a write of its own, and a flush precedes the end: the
 * failing step then has nothing to drop. Errors, from reading or from zlib, come out of `drain`.
 */
async function feed(chunks: AsyncIterable<Buffer>, gunzip: Gunzip): Promise<void> {
  // Waits while gunzip's input is full; false once it is gone (an error, or a reader that stopped early), and
  // the loop then stops reading the file.
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (gunzip.destroyed) return false;
    if (!gunzip.write(chunk)) {
      // Whichever comes first ends the wait, and the other listener goes with it: left behind, one listener
      // per wait piles up on a stream of many gzip members, and Node warns on stderr after ten.
      const done = new AbortController();
      await Promise.race([once(gunzip, 'drain', { signal: done.signal }), once(gunzip, 'close', { signal: done.signal })]).finally(() => done.abort());
    }
    return !gunzip.destroyed;
  };
  try {
    let held: Buffer | undefined;
    for await (const chunk of chunks) {
      // The chunk is not copied: the bytes held back go first, as a write of their own.
      const all = held && chunk.length < TRAILER ? Buffer.concat([held, chunk]) : chunk;
      if (held && all === chunk && !(await write(held))) return;
      if (all.length > TRAILER && !(await write(all.subarray(0, all.length - TRAILER)))) return;
      held = Buffer.from(all.subarray(Math.max(0, all.length - TRAILER)));
    }
    if (held?.length && !(await write(held))) return;
    gunzip.flush(constants.Z_SYNC_FLUSH, () => gunzip.end());
  } catch (error) {
    // a read error (the file went away, a disk error), or gunzip's own error, which drain has already seen
    if (!gunzip.destroyed) gunzip.destroy(error as Error);
  }
}

const TRAILER = 8;

/**
 * A stream's chunks, then its error. A stream's own async iterator stops reading at the error, and drops what
 * was pushed just before it and not yet read: the records before a corrupt gzip trailer. Taken from 'data'
 * events, every chunk pushed is kept; pausing at two waiting chunks stops zlib from inflating further, so a
 * gzip bomb still waits for the reader.
 */
function drain(stream: Readable): AsyncGenerator<Buffer> {
  // Listening starts now, not at the first read: the reader may first load a module, and an error emitted
  // before anyone listens would be missed.
  const queue: Buffer[] = [];
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= 2) stream.pause();
    notify();
  };
  stream.on('data', onData);
  stream.on('end', () => {
    ended = true;
    notify();
  });
  stream.on('error', (error) => {
    // What was inflated before the error may still sit in the stream's buffer (we paused): it is good data.
    stream.off('data', onData);
    for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) queue.push(chunk);
    failure = { error };
    notify();
  });
  return (async function* () {
    try {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          if (queue.length < 2 && !failure && !ended) stream.resume();
          yield chunk;
        } else if (failure) throw failure.error;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (!ended && !failure) stream.destroy();
    }
  })();
}

/** zlib's messages are terse; say what they mean for a log file. */
export function describeGzipError(error: unknown): string | undefined {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR') return `truncated gzip: ${message}`;
  if (code === 'Z_DATA_ERROR') return `corrupt gzip data: ${message}`;
  return undefined;
}

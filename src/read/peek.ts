/**
 * The first chunks of a stream, read until `enough` says so (or the stream ends), and the stream whole again:
 * how a reader looks at the start of an input (gzip magic, a CSV header) without losing any of it.
 */
export async function peek(source: AsyncIterable<Buffer>, enough: (head: Buffer[], size: number) => boolean): Promise<{ head: Buffer[]; chunks: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (!enough(head, size)) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (!done) for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.();
    }
  }
  return { head, chunks: replay() };
}

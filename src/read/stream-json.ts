import { Readable } from 'node:stream';
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import type { ContainerFrame, LostFrame, ParsedFrame } from './frames.js';
import { isContainerKey } from './framer/containers.js';
import { MAX_NESTING, TOO_DEEP, type ContainerKey, type Where } from './framer/frame.js';

type Token = { name: string; value?: unknown };

/**
 * The same frames as JsonFramer, from stream-json's token parser: the reference the byte framer is tested
 * against, and `--engine stream-json` for whoever wants a validating parser. It is ~10x slower and stops at the
 * first syntax error (stream-json cannot resume), which is why it is not the default.
 */
/** A syntax error in the input, found by stream-json (which stops there: it cannot resume). */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

export async function* streamJsonFrames(chunks: AsyncIterable<Buffer>): AsyncGenerator<ParsedFrame | ContainerFrame | LostFrame> {
  const source = Readable.from(chunks);
  const tokens = source.pipe(parser.asStream({ jsonStreaming: true, streamValues: false }));
  // pipe() does not pass errors on: a corrupt gzip would be an unhandled 'error' event. Let the parser finish
  // what it was given (the records before the error), then throw the read error for readInput to report.
  let readError: unknown;
  source.on('error', (error) => {
    readError = error;
    tokens.end();
  });
  try {
    yield* frames(tokens);
  } catch (error) {
    if (readError) throw readError;
    // stream-json's parser says "Parser cannot parse input: ..." / "Parser has expected ...": the input's
    // fault, reported as such; any other error is ours, and stays a bug.
    if (error instanceof Error && /^Parser /.test(error.message)) throw new JsonSyntaxError(error.message);
    throw error;
  }
  if (readError) throw readError;
}

async function* frames(tokens: AsyncIterable<unknown>): AsyncGenerator<ParsedFrame | ContainerFrame | LostFrame> {
  let depth = 0;
  let asm: Assembler | null = null; // assembling a whole top-level value or one element
  let asmWhere: Where = 'top';
  let asmDepth = 0; // depth at which the assembled value started
  let topObject = false;
  let pendingKey: string | null = null;
  let elemWhere: Where | null = null;
  let elemDepth = -1;
  let expectContainer = false;
  let tooDeep = false; // the value being assembled nests past MAX_NESTING: dropped, and said so at its end

  for await (const token of tokens as AsyncIterable<Token>) {
    const { name } = token;
    const opens = name === 'startObject' || name === 'startArray';
    const closes = name === 'endObject' || name === 'endArray';
    const scalar = name === 'stringValue' || name === 'numberValue' || name === 'nullValue' || name === 'trueValue' || name === 'falseValue';

    if (depth === 0 && (opens || scalar)) {
      topObject = name === 'startObject';
      if (name === 'startArray') {
        elemWhere = 'array';
        elemDepth = 1;
        yield { kind: 'container', where: 'array' };
      } else {
        asm = new Assembler();
        asmWhere = 'top';
        asmDepth = 0;
      }
    } else if (depth === 1 && topObject && name === 'keyValue') {
      pendingKey = String(token.value);
      expectContainer = isContainerKey(pendingKey);
    } else if (depth === 1 && topObject && expectContainer && name === 'startArray') {
      // `{"Records":[`: stop assembling the whole object, stream its elements instead.
      asm = null;
      elemWhere = pendingKey as ContainerKey;
      elemDepth = 2;
      expectContainer = false;
      depth++;
      yield { kind: 'container', where: elemWhere };
      continue;
    } else if (elemWhere !== null && depth === elemDepth && !asm && (opens || scalar)) {
      asm = new Assembler();
      asmWhere = elemWhere;
      asmDepth = elemDepth;
    }
    if (depth === 1 && topObject && name !== 'keyValue') expectContainer = false;

    if (asm && opens && depth + 1 - asmDepth > MAX_NESTING) tooDeep = true;
    if (asm && !tooDeep) asm.consume(token as Parameters<Assembler['consume']>[0]);
    if (opens) depth++;
    if (closes) depth--;

    if (asm && tooDeep && depth === asmDepth && closes) {
      yield { kind: 'lost', where: asmWhere, message: TOO_DEEP, code: 'RECORD_TOO_DEEP' };
      asm = null;
      tooDeep = false;
    } else if (asm && depth === asmDepth && (closes || scalar)) {
      // A copy: the parser's strings are slices of its input, so a record a matcher keeps would keep the
      // whole chunk it came from alive (measured: memory grew with the input, 579 MB for a 200 MB file).
      yield { kind: 'parsed', where: asmWhere, value: structuredClone(asm.current) };
      asm = null;
    }
    if (closes && elemWhere !== null && depth === elemDepth - 1) {
      elemWhere = null;
      elemDepth = -1;
    }
  }
}

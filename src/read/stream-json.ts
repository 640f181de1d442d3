import { Readable } from 'node:stream';
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import type { ContainerFrame, ParsedFrame } from './frames.js';
import { isContainerKey, type ContainerKey, type Where } from './split.js';

type Token = { name: string; value?: unknown };

/**
 * The same frames as JsonSplitter, from stream-json's token parser: the reference the byte framer is tested
 * against, and `--engine stream-json` for whoever wants a validating parser. It is ~10x slower and stops at the
 * first syntax error (stream-json cannot resume), which is why it is not the default.
 */
export async function* streamJsonFrames(chunks: AsyncIterable<Buffer>): AsyncGenerator<ParsedFrame | ContainerFrame> {
  const tokens = Readable.from(chunks).pipe(parser.asStream({ jsonStreaming: true, streamValues: false }));
  let depth = 0;
  let asm: Assembler | null = null; // assembling a whole top-level value or one element
  let asmWhere: Where = 'top';
  let asmDepth = 0; // depth at which the assembled value started
  let topObject = false;
  let pendingKey: string | null = null;
  let elemWhere: Where | null = null;
  let elemDepth = -1;
  let expectContainer = false;

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

    if (asm) asm.consume(token as Parameters<Assembler['consume']>[0]);
    if (opens) depth++;
    if (closes) depth--;

    if (asm && depth === asmDepth && (closes || scalar)) {
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

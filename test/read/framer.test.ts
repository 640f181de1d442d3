import { describe, expect, it } from 'vitest';
import { JsonFramer } from '../../src/read/framer/framer.js';
import type { Frame } from '../../src/read/framer/frame.js';

const MAX = 1 << 20;

/** Frames as comparable plain data: kind, where, offset, and the value's text (container frames left out). */
function frames(chunks: Buffer[], max = MAX, containers = false): unknown[] {
  const s = new JsonFramer({ maxValueBytes: max });
  const out: Frame[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out.filter((f) => containers || f.kind !== 'container').map((f) => (f.kind === 'value' ? { kind: f.kind, where: f.where, offset: f.offset, text: f.bytes.toString('utf8') } : f));
}
const whole = (text: string, max = MAX) => frames([Buffer.from(text)], max);

describe('JsonFramer containers', () => {
  it('streams the elements of {"Records":[...]} and ignores the wrapper', () => {
    expect(whole('{"Records":[{"eventID":"a"}, {"eventID":"b","x":[1,{"y":"]}"}]}]}')).toEqual([
      { kind: 'value', where: 'Records', offset: 12, text: '{"eventID":"a"}' },
      { kind: 'value', where: 'Records', offset: 29, text: '{"eventID":"b","x":[1,{"y":"]}"}]}' },
    ]);
  });

  it('finds the container after other keys and skips members after it (lookup-events, Lake)', () => {
    expect(whole('{"QueryStatus":"FINISHED","QueryStatistics":{"ResultsCount":1},"QueryResultRows":[[{"eventID":"a"}]],"NextToken":"t"}')).toEqual([
      { kind: 'value', where: 'QueryResultRows', offset: 82, text: '[{"eventID":"a"}]' },
    ]);
    expect(whole('{"NextToken":"x","Events":[{"EventId":"1"},{"EventId":"2"}]}\n{"Events":[{"EventId":"3"}]}')).toEqual([
      { kind: 'value', where: 'Events', offset: 27, text: '{"EventId":"1"}' },
      { kind: 'value', where: 'Events', offset: 43, text: '{"EventId":"2"}' },
      { kind: 'value', where: 'Events', offset: 72, text: '{"EventId":"3"}' },
    ]);
  });

  it('does not take a nested "Records" key, or a key that merely contains the word, for a container', () => {
    expect(whole('{"a":{"Records":[1,2]},"xRecords":[3]}')).toEqual([
      { kind: 'value', where: 'top', offset: 0, text: '{"a":{"Records":[1,2]},"xRecords":[3]}' },
    ]);
  });

  it('announces each list, so that an empty {"Records":[]} is JSON and not an empty file', () => {
    expect(frames([Buffer.from('{"Records":[]}\n[]\n{"Events":[{"EventId":"1"}]}')], MAX, true)).toEqual([
      { kind: 'container', where: 'Records', offset: 11 },
      { kind: 'container', where: 'array', offset: 15 },
      { kind: 'container', where: 'Events', offset: 28 },
      { kind: 'value', where: 'Events', offset: 29, text: '{"EventId":"1"}' },
    ]);
  });

  it('streams a bare array, including scalar elements', () => {
    expect(whole(' [ {"a":1} , "s", 12, null ] ')).toEqual([
      { kind: 'value', where: 'array', offset: 3, text: '{"a":1}' },
      { kind: 'value', where: 'array', offset: 13, text: '"s"' },
      { kind: 'value', where: 'array', offset: 18, text: '12' },
      { kind: 'value', where: 'array', offset: 22, text: 'null' },
    ]);
  });

  it('reads JSON Lines and concatenated values, with CRLF and a BOM', () => {
    expect(whole('\ufeff{"a":1}\r\n{"b":"x\\"}"}{"c":[]} 7')).toEqual([
      { kind: 'value', where: 'top', offset: 3, text: '{"a":1}' },
      { kind: 'value', where: 'top', offset: 12, text: '{"b":"x\\"}"}' },
      { kind: 'value', where: 'top', offset: 24, text: '{"c":[]}' },
      { kind: 'value', where: 'top', offset: 33, text: '7' },
    ]);
  });
});

describe('JsonFramer on bad input', () => {
  it('hands a record with a trailing comma to JSON.parse, which alone fails; framing goes on', () => {
    const out = whole('{"Records":[{"eventID":"a",},{"eventID":"b"}]}');
    expect(out).toEqual([
      { kind: 'value', where: 'Records', offset: 12, text: '{"eventID":"a",}' },
      { kind: 'value', where: 'Records', offset: 29, text: '{"eventID":"b"}' },
    ]);
  });

  it('loses only the broken line of JSON Lines', () => {
    const text = '{"a":1}\n{"b":{"c":2}\n{"d":3}\n{"e":"unterminated\n{"f":4}\n';
    expect(whole(text)).toEqual([
      { kind: 'value', where: 'top', offset: 0, text: '{"a":1}' },
      { kind: 'lost', where: 'top', offset: 8, code: 'LINE_BROKEN', message: 'malformed JSON line: the line ends inside a JSON value' },
      { kind: 'value', where: 'top', offset: 21, text: '{"d":3}' },
      { kind: 'lost', where: 'top', offset: 29, code: 'LINE_BROKEN', message: 'malformed JSON line: the line ends inside a JSON value' },
      { kind: 'value', where: 'top', offset: 48, text: '{"f":4}' },
    ]);
  });

  it('recovers the lines after a broken first line by reading again from the next line', () => {
    const text = '{"a":{"b":1}\n{"c":2}\n{"d":3}\n';
    expect(whole(text)).toEqual([
      { kind: 'lost', where: 'top', offset: 0, code: 'JSON_TRUNCATED', message: 'malformed JSON: unexpected end of input inside this value' },
      { kind: 'value', where: 'top', offset: 13, text: '{"c":2}' },
      { kind: 'value', where: 'top', offset: 21, text: '{"d":3}' },
    ]);
  });

  it('reports text that is not JSON once per line and reads the next line', () => {
    expect(whole('hello world\n{"a":1}\n\u0000\u0001\n')).toEqual([
      { kind: 'error', offset: 0, code: 'NOT_JSON', message: "not JSON: unexpected character 'h'", fatal: false },
      { kind: 'value', where: 'top', offset: 12, text: '{"a":1}' },
      { kind: 'error', offset: 20, code: 'NOT_JSON', message: 'not JSON: unexpected byte 0x00', fatal: false },
    ]);
  });

  it('a word that is not JSON costs its own line only, whatever ends it', () => {
    expect(whole('nope\n{"a":1}\n{"b":2}\n')).toEqual([
      { kind: 'error', offset: 0, code: 'NOT_JSON', message: "not JSON: unexpected character 'n'", fatal: false },
      { kind: 'value', where: 'top', offset: 5, text: '{"a":1}' },
      { kind: 'value', where: 'top', offset: 13, text: '{"b":2}' },
    ]);
    expect(whole('nope[1]\n{"a":1}\n')).toEqual([
      { kind: 'error', offset: 0, code: 'NOT_JSON', message: "not JSON: unexpected character 'n'", fatal: false },
      { kind: 'value', where: 'top', offset: 8, text: '{"a":1}' },
    ]);
    // a log line that starts with a date is one problem, not a number and then text
    expect(whole('2024-10-10 INFO started\n{"a":1}\n')).toEqual([
      { kind: 'error', offset: 0, code: 'NOT_JSON', message: "not JSON: unexpected character '2'", fatal: false },
      { kind: 'value', where: 'top', offset: 24, text: '{"a":1}' },
    ]);
  });

  it('reads pretty-printed JSON that follows JSON Lines (cat a.jsonl b.json)', () => {
    const pretty = JSON.stringify({ eventVersion: '1.08', eventID: 'p', nested: { a: [1, 2] } }, null, 2);
    const out = whole(`{"eventID":"j1"}\n{"eventID":"j2"}\n${pretty}\n{"eventID":"j3"}\n`) as { kind: string; text?: string }[];
    expect(out.map((f) => f.kind)).toEqual(['value', 'value', 'value', 'value']);
    expect(out[2]!.text).toBe(pretty);
  });

  it('says which record a truncated Records file ends in', () => {
    expect(whole('{"Records":[{"eventID":"a"},{"eventID":"b","x":"ab')).toEqual([
      { kind: 'value', where: 'Records', offset: 12, text: '{"eventID":"a"}' },
      { kind: 'lost', where: 'Records', offset: 28, code: 'JSON_TRUNCATED', message: 'input ends inside this record (truncated)' },
    ]);
  });

  it('stops at brackets that do not match inside a container: there is no safe place to resume', () => {
    expect(whole('{"Records":[{"eventID":"a"},{"x":[}],{"eventID":"c"}]}')).toEqual([
      { kind: 'value', where: 'Records', offset: 12, text: '{"eventID":"a"}' },
      { kind: 'error', offset: 34, code: 'JSON_MALFORMED', message: "unexpected character '}': brackets do not match; the rest of this input cannot be read", fatal: true },
    ]);
  });

  it('skips a record over the size limit without buffering it, and reads the next', () => {
    const big = `{"eventID":"big","pad":"${'x'.repeat(300)}"}`;
    const text = `{"Records":[${big},{"eventID":"small"}]}`;
    const chunks = [...text].map((ch) => Buffer.from(ch)); // the limit must hold across chunks too
    const expected = [
      { kind: 'lost', where: 'Records', offset: 12, code: 'RECORD_TOO_LARGE', message: `value of ${big.length} bytes is larger than the 100-byte limit per record; skipped` },
      { kind: 'value', where: 'Records', offset: 13 + big.length, text: '{"eventID":"small"}' },
    ];
    expect(whole(text, 100)).toEqual(expected);
    expect(frames(chunks, 100)).toEqual(expected);
  });
});

describe('JsonFramer chunk boundaries', () => {
  // Every construct the framer tracks: escapes, brackets in strings, BOM, scalars, containers, JSON Lines.
  const doc = [
    '\ufeff{"Records":[{"eventID":"r1","s":"a\\\\\\"]}[{"},{"eventID":"r2","n":-1.5e3,"t":true}]}',
    '[{"eventID":"a1"},"x\\u0041",false]',
    '{"Events":[{"EventId":"e1","CloudTrailEvent":"{\\"eventID\\":\\"x\\"}"}],"NextToken":"n"}',
    '{"eventID":"j1","k":null}',
    '{"eventID":"j2","k":[{},[]]}',
    '12345',
    '{"QueryResultRows":[[{"eventID":"q1"}]]}',
  ].join('\n');
  const bytes = Buffer.from(doc);
  const reference = frames([bytes]);

  it('has the frames the document holds', () => {
    expect(reference.length).toBe(10);
  });

  it('gives the same frames for every split position', () => {
    for (let at = 0; at <= bytes.length; at++) {
      expect(frames([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(reference);
    }
  });

  it('gives the same frames one byte at a time, and in three uneven pieces', () => {
    expect(frames([...bytes].map((b) => Buffer.from([b])))).toEqual(reference);
    for (let a = 1; a < bytes.length; a += 7) {
      for (let b = a; b < bytes.length; b += 11) {
        expect(frames([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)])).toEqual(reference);
      }
    }
  });

  it('recovers broken JSON Lines the same way at every split position', () => {
    const broken = Buffer.from('{"a":{"b":1}\n{"c":2}\n{"d":"x\n{"e":3}\nnot json\n{"f":4}');
    const ref = frames([broken]);
    expect(ref.filter((f) => (f as { kind: string }).kind === 'value').length).toBe(3);
    for (let at = 0; at <= broken.length; at++) {
      expect(frames([broken.subarray(0, at), broken.subarray(at)]), `split at ${at}`).toEqual(ref);
    }
  });
});

/**
 * Property-based tests (fast-check): valid exports in any container, cut into any chunks, read the same; any
 * bytes and any mutation of a valid export are read to the end without an exception; the fast path and the
 * stream-json engine agree on every generated document. Seeds are fixed so that a failure can be replayed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInput, type Engine, type ReadEvent } from '../../src/read/index.js';
import { MATCHER_IDS } from '../../src/match/registry.js';
import { MatchRunner } from '../../src/match/runner.js';
import { IdentityDirectory } from '../../src/identity-store.js';
import { scan, type ScanOptions } from '../../src/run.js';
import { SummaryBuilder } from '../../src/summary.js';
import type { Candidate } from '../../src/candidates.js';
import { STDIN } from '../support/read.js';
import { JsonFramer } from '../../src/read/framer/framer.js';

const SOURCES = ['sso-directory.amazonaws.com', 'identitystore-scim.amazonaws.com', 'sso.amazonaws.com', 'iam.amazonaws.com', 'signin.amazonaws.com', 'ec2.amazonaws.com', 's3.amazonaws.com'];
const NAMES = ['UpdatePassword', 'CreateUser', 'DeleteUser', 'CreateAccountAssignment', 'DeleteRolePolicy', 'CredentialChallenge', 'DescribeInstances', 'GetObject'];
const CANDIDATES: Candidate[] = new MatchRunner(MATCHER_IDS, { principals: ['jdoe'], recreateWindowMs: 1, directory: new IdentityDirectory() }, () => {}).candidates();

/** Any text, control characters, quotes, backslashes and astral characters included. */
const text = fc.string({ unit: 'binary', maxLength: 40 });
const record = fc.record({
  eventVersion: fc.constant('1.08'),
  eventTime: fc.oneof(fc.integer({ min: 1.6e12, max: 1.8e12 }).map((ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')), text),
  eventSource: fc.oneof(fc.constantFrom(...SOURCES), text),
  eventName: fc.oneof(fc.constantFrom(...NAMES), text),
  awsRegion: fc.constantFrom('us-east-1', 'eu-west-1'),
  recipientAccountId: fc.constantFrom('111122223333', '444455556666'),
  userIdentity: fc.record({ type: fc.constantFrom('IAMUser', 'Unknown'), userName: text }),
  requestParameters: fc.oneof(fc.constant(null), fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })),
}, { requiredKeys: ['eventVersion', 'recipientAccountId'] }).chain((r) => fc.option(fc.constantFrom('InternalFailure', 'UnmodifiableEntity'), { nil: undefined }).map((errorCode) => (errorCode ? { ...r, errorCode } : r)));
const records = fc.array(record, { minLength: 0, maxLength: 12 }).map((list) => list.map((r, i) => ({ ...r, eventID: `id-${i}` })));

type Container = 'records' | 'array' | 'jsonl' | 'pretty' | 'lookup';
function render(list: Record<string, unknown>[], container: Container): string {
  switch (container) {
    case 'records': return JSON.stringify({ Records: list });
    case 'array': return JSON.stringify(list);
    case 'jsonl': return list.map((r) => JSON.stringify(r)).join('\n') + '\n';
    case 'pretty': return list.map((r) => JSON.stringify(r, null, 2)).join('\n');
    case 'lookup': return JSON.stringify({ Events: list.map((r) => ({ EventId: r.eventID, EventName: 'x', CloudTrailEvent: JSON.stringify(r) })) });
  }
}
const document = fc.record({ list: records, container: fc.constantFrom<Container>('records', 'array', 'jsonl', 'pretty', 'lookup'), gzip: fc.boolean() });

/** Cuts bytes at these fractions of their length. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });
function split(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces.filter((p) => p.length > 0);
}

interface Reading {
  ids: string[];
  problems: string[];
  summary: ReturnType<SummaryBuilder['build']>;
}

async function readAll(pieces: Buffer[], engine: Engine, candidates?: Candidate[]): Promise<Reading> {
  async function* stdin() {
    for (const p of pieces) yield p;
  }
  const summary = new SummaryBuilder();
  const ids: string[] = [];
  const problems: string[] = [];
  const options = { engine, maxRecordBytes: 1 << 20, stdin: stdin(), ...(candidates ? { candidates } : {}) };
  for await (const events of readInput(STDIN, options) as AsyncIterable<ReadEvent[]>) {
    for (const e of events) {
      if (e.type === 'record') {
        ids.push(String(e.record.eventID));
        summary.record(e.record);
      } else if (e.type === 'counted') summary.counted(e.fields);
      else if (e.type === 'problem') {
        problems.push(e.problem.message);
        summary.problem(e.problem);
      }
    }
  }
  return { ids, problems, summary: summary.build() };
}

const bytesOf = (doc: { list: Record<string, unknown>[]; container: Container; gzip: boolean }) => {
  const raw = Buffer.from(render(doc.list, doc.container));
  return doc.gzip ? gzipSync(raw) : raw;
};

describe('properties of the reader', () => {
  it('any valid export, in any container, cut into any chunks, gives the records it holds, in order', async () => {
    await fc.assert(fc.asyncProperty(document, cuts, async (doc, at) => {
      const bytes = bytesOf(doc);
      const read = await readAll(split(bytes, at), 'split');
      const empty = doc.list.length === 0 ? { jsonl: ['empty input: no JSON value in it, only white space'], pretty: ['empty input: no data'] }[doc.container as string] : undefined;
      expect(read.problems).toEqual(empty ?? []);
      expect(read.ids).toEqual(doc.list.map((r) => r.eventID));
      // and the fast path, which counts most records from their bytes, sums up to the same
      const fast = await readAll(split(bytes, at), 'split', CANDIDATES);
      expect(fast.summary).toEqual(read.summary);
    }), { seed: 20261127, numRuns: 300 });
  });

  it('a gzip export cut at any byte keeps every record the cut leaves whole, and reports the cut', async () => {
    await fc.assert(fc.asyncProperty(records, fc.double({ min: 0, max: 1, noNaN: true }), cuts, async (list, where, at) => {
      const text = render(list, 'jsonl');
      const gz = gzipSync(text);
      const cut = gz.subarray(0, Math.floor(where * gz.length));
      // the independent reading: zlib told to give what it can of a cut stream, and whole lines of it
      let prefix = '';
      try {
        prefix = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
      } catch {
        // cut inside the header
      }
      const whole = prefix.split('\n').slice(0, -1).filter((line) => line !== '').map((line) => JSON.parse(line).eventID);
      const read = await readAll(split(cut, at), 'split');
      expect(read.ids).toEqual(whole);
      // (fewer than two bytes are not recognisably gzip: read as the text they are)
      if (cut.length >= 2 && cut.length < gz.length) expect(read.problems.some((p) => p.startsWith('truncated gzip'))).toBe(true);
    }), { seed: 11, numRuns: 300 });
  });

  it('the fast path and the stream-json engine agree on every generated document', async () => {
    await fc.assert(fc.asyncProperty(document, async (doc) => {
      const bytes = bytesOf(doc);
      const reference = await readAll([bytes], 'stream-json');
      const fast = await readAll([bytes], 'split', CANDIDATES);
      const full = await readAll([bytes], 'split');
      expect(full.ids).toEqual(reference.ids);
      expect(fast.summary).toEqual(reference.summary);
    }), { seed: 7, numRuns: 200 });
  });

  const mutation = fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'duplicate'),
    byte: fc.integer({ min: 0, max: 255 }),
    length: fc.integer({ min: 1, max: 64 }),
  });
  function mutate(bytes: Buffer, ms: { at: number; kind: string; byte: number; length: number }[]): Buffer {
    let b = Buffer.from(bytes);
    for (const m of ms) {
      const i = Math.floor(m.at * b.length);
      if (m.kind === 'flip' && b.length) b[Math.min(i, b.length - 1)] = m.byte;
      else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, i), Buffer.alloc(m.length, m.byte), b.subarray(i)]);
      else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + m.length)]);
      else if (m.kind === 'truncate') b = b.subarray(0, i);
      else b = Buffer.concat([b.subarray(0, i), b.subarray(i, i + m.length * 8), b.subarray(i)]);
    }
    return b;
  }
  const mutated = fc.tuple(document, fc.array(mutation, { minLength: 1, maxLength: 4 }), cuts).map(([doc, ms, at]) => split(mutate(bytesOf(doc), ms), at));
  const random = fc.tuple(fc.uint8Array({ maxLength: 4000 }), cuts).map(([b, at]) => split(Buffer.from(b), at));

  it('random bytes and mutated exports are read to the end: no exception, every problem a message', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, random), async (pieces) => {
      for (const engine of ['split', 'stream-json'] as const) {
        const read = await readAll(pieces, engine, engine === 'split' ? CANDIDATES : undefined);
        for (const p of read.problems) expect(p).toMatch(/^[^\n]+$/);
      }
    }), { seed: 42, numRuns: 400, timeout: 5000, markInterruptAsFailure: true });
  });

  // JSON Lines repair once depended on where a read chunk ended (a newline as its last byte was taken as a value
  // written over several lines), so the same bytes gave other records on a pipe fed in two writes.
  const jsonlBroken = fc.array(fc.oneof(records.map((list) => list.map((r) => JSON.stringify(r))), fc.constant(['{"id":"b","k\\":"1"}'])), { minLength: 1, maxLength: 4 })
    .map((groups) => Buffer.from(groups.flat().join('\n') + '\n'));
  const anyBytes = fc.oneof(
    fc.tuple(document, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([doc, ms]) => mutate(bytesOf(doc), ms)),
    fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b)),
    jsonlBroken,
  );

  it('any bytes, valid or not, cut into any chunks, give the same records and the same problems as read whole', async () => {
    const detail = async (pieces: Buffer[], candidates?: Candidate[]) => {
      async function* stdin() {
        for (const p of pieces) yield p;
      }
      const out: string[] = [];
      const options = { engine: 'split' as const, maxRecordBytes: 1 << 20, stdin: stdin(), ...(candidates ? { candidates } : {}) };
      for await (const events of readInput(STDIN, options) as AsyncIterable<ReadEvent[]>) {
        for (const e of events) {
          if (e.type === 'record') out.push(`record ${JSON.stringify(e.record.eventID)} ${e.index}`);
          else if (e.type === 'problem') out.push(`problem ${e.problem.code} ${e.problem.message} ${e.problem.record} ${e.problem.offset}`);
          else if (e.type === 'counted') out.push(`counted ${JSON.stringify(e.fields)}`);
        }
      }
      return out;
    };
    // cuts anywhere, and cuts right after newlines, where a read chunk ending decides the most
    const afterNewlines = (bytes: Buffer, pick: number[]) => {
      const nl = [...bytes.keys()].filter((i) => bytes[i] === 0x0a).map((i) => i + 1);
      return pick.map((k) => nl[k % Math.max(1, nl.length)] ?? 0);
    };
    await fc.assert(fc.asyncProperty(anyBytes, cuts, fc.array(fc.nat(), { maxLength: 4 }), async (bytes, at, pick) => {
      const pieces = split(bytes, [...at, ...afterNewlines(bytes, pick).map((p) => p / Math.max(1, bytes.length))]);
      expect(await detail(pieces)).toEqual(await detail([bytes]));
      expect(await detail(pieces, CANDIDATES)).toEqual(await detail([bytes], CANDIDATES));
    }), { seed: 2026, numRuns: 400, timeout: 5000, markInterruptAsFailure: true });
  });

  it('the framer\'s fast lane gives the frames and fields the state machine gives, on any bytes cut anywhere', () => {
    const frames = (pieces: Buffer[], fastLane: boolean) => {
      const framer = new JsonFramer({ maxValueBytes: 1 << 20, fastLane });
      const out = pieces.flatMap((p) => framer.push(p)).concat(framer.end());
      return out.map((f) => (f.kind === 'value' ? { ...f, bytes: f.bytes.toString('latin1') } : f));
    };
    // JSON's own bytes dropped in at random places: trailing and doubled commas, escapes, raw newlines, keys that
    // open containers, brackets, a BOM, values that are not strings, where byte flips seldom reach.
    const SNIPPETS = [',', ',,', '\\', '\\"', '\n', '"Records":[', '"Events":[', '"QueryResultRows":[', '{', '}', '[', ']', '"', ':', '\ufeff', ' 12', 'true', '"eventTime":1,', '"eventSource":{"a":1},', '"recipientAccountId":[],', '"recipientAccountId":"1",', '"a\\u0041":"b",', '{"eventSource":"x","eventTime":"y"}'];
    const defective = fc.tuple(document, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...SNIPPETS)), { minLength: 1, maxLength: 5 }))
      .map(([doc, edits]) => {
        let text = render(doc.list, doc.container);
        for (const [at, snippet] of edits) {
          // at a token's edge (after { , : or before } ]), where a snippet changes what the framer decides
          const edges = [...text].flatMap((ch, k) => ('{,:'.includes(ch) ? [k + 1] : '}]'.includes(ch) ? [k] : []));
          const i = edges.length ? edges[Math.floor(at * edges.length)]! : 0;
          text = text.slice(0, i) + snippet + text.slice(i);
        }
        return Buffer.from(text);
      });
    fc.assert(fc.property(fc.oneof(anyBytes, defective, defective), cuts, (bytes, at) => {
      const pieces = split(bytes, at);
      expect(frames(pieces, true)).toEqual(frames(pieces, false));
      expect(frames([bytes], true)).toEqual(frames([bytes], false));
    }), { seed: 314, numRuns: 2000 });
  });

  it('the issue\'s four lines: record c is kept however the input is cut', async () => {
    const lines = ['{"eventID":"a","eventName":"x"}', '{"id":"b","k\\":"1"}', '{"eventID":"c","eventName":"x"}', '{"eventID":"d","eventName":"x"}'];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const whole = await readAll([bytes], 'split');
    expect(whole.ids).toEqual(['a', 'c', 'd']);
    expect(whole.problems).toEqual(['malformed JSON line: the line ends inside a JSON value']);
    for (let cut = 1; cut < bytes.length; cut++) {
      const two = await readAll([bytes.subarray(0, cut), bytes.subarray(cut)], 'split');
      expect([two.ids, two.problems], `cut at ${cut}`).toEqual([whole.ids, whole.problems]);
    }
  });

  it('and so is the whole scan (matchers and every report), which never throws on them', async () => {
    const options: ScanOptions = {
      inputs: [], format: 'json', engine: 'split', maxRecordBytes: 1 << 20, color: false,
      matchers: MATCHER_IDS, principals: ['jdoe'], recreateWindowMs: 86_400_000, identityStores: [],
    };
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, random), fc.constantFrom('json', 'table', 'csv', 'markdown', 'ndjson'), async (pieces, format) => {
      async function* stdin() {
        for (const p of pieces) yield p;
      }
      const lines: string[] = [];
      const result = await scan({ ...options, format: format as ScanOptions['format'] }, { stdin: stdin(), stdinIsTTY: false, stderr: (l) => lines.push(l) });
      expect([0, 2]).toContain(result.exitCode);
      expect(result.exitCode === 2).toBe(result.summary.problems > 0);
      for (const l of lines) expect(l).toMatch(/^sso-logs: [^\n]+$/);
    }), { seed: 99, numRuns: 200, timeout: 5000, markInterruptAsFailure: true });
  });

  it('the built CLI on mutated exports: exit 0 or 2, one line per problem, never a stack trace', () => {
    const samples = fc.sample(mutated, { seed: 5, numRuns: 12 });
    const BIN = join(import.meta.dirname, '../../bin/sso-logs.js');
    for (const pieces of samples) {
      const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json'], { input: Buffer.concat(pieces), encoding: 'utf8', timeout: 20_000 });
      expect([0, 2]).toContain(r.status);
      for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^sso-logs: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });
});

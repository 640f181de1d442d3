import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { read, STDIN, tempDir } from '../support/read.js';

const rec = (id: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08', eventTime: '2024-10-10T13:23:45Z', eventSource: 'sso-directory.amazonaws.com',
  eventName: 'UpdatePassword', awsRegion: 'us-east-1', eventID: id, recipientAccountId: '111122223333', ...extra,
});
const lookupEvent = (id: string) => ({ EventId: id, EventName: 'UpdatePassword', ReadOnly: 'false', EventTime: 1424476529.0, EventSource: 'sso-directory.amazonaws.com', Resources: [], CloudTrailEvent: JSON.stringify(rec(id)) });

/** Every container the reader knows, with the record ids each must give. */
const CONTAINERS: [string, string, string[]][] = [
  ['S3 Records object (one line)', JSON.stringify({ Records: [rec('r1'), rec('r2')] }), ['r1', 'r2']],
  ['Records, pretty-printed (Event history download)', JSON.stringify({ Records: [rec('r1'), rec('r2')] }, null, 2), ['r1', 'r2']],
  ['bare array of records', JSON.stringify([rec('a1'), rec('a2')]), ['a1', 'a2']],
  ['JSON Lines (jq -c .Records[])', `${JSON.stringify(rec('j1'))}\n${JSON.stringify(rec('j2'))}\n`, ['j1', 'j2']],
  ['concatenated values', `${JSON.stringify(rec('c1'), null, 2)}${JSON.stringify(rec('c2'))}`, ['c1', 'c2']],
  ['lookup-events, two pages concatenated', `${JSON.stringify({ Events: [lookupEvent('l1'), lookupEvent('l2')], NextToken: 'abc' }, null, 4)}\n${JSON.stringify({ Events: [lookupEvent('l3')] }, null, 4)}\n`, ['l1', 'l2', 'l3']],
  ['JSON Lines of lookup-events Event objects', `${JSON.stringify(lookupEvent('e1'))}\n${JSON.stringify(lookupEvent('e2'))}\n`, ['e1', 'e2']],
  ['lookup-events --query Events (array)', JSON.stringify([lookupEvent('q1')]), ['q1']],
  ['an S3 object with no records', '{"Records":[]}', []],
  ['Insights records', JSON.stringify({ Records: [{ eventVersion: '1.08', eventTime: '2024-10-10T13:00:00Z', awsRegion: 'us-east-1', eventID: 'i1', eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight', insightDetails: { state: 'Start' } }] }), ['i1']],
];

describe('readInput: every container, plain and gzip, file and stdin', () => {
  const dir = tempDir();
  for (const [name, text, ids] of CONTAINERS) {
    it(name, async () => {
      const plain = join(dir, `${name.replace(/\W+/g, '_')}.json`);
      writeFileSync(plain, text);
      writeFileSync(`${plain}.gz`, gzipSync(text));
      // a gzip under a name without .gz: found by its magic bytes
      writeFileSync(`${plain}.data`, gzipSync(text));
      for (const result of [await read(plain), await read(`${plain}.gz`), await read(`${plain}.data`),
        await read(STDIN, 'split', [Buffer.from(text)]), await read(STDIN, 'split', [gzipSync(text)])]) {
        expect(result).toEqual({ ids, problems: [], notes: [] });
      }
      // the validating stream-json engine reads the same records
      expect(await read(plain, 'stream-json')).toEqual({ ids, problems: [], notes: [] });
      expect(await read(`${plain}.gz`, 'stream-json')).toEqual({ ids, problems: [], notes: [] });
    });
  }

  it('reads a gzip whose magic bytes arrive in separate chunks on stdin', async () => {
    const z = gzipSync(JSON.stringify({ Records: [rec('s1')] }));
    expect((await read(STDIN, 'split', [z.subarray(0, 1), z.subarray(1, 2), z.subarray(2)])).ids).toEqual(['s1']);
  });

  it('reads CloudTrail Lake get-query-results rows and says which columns are missing', async () => {
    const path = join(dir, 'lake.json');
    const row = [{ eventID: 'k1' }, { eventTime: '2024-10-10 13:23:45.000' }, { eventSource: 'sso-directory.amazonaws.com' }, { eventName: 'UpdatePassword' },
      { userIdentity: '{type=Unknown, principalid=111122223333, accountid=111122223333}' }];
    writeFileSync(path, JSON.stringify({ QueryStatus: 'FINISHED', QueryStatistics: { ResultsCount: 1 }, QueryResultRows: [row] }, null, 2));
    expect(await read(path)).toEqual({
      ids: ['k1'], problems: [],
      notes: ['CloudTrail Lake results without the columns awsRegion, recipientAccountId, requestParameters, responseElements, errorCode, errorMessage, additionalEventData, serviceEventDetails: findings that need them cannot be made'],
    });
  });

  it('skips a digest file by its content with a note', async () => {
    const path = join(dir, 'digest.json.gz');
    writeFileSync(path, gzipSync(JSON.stringify({ awsAccountId: '111122223333', digestStartTime: '2024-10-10T13:00:00Z', logFiles: [] })));
    expect(await read(path)).toEqual({ ids: [], problems: [], notes: ['CloudTrail digest file, skipped (it holds no events)'] });
  });
});

describe('readInput: bad input is reported with its position, and the rest is read', () => {
  const dir = tempDir();
  let good: string;
  beforeAll(() => {
    good = JSON.stringify({ Records: [rec('g1'), rec('g2'), rec('g3')] });
  });

  it('a truncated gzip keeps the records before the cut', async () => {
    const big = JSON.stringify({ Records: Array.from({ length: 2000 }, (_, i) => rec(`t${i}`, { pad: 'x'.repeat(200 + (i % 7)) })) });
    const z = gzipSync(big);
    const path = join(dir, 'truncated.json.gz');
    writeFileSync(path, z.subarray(0, Math.floor(z.length * 0.6)));
    const result = await read(path);
    expect(result.ids.length).toBeGreaterThan(100);
    expect(result.ids).toEqual(Array.from({ length: result.ids.length }, (_, i) => `t${i}`));
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^truncated gzip: unexpected end of file; read stopped here @zbyte \d+$/);
    expect(result.problems[1]).toMatch(new RegExp(`^input ends inside this record \\(truncated\\) @record ${result.ids.length + 1} @zbyte \\d+$`));
  });

  it('a gzip of garbage, and a file that only starts like gzip', async () => {
    const garbage = join(dir, 'garbage.gz');
    writeFileSync(garbage, gzipSync(Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xff, 0x10, 0x0a, 0x41])));
    expect(await read(garbage)).toEqual({ ids: [], problems: ['not JSON: unexpected byte 0x00 @zbyte 0', "not JSON: unexpected character 'A' @zbyte 7"], notes: [] });
    const fake = join(dir, 'fake.gz');
    writeFileSync(fake, Buffer.from([0x1f, 0x8b, 0x00, 0x00, 0x01, 0x02]));
    expect(await read(fake)).toEqual({ ids: [], problems: ['corrupt gzip data: unknown compression method'], notes: [] });
  });

  it('one malformed record (a trailing comma, as AWS documentation publishes) costs only that record', async () => {
    const path = join(dir, 'trailing-comma.json');
    writeFileSync(path, '{"Records":[{"eventVersion":"1.08","eventID":"m1"},\n{"eventVersion":"1.08","eventID":"m2",},\n{"eventVersion":"1.08","eventID":"m3"}]}');
    expect(await read(path)).toEqual({ ids: ['m1', 'm3'], problems: [expect.stringMatching(/^malformed JSON: .* @record 2 @byte 52$/)], notes: [] });
  });

  it('JSON that is not CloudTrail', async () => {
    const path = join(dir, 'package.json');
    writeFileSync(path, JSON.stringify({ name: 'x', version: '1.0.0', dependencies: {} }));
    expect(await read(path)).toEqual({
      ids: [], notes: [],
      problems: ['not a CloudTrail record: a JSON object with keys "name", "version", "dependencies" (no Records, Events or QueryResultRows list and no CloudTrail record fields) @record 1 @byte 0'],
    });
  });

  it('an empty file, and one of white space', async () => {
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'blank.json'), ' \n\r\n ');
    expect(await read(join(dir, 'empty.json'))).toEqual({ ids: [], problems: ['empty input: no data'], notes: [] });
    expect(await read(join(dir, 'blank.json'))).toEqual({ ids: [], problems: ['empty input: no JSON value in it, only white space'], notes: [] });
  });

  it('binary garbage: one problem per line of it, never a crash', async () => {
    const path = join(dir, 'binary.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    writeFileSync(path, bytes);
    const result = await read(path);
    expect(result.ids).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.length).toBeLessThanOrEqual(bytes.filter((b) => b === 0x0a).length + 1);
  });

  it('invalid UTF-8 inside a record: the record is kept and the input reported', async () => {
    const path = join(dir, 'latin1.json');
    const text = Buffer.concat([Buffer.from('{"Records":[{"eventVersion":"1.08","eventID":"u1","userName":"Jos'), Buffer.from([0xe9]), Buffer.from('"},{"eventVersion":"1.08","eventID":"u2"}]}')]);
    writeFileSync(path, text);
    expect(await read(path)).toEqual({ ids: ['u1', 'u2'], problems: ['invalid UTF-8 (read with replacement characters) @record 1 @byte 12'], notes: [] });
  });

  it('a malformed CloudTrailEvent string in lookup-events output', async () => {
    const path = join(dir, 'lookup-bad.json');
    writeFileSync(path, JSON.stringify({ Events: [{ ...lookupEvent('x1'), CloudTrailEvent: '{"eventID":' }, lookupEvent('x2')] }));
    const result = await read(path);
    expect(result.ids).toEqual(['x2']);
    expect(result.problems).toEqual([expect.stringMatching(/^malformed JSON in CloudTrailEvent: .* @record 1 @byte 11$/)]);
  });

  it('a path that does not exist, and a directory given as a file', async () => {
    expect(await read(join(dir, 'nope.json'))).toEqual({ ids: [], problems: ['no such file or directory'], notes: [] });
    expect(await read(dir)).toEqual({ ids: [], problems: ['is a directory'], notes: [] });
  });

  it('the good file next to them is read in full', async () => {
    const path = join(dir, 'good.json');
    writeFileSync(path, good);
    expect(await read(path)).toEqual({ ids: ['g1', 'g2', 'g3'], problems: [], notes: [] });
  });
});

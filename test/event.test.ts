import { describe, expect, it } from 'vitest';
import { looksLikeRecord, parseEventTime, recordAccount } from '../src/event.js';
import { lakeRowToRecord } from '../src/read/containers/lake.js';

describe('parseEventTime', () => {
  const cases: [unknown, string | undefined][] = [
    ['2024-10-10T13:23:45Z', '2024-10-10T13:23:45.000Z'],
    ['2022-03-16 19:17:41', '2022-03-16T19:17:41.000Z'], // no zone: CloudTrail means UTC
    ['2024-10-17 21:48:45.000000000', '2024-10-17T21:48:45.000Z'], // nanoseconds
    ['2024-10-10T13:23:45.123456Z', '2024-10-10T13:23:45.123Z'],
    ['2021-11-18T09:41:02-08:00', '2021-11-18T17:41:02.000Z'], // lookup-events, CLI v2
    ['2022-02-08 09:23:37+11:00', '2022-02-07T22:23:37.000Z'], // lookup-events, boto3 str()
    ['2024-10-10 13:00:00 +01:00', '2024-10-10T12:00:00.000Z'], // a space before the zone
    ['2024-10-10 13:00:00 Z', '2024-10-10T13:00:00.000Z'],
    [1424476529.0, '2015-02-20T23:55:29.000Z'], // lookup-events, old CLI
    ['xxxx', undefined], ['redacted', undefined], ['', undefined], [null, undefined], [{}, undefined],
    ['2024-13-45T00:00:00Z', undefined],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => expect(parseEventTime(input)?.toISOString()).toBe(expected));
  }
});

describe('records', () => {
  it('are recognised by two record fields, whatever else is missing', () => {
    expect(looksLikeRecord({ eventVersion: '1.08', eventID: 'x' })).toBe(true);
    expect(looksLikeRecord({ eventType: 'AwsCloudTrailInsight', eventTime: 'xxxx' })).toBe(true);
    expect(looksLikeRecord({ eventName: 'x' })).toBe(false);
    expect(looksLikeRecord(['eventVersion', 'eventID'])).toBe(false);
  });

  it('take their account from recipientAccountId, else the caller', () => {
    expect(recordAccount({ recipientAccountId: '1', userIdentity: { accountId: '2' } })).toBe('1');
    expect(recordAccount({ userIdentity: { accountId: '2' } })).toBe('2');
    expect(recordAccount({ userIdentity: 'junk' })).toBeUndefined();
  });
});

describe('CloudTrail Lake rows', () => {
  it('rebuild nested columns from JSON or struct text', () => {
    const record = lakeRowToRecord([
      { eventID: 'k1' },
      { userIdentity: '{type=AssumedRole, principalid=AROAEXAMPLE:jane, accountid=111122223333, sessioncontext={sessionissuer={username=AWSReservedSSO_Admin_0123456789abcdef}}}' },
      { requestParameters: '{"roleName":"AWSReservedSSO_Admin_0123456789abcdef"}' },
      { sourceIPAddress: '81.2.69.142, 192.168.10.10' },
      { responseElements: 'null' },
    ]);
    expect(record).toEqual({
      eventID: 'k1',
      userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:jane', accountId: '111122223333', sessionContext: { sessionIssuer: { userName: 'AWSReservedSSO_Admin_0123456789abcdef' } } },
      requestParameters: { roleName: 'AWSReservedSSO_Admin_0123456789abcdef' },
      sourceIPAddress: '81.2.69.142, 192.168.10.10',
      responseElements: null,
    });
  });

  it('keep text that is neither JSON nor struct text as it is', () => {
    expect(lakeRowToRecord([{ userIdentity: '{broken' }])).toEqual({ userIdentity: '{broken' });
    expect(lakeRowToRecord({ eventID: 'x' })).toBeUndefined();
  });
});

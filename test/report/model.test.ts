import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/match/types.js';
import { byMatcher } from '../../src/report/model.js';

const finding = (firstTime: string, time: string): Finding => ({
  matcher: 'scim-sync-error', severity: 'warning', time, firstTime, principal: null, account: null, region: null, eventName: null,
  sourceIp: null, eventIds: [], message: '', remediation: '', docUrl: '', details: {},
});

describe('the summary per matcher', () => {
  it('first seen is the first event of a grouped finding, not its last (issue 11)', () => {
    // failures that began on 2026-11-22 and went on until 2026-11-23
    const [group] = byMatcher([finding('2026-11-22T06:00:00.000Z', '2026-11-23T09:00:00.000Z'), finding('2026-11-23T01:00:00.000Z', '2026-11-23T01:00:00.000Z')]);
    expect(group!.summary).toMatchObject({ findings: 2, firstSeen: '2026-11-22T06:00:00.000Z', lastSeen: '2026-11-23T09:00:00.000Z' });
  });
});

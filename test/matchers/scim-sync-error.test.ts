import { describe, expect, it } from 'vitest';
import { Gen, scimCreateUser, scimError } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';
import { GUIDE } from '../../src/match/types.js';

const g = new Gen(8);
const T = Date.UTC(2024, 9, 10, 13);
const MIN = 60_000;
const M = 'scim-sync-error';
const MISSING = "1 validation errors detected: Value at 'name.familyName' failed to satisfy constraint: Member must have length greater than or equal to 1";

describe(M, () => {
  it('folds a sync failing every 40 minutes for a day into one finding with its first and last time', () => {
    const records = Array.from({ length: 36 }, (_, i) => scimError(g, T + i * 40 * MIN, 'us-east-1', 'CreateUser', 'ValidationException', MISSING));
    const { findings } = run(M, [...records].reverse());
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: null, eventIds: records.map(id).sort() }]);
    expect(findings[0]!.details).toMatchObject({ count: 36, firstSeen: '2024-10-10T13:00:00Z', lastSeen: '2024-10-11T12:20:00Z' });
    expect(findings[0]!.message).toContain('Likely cause: a required attribute is missing or invalid');
    expect(findings[0]!.docUrl).toBe(`${GUIDE}#issue2`);
  });

  it("maps each published error to the guide's section, with the target ID", () => {
    const dup = scimError(g, T, 'us-east-1', 'CreateGroup', 'ConflictException', 'Duplicate GroupDisplayName');
    const emails = scimError(g, T + MIN, 'us-east-1', 'PatchUser', 'ValidationException', 'List attribute emails exceeds allowed limit of 1', 'u-7');
    const patch = scimError(g, T + 2 * MIN, 'us-east-1', 'PatchGroup', 'ValidationException', 'Missing path in PATCH request', 'g-1');
    const { findings } = run(M, [patch, emails, dup]);
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: null, eventIds: [id(dup)] },
      { matcher: M, severity: 'warning', principal: 'u-7', eventIds: [id(emails)] },
      { matcher: M, severity: 'warning', principal: 'g-1', eventIds: [id(patch)] },
    ]);
    expect(findings.map((f) => f.docUrl)).toEqual([`${GUIDE}#duplicate-user-group-idp`, `${GUIDE}#issue2`, `${GUIDE}#issue2`]);
    expect(findings[1]!.details.targetIds).toEqual(['u-7']);
  });

  it('does not fire on successful SCIM calls or failures of other services', () => {
    const ok = scimCreateUser(g, T, 'us-east-1', 'u-1');
    const other = { ...scimError(g, T, 'us-east-1', 'CreateUser', 'ValidationException', MISSING), eventSource: 'identitystore.amazonaws.com' };
    expect(run(M, [ok, other]).findings).toEqual([]);
  });
});

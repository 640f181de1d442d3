import { describe, expect, it } from 'vitest';
import { createAccountAssignment, Gen, MEMBER_ACCOUNTS, scimCreateUser, scimDeleteGroup, scimDeleteUser, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(3);
const T = Date.UTC(2024, 9, 10, 13);
const H = 3600_000;
const M = 'stale-assignment';
const [A1, A2] = MEMBER_ACCOUNTS as [string, string];
const PS = 'ps-5a1b2c3d4e5f6a7b';
const USER = '34887428-4081-7042-c3c6-928d413009e7';

function deleteAssignment(r: Rec, time: number): Rec {
  const d = structuredClone(r);
  d.eventName = 'DeleteAccountAssignment';
  d.eventTime = new Date(time).toISOString().replace('.000', '');
  d.eventID = g.uuid();
  return d;
}

describe(M, () => {
  it('fires when the assigned principal is deleted and the assignment stays, one finding per account, in any input order', () => {
    const a1 = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const a2 = createAccountAssignment(g, T + H, 'us-east-1', USER, A2, PS);
    const del = scimDeleteUser(g, T + 2 * H, 'us-east-1', USER);
    // Both findings have the delete's time; the run orders them by event ID, so compare them by account.
    const findings = run(M, [del, a2, a1]).findings.sort((x, y) => (x.account! < y.account! ? -1 : 1));
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'error', principal: USER, eventIds: [id(a1), id(del)] },
      { matcher: M, severity: 'error', principal: USER, eventIds: [id(a2), id(del)] },
    ]);
    expect(findings.map((f) => f.account)).toEqual([A1, A2]);
    expect(findings[0]!.details).toMatchObject({ principalId: USER, targetId: A1, deletedBy: 'identitystore-scim.amazonaws.com' });
  });

  it('names the principal from the listing and takes the Identity Store API delete too', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del: Rec = { ...scimDeleteUser(g, T + H, 'us-east-1', USER), eventSource: 'identitystore.amazonaws.com', requestParameters: { IdentityStoreId: 'd-9067642ac7', UserId: USER } };
    const { findings } = run(M, [a, del], { listing: [{ id: USER, name: 'jdoe@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: `jdoe@example.com (${USER})`, eventIds: [id(a), id(del)] }]);
  });

  it('fires for a group as for a user', () => {
    const group = '976710cc5d-9d976f61-3b89-4b98-88db-2ea3bbc1f3fa';
    const a = createAccountAssignment(g, T, 'us-east-1', group, A1, PS);
    (a.requestParameters as Rec).principalType = 'GROUP';
    const del = scimDeleteGroup(g, T + H, 'us-east-1', group);
    expect(run(M, [a, del]).findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: group, eventIds: [id(a), id(del)] }]);
  });

  it('does not fire when the assignment was removed, or made after the delete, or nothing was deleted', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + 2 * H, 'us-east-1', USER);
    expect(run(M, [a, deleteAssignment(a, T + H), del]).findings).toEqual([]); // removed before the delete
    expect(run(M, [a, del, deleteAssignment(a, T + 3 * H)]).findings).toEqual([]); // cleaned up after it
    expect(run(M, [del, createAccountAssignment(g, T + 3 * H, 'us-east-1', USER, A1, PS)]).findings).toEqual([]); // assigned after
    expect(run(M, [a]).findings).toEqual([]); // a create with no delete
    expect(run(M, [del]).findings).toEqual([]); // a delete with no create
    const failedDelete = { ...scimDeleteUser(g, T + 2 * H, 'us-east-1', USER), errorCode: 'ResourceNotFoundException' };
    expect(run(M, [a, failedDelete]).findings).toEqual([]);
  });

  it('a re-assignment after a removal counts from the latest create', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const again = createAccountAssignment(g, T + 2 * H, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + 3 * H, 'us-east-1', USER);
    expect(run(M, [again, del, deleteAssignment(a, T + H), a]).findings.map(brief)).toEqual([
      { matcher: M, severity: 'error', principal: USER, eventIds: [id(again), id(del)] },
    ]);
  });

  it('names the principal through the re-creation when the listing, taken today, holds only the new ID (issue 11)', () => {
    const NEW = 'c4488478-a0e1-700e-3d75-96c6bb641596';
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const cre = scimCreateUser(g, T + H + 60_000, 'us-east-1', NEW);
    const { findings } = run(M, [cre, a, del], { listing: [{ id: NEW, name: 'alice@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: `alice@example.com (${USER})`, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.details).toMatchObject({ principalId: USER, name: 'alice@example.com', recreatedAs: NEW, recreationConfidence: 'low' });
    expect(findings[0]!.message).toContain(`The user was created again with the new ID ${NEW} (2024-10-10T14:01:00Z; paired only by time`);
    expect(findings[0]!.message).toMatch(/confidence low\): assign that ID instead\.$/);
    expect([findings[0]!.firstTime, findings[0]!.time]).toEqual(['2024-10-10T13:00:00.000Z', '2024-10-10T14:00:00.000Z']);
  });
});

import { describe, expect, it } from 'vitest';
import { Gen, scimCreateGroup, scimCreateUser, scimDeleteGroup, scimDeleteUser, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(4);
const T = Date.UTC(2024, 9, 10, 13);
const MIN = 60_000;
const M = 'scim-recreated-principal';
const OLD = '34887428-4081-7042-c3c6-928d413009e7';
const NEW = 'c4488478-a0e1-700e-3d75-96c6bb641596';

const withName = (r: Rec, name: string): Rec => {
  const c = structuredClone(r);
  ((c.requestParameters as Rec).httpBody as Rec).userName = name;
  return c;
};

describe(M, () => {
  it('pairs by time alone when names are hidden, and says the confidence is low (input out of order)', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const cre = scimCreateUser(g, T + 5 * MIN, 'us-east-1', NEW);
    const { findings } = run(M, [cre, del]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `${OLD} -> ${NEW}`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.details).toEqual({ kind: 'USER', name: null, oldId: OLD, newId: NEW, pairedBy: 'time', confidence: 'low', gapSeconds: 300 });
  });

  it('pairs by a visible name with high confidence, even past the window', () => {
    const first = withName(scimCreateUser(g, T - 60 * MIN, 'us-east-1', OLD), 'jdoe');
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const other = withName(scimCreateUser(g, T + MIN, 'us-east-1', 'ffffffff-a0e1-700e-3d75-96c6bb641596'), 'someone-else');
    const cre = withName(scimCreateUser(g, T + 48 * 60 * MIN, 'us-east-1', NEW), 'JDoe');
    const { findings } = run(M, [first, del, other, cre]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `jdoe (${OLD} -> ${NEW})`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.details).toMatchObject({ pairedBy: 'visible name', confidence: 'high' });
  });

  it('pairs by identity-store listings taken before and after', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const decoy = scimCreateUser(g, T + MIN, 'us-east-1', 'eeeeeeee-a0e1-700e-3d75-96c6bb641596');
    const cre = scimCreateUser(g, T + 2 * MIN, 'us-east-1', NEW);
    const listing = [{ id: OLD, name: 'jdoe@example.com', kind: 'USER' as const }, { id: NEW, name: 'jdoe@example.com', kind: 'USER' as const }];
    const { findings } = run(M, [del, decoy, cre], { listing });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `jdoe@example.com (${OLD} -> ${NEW})`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.details).toMatchObject({ pairedBy: 'identity-store listing', confidence: 'high' });
  });

  it('pairs groups with groups only', () => {
    const del = scimDeleteGroup(g, T, 'us-east-1', OLD);
    const user = scimCreateUser(g, T + MIN, 'us-east-1', 'dddddddd-a0e1-700e-3d75-96c6bb641596');
    const group = scimCreateGroup(g, T + 2 * MIN, 'us-east-1', NEW);
    expect(run(M, [del, user, group]).findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `${OLD} -> ${NEW}`, eventIds: [id(del), id(group)] }]);
  });

  it('does not fire on a delete alone, a create alone, a create before the delete, past the window, or known different names', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    expect(run(M, [del]).findings).toEqual([]);
    expect(run(M, [scimCreateUser(g, T, 'us-east-1', NEW)]).findings).toEqual([]);
    expect(run(M, [scimCreateUser(g, T - MIN, 'us-east-1', NEW), del]).findings).toEqual([]);
    expect(run(M, [del, scimCreateUser(g, T + 25 * 60 * MIN, 'us-east-1', NEW)]).findings).toEqual([]);
    expect(run(M, [del, scimCreateUser(g, T + 2 * MIN, 'us-east-1', NEW)], { recreateWindowMs: MIN }).findings).toEqual([]);
    const listing = [{ id: OLD, name: 'a@example.com', kind: 'USER' as const }, { id: NEW, name: 'b@example.com', kind: 'USER' as const }];
    expect(run(M, [del, scimCreateUser(g, T + MIN, 'us-east-1', NEW)], { listing }).findings).toEqual([]);
  });

  it('with the listing a user has (taken today: only the new ID), pairs by time and says what the listing shows (issue 11)', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const cre = scimCreateUser(g, T + 5 * MIN, 'us-east-1', NEW);
    const { findings } = run(M, [cre, del], { listing: [{ id: NEW, name: 'alice@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `alice@example.com (${OLD} -> ${NEW})`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.details).toMatchObject({ name: 'alice@example.com', pairedBy: 'time', confidence: 'low' });
    expect(findings[0]!.message).toBe(
      `SCIM deleted the user alice@example.com with ID ${OLD} (2024-10-10T13:00:00Z) and created a user with the new ID ${NEW} (2024-10-10T13:05:00Z): ` +
      'paired only by time (created 5 minutes after the delete, within --recreate-window); the --identity-store listing names the new ID alice@example.com ' +
      'but does not hold the old ID (it was taken after the delete), so the old name is not known: aws identitystore list-users output taken before the delete would confirm it. Confidence: low.',
    );
    expect(findings[0]!.message).not.toMatch(/pass --identity-store/);
    expect(findings[0]!.firstTime).toBe('2024-10-10T13:00:00.000Z');
    expect(findings[0]!.time).toBe('2024-10-10T13:05:00.000Z');
  });

  // SCIM DeleteUser {tenantId, id} (FIELDS.md 2a, inferred) and CreateUser with responseElements.id and the names
  // HIDDEN_DUE_TO_SECURITY_REASONS (FIELDS.md 2a, AWS's SCIM logging page): the IDs are there, the names are not.
  it('without any listing, says which listing would settle it: list-users for a user', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const cre = scimCreateUser(g, T + 5 * MIN, 'us-east-1', NEW);
    const { findings } = run(M, [del, cre]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `${OLD} -> ${NEW}`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.message).toMatch(/the logs hide both names, so this is a guess: pass aws identitystore list-users output with --identity-store \(taken now, it names the new ID; taken before the delete, the old\)\. Confidence: low\.$/);
    expect(findings[0]!.message).not.toContain('list-groups');
  });

  // The sample scan's case (review C5): two list-users listings passed, and the pair is two groups. SCIM DeleteGroup
  // {tenantId, id} and CreateGroup with responseElements.id are inferred from the user events (FIELDS.md 2a).
  it('for a group that no listing holds, names the list-groups listing that is missing, not --identity-store in general', () => {
    const del = scimDeleteGroup(g, T, 'us-east-1', OLD);
    const cre = scimCreateGroup(g, T + MIN, 'us-east-1', NEW);
    const { findings } = run(M, [del, cre], { listing: [{ id: 'ffffffff-4081-7042-c3c6-928d413009e7', name: 'jdoe@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `${OLD} -> ${NEW}`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.message).toBe(
      `SCIM deleted the group with ID ${OLD} (2024-10-10T13:00:00Z) and created a group with the new ID ${NEW} (2024-10-10T13:01:00Z): ` +
      'paired only by time (created 1 minute after the delete, within --recreate-window); no --identity-store listing holds either ID and the logs ' +
      'hide the names, so this is a guess: aws identitystore list-groups output (taken now for the new ID, before the delete for the old) would settle it. Confidence: low.',
    );
    expect(findings[0]!.message).not.toMatch(/list-users|pass --identity-store/);
  });

  it('does not ask for a listing when the listings name both IDs', () => {
    const del = scimDeleteUser(g, T, 'us-east-1', OLD);
    const cre = scimCreateUser(g, T + MIN, 'us-east-1', NEW);
    const listing = [{ id: OLD, name: 'jdoe@example.com', kind: 'USER' as const }, { id: NEW, name: 'jdoe@example.com', kind: 'USER' as const }];
    const { findings } = run(M, [del, cre], { listing });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `jdoe@example.com (${OLD} -> ${NEW})`, eventIds: [id(del), id(cre)] }]);
    expect(findings[0]!.message).toBe(
      `SCIM deleted the user jdoe@example.com with ID ${OLD} (2024-10-10T13:00:00Z) and created a user with the new ID ${NEW} (2024-10-10T13:01:00Z): paired by identity-store listing. Confidence: high.`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { jsonDocuments } from '../../src/assignments.js';
import { Gen, listUsers, MEMBER_ACCOUNTS, scimCreateUser, scimDeleteUser, type Rec } from '../support/cloudtrail.js';
import { describePermissionSet, listAccountAssignments, listApplicationAssignments, appArn, psArn } from '../support/assignment-samples.js';
import { id, run } from '../support/match.js';

const T = Date.UTC(2024, 9, 10, 13, 0, 0);
const ACCOUNT = MEMBER_ACCOUNTS[0]!;
const PS = 'ps-5a1b2c3d4e5f6a7b';
const NAMED = describePermissionSet(PS, 'DataEngineer');

function setup() {
  const g = new Gen(7);
  return { g, oldId: g.storeId(), newId: g.storeId(), other: g.storeId() };
}

const users = (path: string, list: { id: string; name: string; status?: string }[]) => {
  const value = listUsers(list) as { Users: Record<string, unknown>[] };
  list.forEach((u, i) => { if (u.status) value.Users[i]!.UserStatus = u.status; });
  return { path, value };
};

describe('orphaned-assignment', () => {
  it('an assignment to a user SCIM deleted and re-created: an error naming the account, the permission set by name, the old and the new ID', () => {
    const { g, oldId, newId } = setup();
    const del = scimDeleteUser(g, T, 'us-east-1', oldId);
    const made = scimCreateUser(g, T + 60_000, 'us-east-1', newId);
    const { findings, notes } = run('orphaned-assignment', [del, made], {
      listings: [users('users.json', [{ id: newId, name: 'jdoe@example.com' }])],
      assignments: [listAccountAssignments([{ account: ACCOUNT, ps: PS, type: 'USER', id: oldId }]), NAMED],
    });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({
      matcher: 'orphaned-assignment', severity: 'error', principal: `jdoe@example.com (${oldId})`, account: ACCOUNT,
      time: '2024-10-10T13:01:00.000Z', firstTime: '2024-10-10T13:00:00.000Z', eventIds: [id(del), id(made)],
    });
    expect(f.message).toContain(`The user jdoe@example.com (${oldId}), assigned to account ${ACCOUNT} with the permission set DataEngineer, is in no aws identitystore list-users listing given (users.json)`);
    expect(f.message).toContain(`It was re-created: jdoe@example.com has the new ID ${newId} (created 2024-10-10T13:01:00Z); the logs read show it deleted (DeleteUser, 2024-10-10T13:00:00Z) and created again`);
    expect(f.remediation).toContain(`aws sso-admin delete-account-assignment --instance-arn <instance-arn> --target-id ${ACCOUNT} --target-type AWS_ACCOUNT --permission-set-arn ${psArn(PS)} --principal-type USER --principal-id ${oldId}`);
    expect(f.remediation).toContain(`create-account-assignment --instance-arn <instance-arn> --target-id ${ACCOUNT} --target-type AWS_ACCOUNT --permission-set-arn ${psArn(PS)} --principal-type USER --principal-id ${newId}`);
    expect(f.details).toMatchObject({ principalId: oldId, principalType: 'USER', permissionSetName: 'DataEngineer', recreatedAs: newId, recreatedName: 'jdoe@example.com' });
    expect(notes).toEqual([
      `the --assignments listings hold 1 account assignment in 1 account (${ACCOUNT}) over 1 permission set (DataEngineer) and 0 application assignments in 0 applications; accounts, permission sets and applications they do not list were not checked`,
    ]);
  });

  it('without logs, an older listing naming the old ID and a current one holding the name under a new ID tell the re-creation (time unknown)', () => {
    const { oldId, newId, other } = setup();
    const { findings } = run('orphaned-assignment', [], {
      listings: [
        users('before.json', [{ id: oldId, name: 'jdoe@example.com' }, { id: other, name: 'amy' }]),
        users('now.json', [{ id: newId, name: 'jdoe@example.com' }, { id: other, name: 'amy' }]),
      ],
      assignments: [listAccountAssignments([{ account: ACCOUNT, ps: PS, type: 'USER', id: oldId }, { account: ACCOUNT, ps: PS, type: 'USER', id: other }])],
    });
    expect(findings.map((f) => [f.severity, f.principal, f.time])).toEqual([['error', `jdoe@example.com (${oldId})`, null]]);
    expect(findings[0]!.message).toContain('is in an older aws identitystore list-users listing but not in the one that holds its name now');
    expect(findings[0]!.message).toContain(`It was re-created: jdoe@example.com has the new ID ${newId}; the listing before.json holds the old ID as jdoe@example.com and the listing now.json holds that name under the new ID`);
    expect(findings[0]!.message).toContain('when is not known');
    // no describe-permission-set output: the permission set by its ARN
    expect(findings[0]!.message).toContain(`with the permission set ${psArn(PS)}`);
  });

  it('an ID in no listing and no log: a warning that cannot tell whether it was re-created; IDs of either form, compared without case', () => {
    const { g, other } = setup();
    const long = `${g.hex(10)}-${g.uuid()}`;
    const { findings } = run('orphaned-assignment', [], {
      listings: [users('users.json', [{ id: other, name: 'amy' }, { id: long, name: 'bob' }])],
      assignments: [listAccountAssignments([
        { account: ACCOUNT, ps: PS, type: 'USER', id: 'ab12cd34ef-0d1f9c7e-58a1-4c2b-9f3e-2a6b7c8d9e0f' },
        { account: ACCOUNT, ps: PS, type: 'USER', id: other.toUpperCase() },
        { account: ACCOUNT, ps: PS, type: 'USER', id: long.toUpperCase() },
      ])],
    });
    expect(findings.map((f) => [f.matcher, f.severity, f.principal, f.account])).toEqual([
      ['orphaned-assignment', 'warning', 'ab12cd34ef-0d1f9c7e-58a1-4c2b-9f3e-2a6b7c8d9e0f', ACCOUNT],
    ]);
    expect(findings[0]!.message).toContain('Whether it was re-created sso-logs cannot tell');
    expect(findings[0]!.remediation).toMatch(/^Remove the assignment \(aws sso-admin delete-account-assignment /);
  });

  it('a user the listing shows DISABLED is not an orphan: no finding, a note', () => {
    const { oldId } = setup();
    const { findings, notes } = run('orphaned-assignment', [], {
      listings: [users('users.json', [{ id: oldId, name: 'jdoe@example.com', status: 'DISABLED' }])],
      assignments: [listAccountAssignments([{ account: ACCOUNT, ps: PS, type: 'USER', id: oldId }])],
    });
    expect(findings).toEqual([]);
    expect(notes).toContain(`the user jdoe@example.com (${oldId}) holds 1 assignment and is DISABLED in users.json: not an orphaned assignment (the user exists), but the user cannot sign in until enabled again`);
  });

  it('without a listing of the principal\'s kind: no finding claims an orphan, a note says what was not checked', () => {
    const { g, other } = setup();
    const group = g.storeId();
    const assignments = [listAccountAssignments([{ account: ACCOUNT, ps: PS, type: 'GROUP', id: group }, { account: ACCOUNT, ps: PS, type: 'USER', id: other }])];
    const onlyUsers = run('orphaned-assignment', [], { listings: [users('users.json', [{ id: other, name: 'amy' }])], assignments });
    expect(onlyUsers.findings).toEqual([]);
    expect(onlyUsers.notes).toContain('1 assignment to groups not checked: no aws identitystore list-groups output was given with --identity-store, so whether those groups still exist is not known (no finding claims they do not)');
    const none = run('orphaned-assignment', [], { assignments });
    expect(none.findings).toEqual([]);
    expect(none.notes.filter((n) => n.includes('not checked: no aws identitystore'))).toHaveLength(2);
  });

  it('an application assignment: the application ARN, no account, the application commands', () => {
    const { other } = setup();
    const { findings } = run('orphaned-assignment', [], {
      listings: [users('users.json', [])],
      assignments: [listApplicationAssignments([{ app: 'apl-1', type: 'USER', id: other }])],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', principal: other, account: null });
    expect(findings[0]!.message).toContain(`assigned to the application ${appArn('apl-1')}, is in no aws identitystore list-users listing`);
    expect(findings[0]!.message).toContain(`Coverage: the --assignments listings hold 0 account assignments in 0 accounts and 1 application assignment in 1 application (${appArn('apl-1')})`);
    expect(findings[0]!.remediation).toContain(`aws sso-admin delete-application-assignment --application-arn ${appArn('apl-1')} --principal-type USER --principal-id ${other}`);
  });

  it('pages of one listing: repeated assignments count once; without --assignments nothing is said', () => {
    const { other, oldId } = setup();
    const page = listAccountAssignments([{ account: ACCOUNT, ps: PS, type: 'USER', id: oldId }], 'token');
    const { findings, notes } = run('orphaned-assignment', [], {
      listings: [users('users.json', [{ id: other, name: 'amy' }])],
      assignments: [page, page, listAccountAssignments([{ account: MEMBER_ACCOUNTS[1]!, ps: PS, type: 'USER', id: other }])],
    });
    expect(findings.map((f) => f.principal)).toEqual([oldId]);
    expect(notes[0]).toContain(`2 account assignments in 2 accounts (${ACCOUNT}, ${MEMBER_ACCOUNTS[1]})`);
    expect(run('orphaned-assignment', [], { listings: [users('users.json', [])] })).toEqual({ findings: [], notes: [] });
  });

  it('reads several JSON documents one after the other, strings with brackets and escapes included', () => {
    const docs: Rec[] = [listAccountAssignments([], 'a}"]'), NAMED];
    expect(jsonDocuments(`${JSON.stringify(docs[0], null, 4)}\n${JSON.stringify(docs[1])}{"x":"\\"{"}`)).toEqual([...docs, { x: '"{' }]);
    expect(() => jsonDocuments('{"a":1')).toThrow(SyntaxError);
  });
});

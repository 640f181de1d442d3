import { describe, expect, it } from 'vitest';
import { createAccountAssignment, Gen, INSTANCE_ARN, MEMBER_ACCOUNTS, scimCreateUser, scimDeleteGroup, scimDeleteUser, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(3);
const T = Date.UTC(2024, 9, 10, 13);
const H = 3600_000;
const M = 'stale-assignment';
const [A1, A2] = MEMBER_ACCOUNTS as [string, string];
const PS = 'ps-5a1b2c3d4e5f6a7b';
const USER = '34887428-4081-7042-c3c6-928d413009e7';
const NEW = 'c4488478-a0e1-700e-3d75-96c6bb641596';
const PS_ARN = `arn:aws:sso:::permissionSet/ssoins-7223a8d4d0e5e0f1/${PS}`;

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
      { matcher: M, severity: 'warning', principal: USER, eventIds: [id(a1), id(del)] },
      { matcher: M, severity: 'warning', principal: USER, eventIds: [id(a2), id(del)] },
    ]);
    expect(findings.map((f) => f.account)).toEqual([A1, A2]);
    expect(findings[0]!.details).toMatchObject({ principalId: USER, targetId: A1, deletedBy: 'identitystore-scim.amazonaws.com' });
  });

  it('names the principal from the listing and takes the Identity Store API delete too', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del: Rec = { ...scimDeleteUser(g, T + H, 'us-east-1', USER), eventSource: 'identitystore.amazonaws.com', requestParameters: { IdentityStoreId: 'd-9067642ac7', UserId: USER } };
    const { findings } = run(M, [a, del], { listing: [{ id: USER, name: 'jdoe@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `jdoe@example.com (${USER})`, eventIds: [id(a), id(del)] }]);
  });

  it('fires for a group as for a user', () => {
    const group = '976710cc5d-9d976f61-3b89-4b98-88db-2ea3bbc1f3fa';
    const a = createAccountAssignment(g, T, 'us-east-1', group, A1, PS);
    (a.requestParameters as Rec).principalType = 'GROUP';
    const del = scimDeleteGroup(g, T + H, 'us-east-1', group);
    expect(run(M, [a, del]).findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: group, eventIds: [id(a), id(del)] }]);
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
      { matcher: M, severity: 'warning', principal: USER, eventIds: [id(again), id(del)] },
    ]);
  });

  it('names the principal through the re-creation when the listing, taken today, holds only the new ID (issue 11)', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const cre = scimCreateUser(g, T + H + 60_000, 'us-east-1', NEW);
    const { findings } = run(M, [cre, a, del], { listing: [{ id: NEW, name: 'alice@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: `alice@example.com (${USER})`, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.details).toMatchObject({ principalId: USER, name: 'alice@example.com', recreatedAs: NEW, recreationConfidence: 'low' });
    expect(findings[0]!.message).toContain(`The user was created again with the new ID ${NEW} (2024-10-10T14:01:00Z; paired only by time`);
    expect(findings[0]!.message).toContain('confidence low): assign that ID instead.');
    expect([findings[0]!.firstTime, findings[0]!.time]).toEqual(['2024-10-10T13:00:00.000Z', '2024-10-10T14:00:00.000Z']);
  });
  // Records: CreateAccountAssignment requestParameters {instanceArn, targetId, targetType, permissionSetArn,
  // principalType, principalId} (FIELDS.md 2c, published record); SCIM DeleteUser {tenantId, id} (FIELDS.md 2a,
  // inferred from the Patch* records); SCIM CreateUser with responseElements.id and hidden names (FIELDS.md 2a, AWS's
  // SCIM logging page). The guide's issue 6 is a delete *and* a re-creation (FIELDS.md 8, #issue6).
  it('is an error with the guide\'s remove-and-re-assign advice only when a re-creation is seen', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const cre = scimCreateUser(g, T + H + 60_000, 'us-east-1', NEW);
    const { findings } = run(M, [a, del, cre]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: USER, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue6');
    expect(findings[0]!.remediation).toBe(
      'The user was re-created with a new internal ID, so this assignment refers to the deleted one: the name may still show in the console but access through it fails. ' +
      `Remove the assignment to the old ID (aws sso-admin delete-account-assignment --instance-arn ${INSTANCE_ARN} --target-id ${A1} --target-type AWS_ACCOUNT --permission-set-arn ${PS_ARN} --principal-type USER --principal-id ${USER}), ` +
      `then assign the re-created user again (aws sso-admin create-account-assignment --instance-arn ${INSTANCE_ARN} --target-id ${A1} --target-type AWS_ACCOUNT --permission-set-arn ${PS_ARN} --principal-type USER --principal-id ${NEW}), ` +
      `after confirming that ${NEW} is the same user (the pairing is by time only). Do the same for the user's application assignments.`,
    );
  });

  it('without a re-creation in the logs, is a warning: an orphaned assignment to remove, with nothing to re-assign', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const { findings } = run(M, [a, del]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: USER, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.message).toContain('The logs read show no re-creation of it: an orphaned assignment to remove, with nothing to re-assign.');
    expect(findings[0]!.remediation).toBe(
      'No re-creation of the user appears in the logs read: the assignment is orphaned. It grants nobody access and there is nothing to re-assign; ' +
      `remove it (aws sso-admin delete-account-assignment --instance-arn ${INSTANCE_ARN} --target-id ${A1} --target-type AWS_ACCOUNT --permission-set-arn ${PS_ARN} --principal-type USER --principal-id ${USER}). ` +
      'If the user was re-created where these logs do not reach, assign the new one too, as the linked guide section says.',
    );
    expect(findings[0]!.remediation).not.toMatch(/assign the re-created|access through it fails/);
    expect(findings[0]!.details).toMatchObject({ recreatedAs: null, recreationConfidence: null });
  });

  it('says "no DeleteAccountAssignment for it in the logs read", not that it was never removed', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const { findings } = run(M, [a, del]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: USER, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.message).toContain(
      'then deleted by SCIM DeleteUser (2024-10-10T14:00:00Z), and no DeleteAccountAssignment for it appears in the logs read: it still points at the deleted ID.',
    );
    expect(findings[0]!.message).not.toContain('never removed');
  });

  it('labels the permission set as an ID and says how to get its name, with the instance ARN of the request', () => {
    const a = createAccountAssignment(g, T, 'us-east-1', USER, A1, PS);
    const del = scimDeleteUser(g, T + H, 'us-east-1', USER);
    const { findings } = run(M, [a, del]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: USER, eventIds: [id(a), id(del)] }]);
    expect(findings[0]!.message).toContain(`was assigned to account ${A1} with the permission set ID ${PS} (2024-10-10T13:00:00Z)`);
    expect(findings[0]!.message).toMatch(new RegExp(`The permission set's name: aws sso-admin describe-permission-set --instance-arn ${INSTANCE_ARN} --permission-set-arn ${PS_ARN.replace(/[.]/g, '\\.')}\\.$`));
    expect(findings[0]!.details).toMatchObject({ permissionSetArn: PS_ARN, permissionSetId: PS, instanceArn: INSTANCE_ARN });
  });
});

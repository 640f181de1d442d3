import { describe, expect, it } from 'vitest';
import { ROLE_OPERATIONS } from '../../src/matchers/protected-role-modification.js';
import { Gen, MEMBER_ACCOUNTS, protectedRoleFailure, ssoCreateRole, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(2);
const T = Date.UTC(2024, 9, 10, 13);
const M = 'protected-role-modification';
const ACCOUNT = MEMBER_ACCOUNTS[0]!;
const ROLE = 'AWSReservedSSO_AdministratorAccess_9a45132a4fc687f4';
const JANE = `arn:aws:iam::${ACCOUNT}:user/ops-jane`;

describe(M, () => {
  it('fires on each of the twelve operations refused with UnmodifiableEntityException', () => {
    expect(ROLE_OPERATIONS.size).toBe(12);
    const records = [...ROLE_OPERATIONS].map((op, i) => protectedRoleFailure(g, T + i * 1000, ACCOUNT, ROLE, op));
    const { findings } = run(M, records);
    expect(findings.map(brief)).toEqual(records.map((r) => ({ matcher: M, severity: 'warning', principal: JANE, eventIds: [id(r)] })));
    expect(findings[0]).toMatchObject({ account: ACCOUNT, eventName: 'AddRoleToInstanceProfile' });
    expect(findings[0]!.message).toContain(`tried AddRoleToInstanceProfile on the protected role ${ROLE} in account ${ACCOUNT}`);
  });

  it('accepts the wire code UnmodifiableEntity and the message with or without its final period', () => {
    const wire = { ...protectedRoleFailure(g, T, ACCOUNT, ROLE, 'DeleteRole'), errorCode: 'UnmodifiableEntity' };
    const period = { ...protectedRoleFailure(g, T + 1000, ACCOUNT, ROLE, 'TagRole'), errorCode: 'SomethingElse', errorMessage: `Cannot perform the operation on the protected role '${ROLE}' - this role is only modifiable by AWS.` };
    expect(run(M, [wire, period]).findings.map((f) => f.eventIds[0])).toEqual([id(wire), id(period)]);
  });

  it('names an assumed-role caller by its session ARN', () => {
    const r = protectedRoleFailure(g, T, ACCOUNT, ROLE, 'PutRolePolicy');
    r.userIdentity = {
      type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_PowerUser_0123456789abcdef/bob@example.com`, accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_0123456789abcdef`, userName: 'AWSReservedSSO_PowerUser_0123456789abcdef' } },
    };
    expect(run(M, [r]).findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_PowerUser_0123456789abcdef/bob@example.com`, eventIds: [id(r)] },
    ]);
  });

  it("does not fire on Identity Center's own changes, service-linked roles, other roles, or successes", () => {
    const bySso = ssoCreateRole(g, T, ACCOUNT, 'us-east-1', ROLE);
    const ssoRefused = { ...bySso, eventName: 'DeleteRole', errorCode: 'UnmodifiableEntityException', errorMessage: `Cannot perform the operation on the protected role '${ROLE}' - this role is only modifiable by AWS` };
    const serviceLinked = { ...protectedRoleFailure(g, T, ACCOUNT, 'AWSServiceRoleForSSO', 'DeleteRole'), errorMessage: "Cannot perform the operation on the protected role 'AWSServiceRoleForSSO' - this role is only modifiable by AWS" };
    const normalRole = protectedRoleFailure(g, T, ACCOUNT, 'app-deployer', 'DeleteRole');
    const success = { ...protectedRoleFailure(g, T, ACCOUNT, 'app-deployer', 'UpdateAssumeRolePolicy') };
    delete success.errorCode;
    delete success.errorMessage;
    // an AWSReservedSSO_ session refused on another resource
    const sessionOnOther: Rec = { ...protectedRoleFailure(g, T, ACCOUNT, 'app-deployer', 'AttachRolePolicy'), errorCode: 'AccessDenied', errorMessage: 'User is not authorized' };
    sessionOnOther.userIdentity = { type: 'AssumedRole', sessionContext: { sessionIssuer: { userName: ROLE } } };
    const accessDenied = { ...protectedRoleFailure(g, T, ACCOUNT, ROLE, 'DeleteRole'), errorCode: 'AccessDenied', errorMessage: 'not authorized to perform iam:DeleteRole' };
    const notIam = { ...protectedRoleFailure(g, T, ACCOUNT, ROLE, 'DeleteRole'), eventSource: 'sts.amazonaws.com' };
    expect(run(M, [bySso, ssoRefused, serviceLinked, normalRole, success, sessionOnOther, accessDenied, notIam]).findings).toEqual([]);
  });
  // Records: IAM calls on roleName AWSReservedSSO_... refused with UnmodifiableEntityException and the guide's message
  // (FIELDS.md 3: the message [D] #issue4 and re:Post, the errorCode [I], requestParameters.roleName [C]; DeleteRole,
  // DetachRolePolicy, PutRolePolicy and UpdateAssumeRolePolicy are observed in the wild on these roles).
  it('edit-the-permission-set advice says a delegated administrator cannot edit permission sets provisioned to the management account (#issue16)', () => {
    const r = protectedRoleFailure(g, T, ACCOUNT, ROLE, 'PutRolePolicy');
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: JANE, eventIds: [id(r)] }]);
    expect(findings[0]!.remediation).toContain('edit the permission set in IAM Identity Center (its inline policy, AWS managed or customer managed policies, or permissions boundary), then re-provision it to the accounts it is assigned to.');
    expect(findings[0]!.remediation).toContain(
      'Do it from the management account, or from the delegated administrator account, except for permission sets provisioned to the management account: ' +
      'a delegated administrator cannot modify or remove those (the guide\'s #issue16).',
    );
    expect(findings[0]!.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue4');
  });

  // referencingpermissionsets.html: "If you delete all assignments to this permission set in the AWS account, the
  // corresponding role that IAM Identity Center created is also deleted." DeleteRole's request is the role name alone.
  it('a refused DeleteRole is told that IAM Identity Center deletes the role when the permission set leaves the account', () => {
    const r: Rec = { ...protectedRoleFailure(g, T, ACCOUNT, ROLE, 'DeleteRole'), requestParameters: { roleName: ROLE } };
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: JANE, eventIds: [id(r)] }]);
    expect(findings[0]!.remediation).toBe(
      'IAM Identity Center deletes this role itself when the permission set is removed from the account, that is when the last account assignment of it there ' +
      'is deleted: remove those assignments in IAM Identity Center (which ends the access they give) instead of deleting the role. If a clean-up tool ' +
      '(aws-nuke, cloud-nuke) made the call, exclude AWSReservedSSO_* roles from it. Do it from the management account, or from the delegated administrator ' +
      'account, except for permission sets provisioned to the management account: a delegated administrator cannot modify or remove those (the guide\'s #issue16).',
    );
    expect(findings[0]!.remediation).not.toContain('edit the permission set');
  });

  // identity-center-and-iam-roles.html: "IAM Identity Center manages the role, and allows the authorized users you've
  // defined to assume the role, by using the AWS access portal or AWS CLI."
  it('a refused trust-policy change (UpdateAssumeRolePolicy) is told the trust policy is managed by IAM Identity Center', () => {
    const r: Rec = { ...protectedRoleFailure(g, T, ACCOUNT, ROLE, 'UpdateAssumeRolePolicy'), requestParameters: { roleName: ROLE, policyDocument: '{"Version":"2012-10-17","Statement":[]}' } };
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: JANE, eventIds: [id(r)] }]);
    expect(findings[0]!.remediation).toBe(
      'The trust policy of an AWSReservedSSO_ role is managed by IAM Identity Center: it is what lets the users assigned the permission set assume the role ' +
      'through the AWS access portal or the AWS CLI, and it cannot be changed in IAM. To let another principal assume a role in this account, create a ' +
      'separate IAM role with its own trust policy.',
    );
    expect(findings[0]!.remediation).not.toContain('edit the permission set');
  });
});

import { caller, field, str, type CloudTrailRecord } from '../event.js';
import { fromRecord } from '../match/common.js';
import { GUIDE, type EventMatcher, type FindingInput, type MatcherMeta } from '../match/types.js';

// The guide's #issue16 and the delegated administration page: a delegated administrator cannot change, remove or
// assign permission sets provisioned in the management account.
const DELEGATED =
  'Do it from the management account, or from the delegated administrator account, except for permission sets ' +
  'provisioned to the management account: a delegated administrator cannot modify or remove those (the guide\'s #issue16).';

export const meta: MatcherMeta = {
  id: 'protected-role-modification',
  title: "Attempt to modify a protected AWSReservedSSO_ role ('Cannot perform the operation on the protected role')",
  severity: 'warning',
  docUrl: `${GUIDE}#issue4`,
  remediation:
    'AWSReservedSSO_ roles belong to IAM Identity Center and can only be changed through it: edit the permission ' +
    'set in IAM Identity Center (its inline policy, AWS managed or customer managed policies, or permissions boundary), ' +
    'then re-provision it to the accounts it is assigned to. ' + DELEGATED + ' A refused DeleteRole or trust-policy ' +
    'change (UpdateAssumeRolePolicy) gets its own advice in the finding.',
  shape: {
    evidence: 'partly documented',
    note: 'The message is the guide\'s (issue 4) and re:Post\'s, the wire code UnmodifiableEntity is in the IAM API model, roleName is seen in records; the errorCode CloudTrail stores is inferred (both spellings are accepted).',
  },
  falsePositives:
    'The refusal is real but often harmless: clean-up tools (aws-nuke, cloud-nuke) that sweep every role hit it on DeleteRole or DetachRolePolicy without anyone trying to change a permission set. Whether the account is the management account (where a delegated administrator cannot help) is not in the record.',
};

/** The IAM operations whose API model lists UnmodifiableEntityException (FIELDS.md 3). */
export const ROLE_OPERATIONS = new Set([
  'AddRoleToInstanceProfile', 'AttachRolePolicy', 'DeleteRole', 'DeleteRolePermissionsBoundary', 'DeleteRolePolicy',
  'DetachRolePolicy', 'PutRolePermissionsBoundary', 'PutRolePolicy', 'RemoveRoleFromInstanceProfile',
  'UpdateAssumeRolePolicy', 'UpdateRole', 'UpdateRoleDescription',
]);

// The wire code is UnmodifiableEntity; CloudTrail most likely stores the SDK name with "Exception" (FIELDS.md 3,
// inferred): accept both, and the message with or without its final period.
const CODES = new Set(['UnmodifiableEntity', 'UnmodifiableEntityException']);
const MESSAGE = /Cannot perform the operation on the protected role '?AWSReservedSSO_[^']*'?( - this role is only modifiable by AWS)?\.?/;

function byIdentityCenter(record: CloudTrailRecord): boolean {
  const identity = record.userIdentity;
  return field(identity, 'invokedBy') === 'sso.amazonaws.com'
    || field(identity, 'sessionContext', 'sessionIssuer', 'userName') === 'AWSServiceRoleForSSO';
}

/**
 * Advice for the operations a permission set cannot do. The role is created when a permission set is assigned to
 * the account and deleted by IAM Identity Center when the last assignment of it there is deleted; its trust policy,
 * which lets the assigned users assume it, is IAM Identity Center's (the pages on referencing permission sets and on
 * the IAM roles IAM Identity Center creates).
 */
// A Map, not an object: an eventName such as "toString" must not find a prototype member.
const OWN_ADVICE = new Map<string, string>([
  ['DeleteRole',
    'IAM Identity Center deletes this role itself when the permission set is removed from the account, that is when ' +
    'the last account assignment of it there is deleted: remove those assignments in IAM Identity Center (which ends ' +
    'the access they give) instead of deleting the role. If a clean-up tool (aws-nuke, cloud-nuke) made the call, ' +
    'exclude AWSReservedSSO_* roles from it. ' + DELEGATED],
  ['UpdateAssumeRolePolicy',
    'The trust policy of an AWSReservedSSO_ role is managed by IAM Identity Center: it is what lets the users assigned ' +
    'the permission set assume the role through the AWS access portal or the AWS CLI, and it cannot be changed in IAM. ' +
    'To let another principal assume a role in this account, create a separate IAM role with its own trust policy.'],
]);

function check(record: CloudTrailRecord): FindingInput | undefined {
  const roleName = str(field(record.requestParameters, 'roleName'));
  if (!roleName?.startsWith('AWSReservedSSO_')) return undefined;
  const code = str(record.errorCode);
  const message = str(record.errorMessage) ?? '';
  const eventName = str(record.eventName) ?? '';
  const refused = (code !== undefined && CODES.has(code) && ROLE_OPERATIONS.has(eventName)) || MESSAGE.test(message);
  if (!refused || byIdentityCenter(record)) return undefined;
  const who = caller(record) ?? null;
  const finding = fromRecord(record);
  const advice = OWN_ADVICE.get(eventName);
  return {
    ...finding,
    principal: who,
    message: `${who ?? 'An unknown caller'} tried ${eventName || 'an IAM operation'} on the protected role ${roleName}` +
      `${finding.account ? ` in account ${finding.account}` : ''} and was refused (${code ?? 'no error code'}${message ? `: ${message}` : ''}).`,
    ...(advice ? { remediation: advice } : {}),
    details: { roleName, errorCode: code ?? null, errorMessage: message || null },
  };
}

export const matcher: EventMatcher = {
  meta,
  candidates: [{ eventSources: ['iam.amazonaws.com'], failed: true, requestContains: 'AWSReservedSSO_' }],
  check,
};

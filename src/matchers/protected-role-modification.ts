import { caller, field, str, type CloudTrailRecord } from '../event.js';
import { fromRecord } from '../match/common.js';
import { GUIDE, type EventMatcher, type FindingInput, type MatcherMeta } from '../match/types.js';

export const meta: MatcherMeta = {
  id: 'protected-role-modification',
  title: "Attempt to modify a protected AWSReservedSSO_ role ('Cannot perform the operation on the protected role')",
  severity: 'warning',
  docUrl: `${GUIDE}#issue4`,
  remediation:
    'AWSReservedSSO_ roles belong to IAM Identity Center and can only be changed through it: edit the permission ' +
    'set in IAM Identity Center (in the management account or the delegated administrator account), then ' +
    're-provision the permission set to the accounts it is assigned to.',
  shape: {
    evidence: 'partly documented',
    note: 'The message is the guide\'s (issue 4) and re:Post\'s, the wire code UnmodifiableEntity is in the IAM API model, roleName is seen in records; the errorCode CloudTrail stores is inferred (both spellings are accepted).',
  },
  falsePositives:
    'The refusal is real but often harmless: clean-up tools (aws-nuke, cloud-nuke) that sweep every role hit it on DeleteRole or DetachRolePolicy without anyone trying to change a permission set.',
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
  return {
    ...finding,
    principal: who,
    message: `${who ?? 'An unknown caller'} tried ${eventName || 'an IAM operation'} on the protected role ${roleName}` +
      `${finding.account ? ` in account ${finding.account}` : ''} and was refused (${code ?? 'no error code'}${message ? `: ${message}` : ''}).`,
    details: { roleName, errorCode: code ?? null, errorMessage: message || null },
  };
}

export const matcher: EventMatcher = {
  meta,
  candidates: [{ eventSources: ['iam.amazonaws.com'], failed: true, requestContains: 'AWSReservedSSO_' }],
  check,
};

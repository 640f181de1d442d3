import { field, str, visible, type CloudTrailRecord } from '../event.js';
import type { PrincipalKind } from '../identity-store.js';
import { failed } from './common.js';

/**
 * Where Identity Center principals are created and deleted, in the three event sources that do it: SCIM
 * provisioning, the public Identity Store API and the console's sso-directory (FIELDS.md 2a, 2b). Only SCIM
 * Create has a published record; the other shapes are inferred, so every documented spelling is accepted.
 */
export const SCIM = 'identitystore-scim.amazonaws.com';
export const PRINCIPAL_STORES = [SCIM, 'identitystore.amazonaws.com', 'sso-directory.amazonaws.com'];
const STORES = new Set(PRINCIPAL_STORES);
/** The event names principalCreated and principalDeleted read. */
export const PRINCIPAL_CHANGES = ['CreateUser', 'CreateGroup', 'DeleteUser', 'DeleteGroup'];

export interface PrincipalEvent {
  record: CloudTrailRecord;
  kind: PrincipalKind;
  /** Lower case: IDs are hex, compared without case. */
  id: string;
  /** A name the record shows (not hidden), if any. */
  name: string | undefined;
  scim: boolean;
}

function kindOf(eventName: unknown, verb: 'Create' | 'Delete'): PrincipalKind | undefined {
  if (eventName === `${verb}User`) return 'USER';
  if (eventName === `${verb}Group`) return 'GROUP';
  return undefined;
}

/**
 * The fields a finding takes from an event (common.ts fromRecord), without the request and response: correlating
 * matchers keep these events until the end, and a busy directory makes thousands (a whole record is kilobytes).
 */
function brief(record: CloudTrailRecord): CloudTrailRecord {
  const accountId = field(record.userIdentity, 'accountId');
  return {
    eventID: record.eventID, eventTime: record.eventTime, eventSource: record.eventSource, eventName: record.eventName,
    awsRegion: record.awsRegion, recipientAccountId: record.recipientAccountId, sourceIPAddress: record.sourceIPAddress,
    ...(accountId === undefined ? {} : { userIdentity: { accountId } }),
  };
}

export function principalDeleted(record: CloudTrailRecord): PrincipalEvent | undefined {
  const source = str(record.eventSource);
  if (!source || !STORES.has(source) || failed(record)) return undefined;
  const kind = kindOf(record.eventName, 'Delete');
  if (!kind) return undefined;
  const p = record.requestParameters;
  const id = visible(field(p, 'id'))
    ?? visible(field(p, kind === 'USER' ? 'userId' : 'groupId'))
    ?? visible(field(p, kind === 'USER' ? 'UserId' : 'GroupId'));
  return id ? { record: brief(record), kind, id: id.toLowerCase(), name: undefined, scim: source === SCIM } : undefined;
}

export function principalCreated(record: CloudTrailRecord): PrincipalEvent | undefined {
  const source = str(record.eventSource);
  if (!source || !STORES.has(source) || failed(record)) return undefined;
  const kind = kindOf(record.eventName, 'Create');
  if (!kind) return undefined;
  const r = record.responseElements;
  const p = record.requestParameters;
  const user = kind === 'USER';
  const id = visible(field(r, 'id'))
    ?? visible(field(r, user ? 'UserId' : 'GroupId'))
    ?? visible(field(r, user ? 'user' : 'group', user ? 'userId' : 'groupId'));
  if (!id) return undefined;
  const name = user
    ? visible(field(p, 'httpBody', 'userName')) ?? visible(field(r, 'userName')) ?? visible(field(p, 'UserName')) ?? visible(field(p, 'userName'))
    : visible(field(p, 'httpBody', 'displayName')) ?? visible(field(r, 'displayName')) ?? visible(field(p, 'DisplayName')) ?? visible(field(p, 'displayName'))
      ?? visible(field(r, 'group', 'displayName'));
  return { record: brief(record), kind, id: id.toLowerCase(), name, scim: source === SCIM };
}

export interface AssignmentEvent {
  record: CloudTrailRecord;
  created: boolean;
  principalId: string;
  principalType: string;
  /** The AWS account the assignment grants access to. */
  targetId: string;
  permissionSetArn: string;
}

/** sso.amazonaws.com Create/DeleteAccountAssignment that succeeded (FIELDS.md 2c). */
export function accountAssignment(record: CloudTrailRecord): AssignmentEvent | undefined {
  if (record.eventSource !== 'sso.amazonaws.com' || failed(record)) return undefined;
  const created = record.eventName === 'CreateAccountAssignment';
  if (!created && record.eventName !== 'DeleteAccountAssignment') return undefined;
  const p = record.requestParameters;
  const principalId = visible(field(p, 'principalId'));
  const targetId = visible(field(p, 'targetId'));
  const permissionSetArn = visible(field(p, 'permissionSetArn'));
  if (!principalId || !targetId || !permissionSetArn) return undefined;
  return { record: brief(record), created, principalId: principalId.toLowerCase(), principalType: str(field(p, 'principalType')) ?? 'USER', targetId, permissionSetArn };
}

/** The permission set's own ID, the last part of its ARN: what the console shows. */
export function permissionSetName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The creates and deletes of users and groups a matcher is handed, in brief: what re-creations are paired from. */
export class PrincipalChanges {
  readonly creates: PrincipalEvent[] = [];
  readonly deletes: PrincipalEvent[] = [];

  record(record: CloudTrailRecord): void {
    const created = principalCreated(record);
    if (created) this.creates.push(created);
    const deleted = principalDeleted(record);
    if (deleted) this.deletes.push(deleted);
  }
}

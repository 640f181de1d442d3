/**
 * aws sso-admin output in the API reference's shapes (ListAccountAssignments, ListApplicationAssignments,
 * DescribePermissionSet), and the samples/sso-admin/ files made from it: the current assignments of the samples'
 * story, where jdoe's assignment still holds the ID SCIM deleted (and re-created under a new ID), and another
 * points at a user no listing or log knows.
 */
import { Gen, INSTANCE_ARN, MEMBER_ACCOUNTS, type Rec } from './cloudtrail.js';

export type Kind = 'USER' | 'GROUP';

export const psArn = (id: string) => `arn:aws:sso:::permissionSet/${INSTANCE_ARN.slice(INSTANCE_ARN.lastIndexOf('/') + 1)}/${id}`;
export const appArn = (id: string) => `arn:aws:sso::111122223333:application/${INSTANCE_ARN.slice(INSTANCE_ARN.lastIndexOf('/') + 1)}/${id}`;

/** One page of list-account-assignments (or list-account-assignments-for-principal) output. */
export function listAccountAssignments(items: { account: string; ps: string; type: Kind; id: string }[], nextToken?: string): Rec {
  return {
    AccountAssignments: items.map((a) => ({ AccountId: a.account, PermissionSetArn: psArn(a.ps), PrincipalType: a.type, PrincipalId: a.id })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

export function listApplicationAssignments(items: { app: string; type: Kind; id: string }[]): Rec {
  return { ApplicationAssignments: items.map((a) => ({ ApplicationArn: appArn(a.app), PrincipalType: a.type, PrincipalId: a.id })) };
}

export function describePermissionSet(ps: string, name: string): Rec {
  return {
    PermissionSet: {
      Name: name, PermissionSetArn: psArn(ps), Description: `${name} access`, CreatedDate: '2024-09-02T09:12:44.120000+00:00', SessionDuration: 'PT8H',
    },
  };
}

/** The permission sets of the samples: the first is the one the logs' CreateAccountAssignment names. */
export const SAMPLE_PERMISSION_SETS = [{ id: 'ps-5a1b2c3d4e5f6a7b', name: 'DataEngineer' }, { id: 'ps-0f9e8d7c6b5a4f3e', name: 'ReadOnly' }];
export const SAMPLE_APP = 'apl-3c1f0d2b9e8a7c6d';

/** An ID in the `<10 hex>-<UUID>` form that no listing or log of the samples holds: an orphan sso-logs cannot explain. */
export function strangerId(): string {
  const g = new Gen(20241011);
  return `${g.hex(10)}-${g.uuid()}`;
}

/** samples/sso-admin/: what the loop of docs/assignments.md writes, pretty-printed as the AWS CLI prints JSON. */
export function assignmentSamples(ids: { oldUser: string; newUser: string; longUser: string; umlautUser: string }): Map<string, Buffer> {
  const g = new Gen(20241012);
  const group = g.storeId();
  const [engineer, readOnly] = SAMPLE_PERMISSION_SETS as [{ id: string; name: string }, { id: string; name: string }];
  const account = MEMBER_ACCOUNTS[0]!;
  const pretty = (docs: Rec[]) => Buffer.from(docs.map((d) => `${JSON.stringify(d, null, 4)}\n`).join(''));
  const files = new Map<string, Buffer>();
  // One output per account and permission set, one after the other in one file, as the loop appends them.
  files.set('sso-admin/list-account-assignments.json', pretty([
    listAccountAssignments([
      { account, ps: engineer.id, type: 'USER', id: ids.oldUser },
      { account, ps: engineer.id, type: 'GROUP', id: group },
    ]),
    listAccountAssignments([
      { account, ps: readOnly.id, type: 'USER', id: ids.longUser },
      { account, ps: readOnly.id, type: 'USER', id: strangerId() },
    ]),
  ]));
  files.set('sso-admin/list-application-assignments.json', pretty([listApplicationAssignments([{ app: SAMPLE_APP, type: 'USER', id: ids.umlautUser }])]));
  files.set('sso-admin/describe-permission-set.json', pretty(SAMPLE_PERMISSION_SETS.map((p) => describePermissionSet(p.id, p.name))));
  return files;
}

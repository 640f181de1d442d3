import { describe, expect, it } from 'vitest';
import { Gen, iso, scimCreateUser, scimError, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';
import { GUIDE, type Finding } from '../../src/match/types.js';

const g = new Gen(8);
const T = Date.UTC(2024, 9, 10, 13);
const MIN = 60_000;
const M = 'scim-sync-error';
const MISSING = "1 validation errors detected: Value at 'name.familyName' failed to satisfy constraint: Member must have length greater than or equal to 1";

const SCIM_LOG = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/scim-logging-using-cloudtrail.html';
const SCIM_DEV = 'https://docs.aws.amazon.com/singlesignon/latest/developerguide';

/*
 * Records as AWS publishes them on "Logging IAM Identity Center SCIM API calls with AWS CloudTrail"
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/scim-logging-using-cloudtrail.html; read as
 * c2hans/aws-docs docs/singlesignon/latest/userguide/scim-logging-using-cloudtrail.md@63cf41d):
 * "Failed PatchUser operation: Multiple email addresses not supported", "Failed CreateGroup operation: Group name
 * already exists" and "Failed PatchGroup operation: Missing required path attribute", copied field for field. Only
 * AWS's "xxxx" placeholders that the matcher reads are filled in (eventTime, eventID, requestID, the target id).
 * The other error messages AWS lists without a record ("Common SCIM API validation errors" on the same page, and
 * the guide's #issue2) are put into the record of the same kind. For throttling, server and not-found errors AWS
 * publishes no CloudTrail record and no message, only the code (the SCIM developer guide's error table of each
 * operation), so those records carry the code and no errorMessage.
 */
const PATCH_USER_EMAILS: Rec = {
  eventVersion: '1.10',
  userIdentity: { type: 'Unknown', accountId: '123456789012', accessKeyId: 'xxxx' },
  eventTime: 'xxxx',
  eventSource: 'identitystore-scim.amazonaws.com',
  eventName: 'PatchUser',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'xxx.xxx.xxx.xxx',
  userAgent: 'Go-http-client/2.0',
  errorCode: 'ValidationException',
  errorMessage: 'List attribute emails exceeds allowed limit of 1',
  requestParameters: {
    httpBody: {
      operations: [{ op: 'REPLACE', path: 'emails', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }],
      schemas: ['HIDDEN_DUE_TO_SECURITY_REASONS'],
    },
    tenantId: 'xxxx',
    id: 'xxxx',
  },
  responseElements: null,
  requestID: 'xxxx',
  eventID: 'xxxx',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
  tlsDetails: { clientProvidedHostHeader: 'scim.us-east-1.amazonaws.com' },
};

const CREATE_GROUP_DUPLICATE: Rec = {
  eventVersion: '1.10',
  userIdentity: { type: 'Unknown', accountId: '123456789012', accessKeyId: 'xxxx' },
  eventTime: 'xxxx',
  eventSource: 'identitystore-scim.amazonaws.com',
  eventName: 'CreateGroup',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'xxx.xxx.xxx.xxx',
  userAgent: 'Go-http-client/2.0',
  errorCode: 'ConflictException',
  errorMessage: 'Duplicate GroupDisplayName',
  requestParameters: { httpBody: { displayName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, tenantId: 'xxxx' },
  responseElements: null,
  requestID: 'xxxx',
  eventID: 'xxxx',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
  tlsDetails: { clientProvidedHostHeader: 'scim.us-east-1.amazonaws.com' },
};

const PATCH_GROUP_NO_PATH: Rec = {
  ...CREATE_GROUP_DUPLICATE,
  eventName: 'PatchGroup',
  errorCode: 'ValidationException',
  errorMessage: 'Missing path in PATCH request',
  requestParameters: {
    httpBody: { operations: [{ op: 'REMOVE', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }], schemas: ['HIDDEN_DUE_TO_SECURITY_REASONS'] },
    tenantId: 'xxxx',
    id: 'xxxx',
  },
};

/** AWS's published record with its placeholders filled: a time, unique event and request IDs, the target id. */
function published(example: Rec, minute: number, changes: Rec = {}): Rec {
  const record: Rec = { ...structuredClone(example), eventTime: iso(T + minute * MIN), eventID: g.uuid(), requestID: g.uuid(), ...changes };
  const target = changes.target;
  delete record.target;
  if (typeof target === 'string') record.requestParameters = { ...(record.requestParameters as Rec), id: target };
  return record;
}

/** The same record with another error: no errorMessage when AWS publishes none for that code. */
function failedWith(example: Rec, minute: number, errorCode: string, errorMessage: string | undefined, target?: string): Rec {
  const record = published(example, minute, { errorCode, errorMessage, ...(target ? { target } : {}) });
  if (errorMessage === undefined) delete record.errorMessage;
  return record;
}

/** AWS's regular expression constraint as the SCIM logging page and the guide print it. */
const PATTERN = String.raw`[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+`;
const MANAGER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.value';
/** "Common SCIM API validation errors in IAM Identity Center", SCIM logging page. */
const MANAGER_MESSAGE =
  `2 validation errors detected: Value at '${MANAGER}' failed to satisfy constraint: Member must have length greater than or equal to 1; ` +
  `Value at '${MANAGER}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN}`;
/** The guide's #issue2, first cause ("The user object in the IdP lacks a first (given) name…"). */
const GIVEN_NAME_MESSAGE =
  `2 validation errors detected: Value at 'name.givenName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN}; ` +
  "Value at 'name.givenName' failed to satisfy constraint: Member must have length greater than or equal to 1";
/** The same page's one-error form, with the attribute in asterisks as AWS prints it. */
const FAMILY_NAME_PATTERN_MESSAGE = `1 validation errors detected: Value at '*name.familyName*' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN}`;

const USER_ID = 'c4488478-a0e1-700e-3d75-96c6bb641596';
const GROUP_ID = '34887428-4081-7042-c3c6-928d413009e7';

function full(f: Finding) {
  return { ...brief(f), message: f.message, remediation: f.remediation, docUrl: f.docUrl };
}

const NAMES_FIX =
  'Give the user a first (given) name, a last (family) name and a display name in the identity provider, and make sure its SCIM ' +
  'mapping for users sends non-empty values for all three.';
const ISSUE6 = "its account and application assignments must be made again (the guide's issue 6).";

describe(M, () => {
  it("names the attribute of AWS's manager.value validation error, and does not give the names advice", () => {
    const r = failedWith(PATCH_USER_EMAILS, 0, 'ValidationException', MANAGER_MESSAGE, USER_ID);
    const { findings } = run(M, [r]);
    expect(findings.map(full)).toEqual([{
      matcher: M, severity: 'warning', principal: USER_ID, eventIds: [id(r)],
      message: `SCIM PatchUser failed once with ValidationException: ${MANAGER_MESSAGE}. Likely cause: ${MANAGER} is empty and does not ` +
        `match the required pattern (not one of the name attributes the guide covers). Target ID: ${USER_ID}.`,
      remediation: `Give the user a valid ${MANAGER} in the identity provider, or change its SCIM mapping so that it sends a valid value; ` +
        'if AWS has no use for the attribute, remove its mapping instead. Then let the next sync run.',
      docUrl: `${SCIM_LOG}#scim-cloudtrail-common-errors`,
    }]);
    expect(findings[0]!.details).toMatchObject({ cause: 'invalid-attribute', attributes: [MANAGER] });
  });

  it("gives the guide's names advice, add them and map them, for a name attribute", () => {
    const create = scimCreateUser(g, T, 'us-east-1', USER_ID);
    // CreateUser is where a user without names fails: AWS's CreateUser request, with the error fields of its failed examples.
    const given = { ...create, eventID: g.uuid(), errorCode: 'ValidationException', errorMessage: GIVEN_NAME_MESSAGE, responseElements: null };
    const family = { ...given, eventID: g.uuid(), eventTime: iso(T + MIN), errorMessage: FAMILY_NAME_PATTERN_MESSAGE };
    const { findings } = run(M, [family, given]);
    expect(findings.map(full)).toEqual([
      {
        matcher: M, severity: 'warning', principal: null, eventIds: [id(given)],
        message: `SCIM CreateUser failed once with ValidationException: ${GIVEN_NAME_MESSAGE}. Likely cause: the user's first (given) name ` +
          '(name.givenName) is empty and does not match the required pattern.',
        remediation: `${NAMES_FIX} Then let the next sync run.`,
        docUrl: `${GUIDE}#issue2`,
      },
      {
        matcher: M, severity: 'warning', principal: null, eventIds: [id(family)],
        message: `SCIM CreateUser failed once with ValidationException: ${FAMILY_NAME_PATTERN_MESSAGE}. Likely cause: the user's last (family) ` +
          'name (name.familyName) does not match the required pattern.',
        remediation: `${NAMES_FIX} Where the value is there but does not match, remove the characters the pattern quoted in the message ` +
          'does not allow. Then let the next sync run.',
        docUrl: `${GUIDE}#issue2`,
      },
    ]);
    expect(findings.map((f) => f.details.cause)).toEqual(['name-attribute', 'name-attribute']);
    expect(findings[1]!.details.attributes).toEqual(['name.familyName']);
  });

  it("gives the guide's three options for a multi-valued attribute", () => {
    const emails = published(PATCH_USER_EMAILS, 0, { target: USER_ID });
    const addresses = failedWith(PATCH_USER_EMAILS, 1, 'ValidationException', 'List attribute addresses allowed limit of 1', USER_ID);
    const { findings } = run(M, [addresses, emails]);
    const options = (attribute: string) =>
      'In the identity provider, do one of the following, then let the next sync run: change the SCIM mapping for users so that it ' +
      `sends a single ${attribute} value (for example only the work one); or, if the extra values can safely go, delete them from the ` +
      `user so that one or none is left; or, if AWS has no use for ${attribute}, remove its mapping.`;
    expect(findings.map(full)).toEqual([
      {
        matcher: M, severity: 'warning', principal: USER_ID, eventIds: [id(emails)],
        message: 'SCIM PatchUser failed once with ValidationException: List attribute emails exceeds allowed limit of 1. Likely cause: the ' +
          'identity provider sent more than one value for emails; IAM Identity Center accepts a single value for multi-valued attributes ' +
          `such as emails, addresses and phone numbers. Target ID: ${USER_ID}.`,
        remediation: options('emails'),
        docUrl: `${GUIDE}#issue2`,
      },
      {
        matcher: M, severity: 'warning', principal: USER_ID, eventIds: [id(addresses)],
        message: 'SCIM PatchUser failed once with ValidationException: List attribute addresses allowed limit of 1. Likely cause: the ' +
          'identity provider sent more than one value for addresses; IAM Identity Center accepts a single value for multi-valued ' +
          `attributes such as emails, addresses and phone numbers. Target ID: ${USER_ID}.`,
        remediation: options('addresses'),
        docUrl: `${GUIDE}#issue2`,
      },
    ]);
  });

  it('tells a duplicate from a bare ConflictException, and warns that deleting the existing one is the guide\'s issue 6', () => {
    const duplicate = published(CREATE_GROUP_DUPLICATE, 0);
    const bare = failedWith(PATCH_USER_EMAILS, 1, 'ConflictException', undefined, USER_ID);
    const { findings } = run(M, [bare, duplicate]);
    expect(findings.map(full)).toEqual([
      {
        matcher: M, severity: 'warning', principal: null, eventIds: [id(duplicate)],
        message: 'SCIM CreateGroup failed once with ConflictException: Duplicate GroupDisplayName. Likely cause: a duplicate (the message ' +
          "names GroupDisplayName): a group's name must be unique.",
        remediation: 'Find the IAM Identity Center group that already holds the value (for example with aws identitystore get-group-id ' +
          'and the value as a unique attribute), then make the values unique in the identity source, as the guide says; for a group, the ' +
          'identity provider can also update the existing group instead of creating another. If you delete the existing IAM Identity ' +
          `Center group instead, the one SCIM creates gets a new ID, and ${ISSUE6}`,
        docUrl: `${GUIDE}#duplicate-user-group-idp`,
      },
      {
        matcher: M, severity: 'warning', principal: USER_ID, eventIds: [id(bare)],
        message: "SCIM PatchUser failed once with ConflictException. Possible causes: a value that must be unique is already taken (a user's " +
          'user name, primary email address and externalId must each be unique), or a concurrent change to the same user; the message ' +
          `does not say which. Target ID: ${USER_ID}.`,
        remediation: 'If it happened once, let the next sync retry it: a concurrent change clears by itself. If it repeats for the same ' +
          'user, treat it as a duplicate. Find the IAM Identity Center user that already holds the value (for example with aws ' +
          'identitystore get-user-id and the value as a unique attribute), then make the values unique in the identity source, as the ' +
          `guide says. If you delete the existing IAM Identity Center user instead, the one SCIM creates gets a new ID, and ${ISSUE6}`,
        docUrl: `${GUIDE}#duplicate-user-group-idp`,
      },
    ]);
    expect(findings.map((f) => f.details.cause)).toEqual(['duplicate', 'conflict']);
  });

  it('does not blame the user for throttling or a server error, and links the operation\'s SCIM error table', () => {
    const throttled = failedWith(PATCH_USER_EMAILS, 0, 'ThrottlingException', undefined, USER_ID);
    const server = failedWith(CREATE_GROUP_DUPLICATE, 1, 'InternalServerException', undefined);
    const { findings } = run(M, [server, throttled]);
    expect(findings.map(full)).toEqual([
      {
        matcher: M, severity: 'info', principal: USER_ID, eventIds: [id(throttled)],
        message: 'SCIM PatchUser failed once with ThrottlingException. Cause: IAM Identity Center throttled the identity provider (too many ' +
          `requests, HTTP 429); this says nothing about the user or group. Target ID: ${USER_ID}.`,
        remediation: 'Nothing to fix in the user or group. Let the identity provider retry: its next sync sends the change again. If ' +
          "throttling persists across syncs, contact AWS Support or the identity provider's vendor with the event IDs.",
        docUrl: `${SCIM_DEV}/patchuser.html#errors-patchuser`,
      },
      {
        matcher: M, severity: 'warning', principal: null, eventIds: [id(server)],
        message: 'SCIM CreateGroup failed once with InternalServerException. Cause: IAM Identity Center failed to process the request ' +
          "(HTTP 500), a fault on AWS's side, not in the user or group.",
        remediation: 'Nothing to fix in the user or group. Let the identity provider retry on its next sync; if the same call keeps ' +
          'failing, contact AWS Support with the event IDs.',
        docUrl: `${SCIM_DEV}/creategroup.html#errors-creategroup`,
      },
    ]);
    for (const f of findings) expect(f.remediation).not.toMatch(/See the cause given/);
  });

  it('says a ResourceNotFoundException refers to a user or group IAM Identity Center no longer has', () => {
    const r = failedWith(PATCH_GROUP_NO_PATH, 0, 'ResourceNotFoundException', undefined, GROUP_ID);
    const { findings } = run(M, [r]);
    expect(findings.map(full)).toEqual([{
      matcher: M, severity: 'warning', principal: GROUP_ID, eventIds: [id(r)],
      message: 'SCIM PatchGroup failed once with ResourceNotFoundException. Likely cause: the identity provider refers to a group ID that ' +
        `does not exist in IAM Identity Center (any more). Target ID: ${GROUP_ID}.`,
      remediation: 'The identity provider still holds an ID that IAM Identity Center no longer has, for example a group deleted in IAM ' +
        `Identity Center outside the identity provider (run sso-logs with --principal ${GROUP_ID} to see what happened to it). Have the ` +
        `identity provider provision the group again: it gets a new ID, so ${ISSUE6}`,
      docUrl: `${SCIM_DEV}/patchgroup.html#errors-patchgroup`,
    }]);
  });

  it("links AWS's failed PatchGroup example for a PATCH without a path", () => {
    const r = published(PATCH_GROUP_NO_PATH, 0, { target: GROUP_ID });
    const { findings } = run(M, [r]);
    expect(findings.map(full)).toEqual([{
      matcher: M, severity: 'warning', principal: GROUP_ID, eventIds: [id(r)],
      message: 'SCIM PatchGroup failed once with ValidationException: Missing path in PATCH request. Likely cause: the identity provider ' +
        `sent a PATCH operation without the path that says which attribute to change. Target ID: ${GROUP_ID}.`,
      remediation: "Nothing to fix in the user or group. Check the identity provider's SCIM connector (its version, custom mappings); if " +
        "it persists, contact the identity provider's vendor or AWS Support with the event IDs.",
      docUrl: `${SCIM_LOG}#scim-failed-patchgroup-example`,
    }]);
  });

  it('says when it knows no cause, without pointing at one', () => {
    const r = failedWith(CREATE_GROUP_DUPLICATE, 0, 'SomeNewException', 'Something else');
    const { findings } = run(M, [r]);
    expect(findings.map(full)).toEqual([{
      matcher: M, severity: 'warning', principal: null, eventIds: [id(r)],
      message: "SCIM CreateGroup failed once with SomeNewException: Something else. No cause is known for this error; see AWS's SCIM error " +
        'table for CreateGroup.',
      remediation: "sso-logs knows no cause for this error. Read its code and message with AWS's SCIM error table for the operation " +
        '(linked): if they name something about the user or group, fix it in the identity provider; otherwise contact AWS Support with ' +
        'the event IDs.',
      docUrl: `${SCIM_DEV}/creategroup.html#errors-creategroup`,
    }]);
  });

  it('folds a sync failing every 40 minutes for a day into one finding with its first and last time', () => {
    const records = Array.from({ length: 36 }, (_, i) => scimError(g, T + i * 40 * MIN, 'us-east-1', 'CreateUser', 'ValidationException', MISSING));
    const { findings } = run(M, [...records].reverse());
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: null, eventIds: records.map(id).sort() }]);
    expect(findings[0]!.details).toMatchObject({ count: 36, firstSeen: '2024-10-10T13:00:00Z', lastSeen: '2024-10-11T12:20:00Z' });
    expect(findings[0]!.message).toContain(' 36 times between 2024-10-10T13:00:00Z and 2024-10-11T12:20:00Z with ValidationException: ');
    expect(findings[0]!.message).toContain("Likely cause: the user's last (family) name (name.familyName) is empty.");
    expect(findings[0]!.docUrl).toBe(`${GUIDE}#issue2`);
  });

  it('does not fire on successful SCIM calls or failures of other services', () => {
    const ok = scimCreateUser(g, T, 'us-east-1', 'u-1');
    const other = { ...scimError(g, T, 'us-east-1', 'CreateUser', 'ValidationException', MISSING), eventSource: 'identitystore.amazonaws.com' };
    expect(run(M, [ok, other]).findings).toEqual([]);
  });
});

/**
 * CloudTrail records in the shapes AWS publishes (../shared/FIELDS.md, sections 1-6), for samples, fixtures
 * and generated benchmark data. Deterministic: the same seed gives the same bytes.
 */
export type Rec = Record<string, unknown>;

export const ORG_ACCOUNT = '111122223333';
export const MEMBER_ACCOUNTS = ['444455556666', '777788889999'];
export const IDENTITY_STORE = 'd-9067642ac7';
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-7223a8d4d0e5e0f1';
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** mulberry32: small, fast, and enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = rng(seed);
  }
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
  /** Identity Store ids: 8-4-4-4-12 hex with a non-standard version nibble (FIELDS.md 2b). */
  storeId(): string {
    return `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
  }
  ip(): string {
    return `${1 + this.int(223)}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
  accessKey(prefix = 'ASIA'): string {
    let s = prefix;
    for (let i = 0; i < 16; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[this.int(32)];
    return s;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const USER_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.6',
];

function base(g: Gen, time: number, account: string, region: string): Rec {
  return {
    eventVersion: '1.08',
    eventTime: iso(time),
    awsRegion: region,
    sourceIPAddress: g.ip(),
    userAgent: g.pick(USER_AGENTS),
    requestID: g.uuid(),
    eventID: g.uuid(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

function ssoAdminIdentity(g: Gen, account: string, user: string): Rec {
  const role = 'AWSReservedSSO_AdministratorAccess_0f3b7e9c4a1d2b6e';
  return {
    type: 'AssumedRole',
    principalId: `AROA${g.accessKey('').slice(0, 17)}:${user}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${user}`,
    accountId: account,
    accessKeyId: g.accessKey(),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${g.accessKey('').slice(0, 17)}`,
        arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${role}`,
        accountId: account,
        userName: role,
      },
      attributes: { creationDate: '2024-10-10T12:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

function automationIdentity(g: Gen, account: string): Rec {
  return {
    type: 'AssumedRole',
    principalId: `AROA${g.accessKey('').slice(0, 17)}:i-0${g.hex(16)}`,
    arn: `arn:aws:sts::${account}:assumed-role/app-deployer/i-0${g.hex(16)}`,
    accountId: account,
    accessKeyId: g.accessKey(),
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${g.accessKey('').slice(0, 17)}`, arn: `arn:aws:iam::${account}:role/app-deployer`, accountId: account, userName: 'app-deployer' },
      attributes: { creationDate: '2024-10-10T11:00:00Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  };
}

/** Ordinary traffic that has nothing to do with Identity Center. */
export function noise(g: Gen, time: number, account: string, region: string): Rec {
  const r = base(g, time, account, region);
  const who = automationIdentity(g, account);
  switch (g.int(6)) {
    case 0:
      return { ...r, userIdentity: who, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true,
        requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: 'prod' }] } }] } },
        responseElements: null, tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `ec2.${region}.amazonaws.com` } };
    case 1:
      return { ...r, userIdentity: who, eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', readOnly: true,
        requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:${region}:${account}:function:ingest` } },
        responseElements: null,
        resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${account}:key/${g.uuid()}` }] };
    case 2:
      return { ...r, userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }, sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'lambda.amazonaws.com',
        eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true,
        requestParameters: { roleArn: `arn:aws:iam::${account}:role/ingest-lambda`, roleSessionName: 'ingest' },
        responseElements: { credentials: { accessKeyId: g.accessKey(), sessionToken: 'IQoJb3JpZ2luX2VjE' + g.hex(40), expiration: 'Oct 10, 2024, 2:23:45 PM' } },
        resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${account}:role/ingest-lambda` }], sharedEventID: g.uuid() };
    case 3:
      return { ...r, userIdentity: who, eventSource: 'logs.amazonaws.com', eventName: 'CreateLogStream',
        requestParameters: { logGroupName: '/aws/lambda/ingest', logStreamName: `2024/10/10/[$LATEST]${g.hex(32)}` }, responseElements: null };
    case 4:
      return { ...r, userIdentity: who, eventSource: 'ssm.amazonaws.com', eventName: 'GetParameter', readOnly: true,
        requestParameters: { name: '/app/prod/db-endpoint', withDecryption: true }, responseElements: null };
    default:
      return { ...r, userIdentity: who, eventSource: 'cloudtrail.amazonaws.com', eventName: 'LookupEvents', readOnly: true,
        requestParameters: { maxResults: 50, lookupAttributes: [{ attributeKey: 'EventName', attributeValue: 'UpdatePassword' }] }, responseElements: null };
  }
}

/** The guide's password-reset failure: UpdatePassword on sso-directory with InternalFailure (FIELDS.md 1). */
export function updatePasswordFailure(g: Gen, time: number, region: string): Rec {
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity: { type: 'Unknown', principalId: ORG_ACCOUNT, accountId: ORG_ACCOUNT, accessKeyId: '' },
    userAgent: USER_AGENTS[2],
    eventSource: 'sso-directory.amazonaws.com',
    eventName: 'UpdatePassword',
    errorCode: 'InternalFailure',
    errorMessage: 'An unknown error occurred',
    requestParameters: { identityStoreId: IDENTITY_STORE, password: HIDDEN },
    responseElements: null,
  };
}

function scimBase(g: Gen, time: number, region: string): Rec {
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity: { type: 'WebIdentityUser', accountId: ORG_ACCOUNT, accessKeyId: g.accessKey() },
    userAgent: 'Go-http-client/2.0',
    eventSource: 'identitystore-scim.amazonaws.com',
    tlsDetails: { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: `scim.${region}.amazonaws.com` },
  };
}

/** SCIM CreateUser: names hidden, the new id in responseElements (FIELDS.md 2a). */
export function scimCreateUser(g: Gen, time: number, region: string, id: string): Rec {
  return {
    ...scimBase(g, time, region),
    eventName: 'CreateUser',
    requestParameters: {
      httpBody: { displayName: HIDDEN, name: { familyName: HIDDEN, givenName: HIDDEN }, active: true, userName: HIDDEN,
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], emails: [{ value: HIDDEN, type: 'work', primary: true }] },
      tenantId: IDENTITY_STORE,
    },
    responseElements: {
      id, userName: HIDDEN, name: { familyName: HIDDEN, givenName: HIDDEN }, displayName: HIDDEN, active: true,
      meta: { resourceType: 'User', created: 'Oct 10, 2024, 1:23:45 PM', lastModified: 'Oct 10, 2024, 1:23:45 PM' },
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    },
  };
}

export function scimDeleteUser(g: Gen, time: number, region: string, id: string): Rec {
  return { ...scimBase(g, time, region), eventName: 'DeleteUser', requestParameters: { tenantId: IDENTITY_STORE, id }, responseElements: null };
}

export function scimPatchUser(g: Gen, time: number, region: string, id: string): Rec {
  return {
    ...scimBase(g, time, region),
    eventName: 'PatchUser',
    requestParameters: { httpBody: { operations: [{ op: 'REPLACE', value: HIDDEN }], schemas: HIDDEN }, tenantId: IDENTITY_STORE, id },
    responseElements: null,
  };
}

/** sso.amazonaws.com CreateAccountAssignment (FIELDS.md 2c). */
export function createAccountAssignment(g: Gen, time: number, region: string, principalId: string, targetId: string, permissionSet: string): Rec {
  const permissionSetArn = `arn:aws:sso:::permissionSet/ssoins-7223a8d4d0e5e0f1/${permissionSet}`;
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity: ssoAdminIdentity(g, ORG_ACCOUNT, 'admin@example.com'),
    eventSource: 'sso.amazonaws.com',
    eventName: 'CreateAccountAssignment',
    requestParameters: { instanceArn: INSTANCE_ARN, targetId, targetType: 'AWS_ACCOUNT', permissionSetArn, principalType: 'USER', principalId },
    responseElements: {
      accountAssignmentCreationStatus: { status: 'IN_PROGRESS', requestId: g.uuid(), targetId, targetType: 'AWS_ACCOUNT', permissionSetArn, principalType: 'USER', principalId },
    },
  };
}

/** Identity Center provisioning the permission set's role in a member account (FIELDS.md 2c). */
export function ssoCreateRole(g: Gen, time: number, account: string, region: string, roleName: string): Rec {
  return {
    ...base(g, time, account, region),
    userIdentity: {
      type: 'AssumedRole', principalId: `AROA${g.accessKey('').slice(0, 17)}:AWS-SSO`,
      arn: `arn:aws:sts::${account}:assumed-role/AWSServiceRoleForSSO/AWS-SSO`, accountId: account, accessKeyId: g.accessKey(),
      sessionContext: { sessionIssuer: { type: 'Role', principalId: `AROA${g.accessKey('').slice(0, 17)}`, arn: `arn:aws:iam::${account}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO`, accountId: account, userName: 'AWSServiceRoleForSSO' }, attributes: { creationDate: iso(time - 1000), mfaAuthenticated: 'false' } },
      invokedBy: 'sso.amazonaws.com',
    },
    sourceIPAddress: 'sso.amazonaws.com',
    userAgent: 'sso.amazonaws.com',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateRole',
    awsRegion: 'us-east-1',
    requestParameters: { path: '/aws-reserved/sso.amazonaws.com/', roleName, assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::' + account + ':saml-provider/AWSSSO_' + g.hex(16) + '_DO_NOT_DELETE"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}', maxSessionDuration: 3600 },
    responseElements: { role: { path: '/aws-reserved/sso.amazonaws.com/', roleName, roleId: `AROA${g.accessKey('').slice(0, 17)}`, arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${roleName}`, createDate: 'Oct 10, 2024, 1:25:00 PM' } },
  };
}

/** Someone editing an AWSReservedSSO_ role in IAM, refused (FIELDS.md 3). */
export function protectedRoleFailure(g: Gen, time: number, account: string, roleName: string, eventName = 'DeleteRolePolicy'): Rec {
  return {
    ...base(g, time, account, 'us-east-1'),
    userIdentity: { type: 'IAMUser', principalId: `AIDA${g.accessKey('').slice(0, 17)}`, arn: `arn:aws:iam::${account}:user/ops-jane`, accountId: account, accessKeyId: g.accessKey('AKIA'), userName: 'ops-jane' },
    eventSource: 'iam.amazonaws.com',
    eventName,
    errorCode: 'UnmodifiableEntityException',
    errorMessage: `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`,
    requestParameters: { roleName, policyName: 'AwsSSOInlinePolicy' },
    responseElements: null,
  };
}

/** A successful Identity Center sign-in step, current identity shape (FIELDS.md 4). */
export function signinCredentialChallenge(g: Gen, time: number, region: string, userId: string, userName: string): Rec {
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity: { type: 'IdentityCenterUser', accountId: ORG_ACCOUNT, onBehalfOf: { userId, identityStoreArn: `arn:aws:identitystore::${ORG_ACCOUNT}:identitystore/${IDENTITY_STORE}` }, credentialId: g.hex(32) },
    userAgent: USER_AGENTS[2],
    eventSource: 'signin.amazonaws.com',
    eventName: 'CredentialChallenge',
    eventType: 'AwsServiceEvent',
    readOnly: false,
    requestParameters: null,
    responseElements: null,
    additionalEventData: { AuthWorkflowID: g.uuid(), CredentialType: 'PASSWORD', UserName: userName },
    serviceEventDetails: { CredentialChallenge: 'Success' },
  };
}

/** An Insights record: no eventSource, eventName or userIdentity (FIELDS.md 5). */
export function insight(g: Gen, time: number, account: string, region: string): Rec {
  return {
    eventVersion: '1.08', eventTime: iso(time), awsRegion: region, eventID: g.uuid(), eventType: 'AwsCloudTrailInsight',
    recipientAccountId: account, sharedEventID: g.uuid(), eventCategory: 'Insight',
    insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', insightType: 'ApiCallRateInsight',
      insightContext: { statistics: { baseline: { average: 0.0017 }, insight: { average: 6.0 }, insightDuration: 1 } } },
  };
}

/** `aws cloudtrail lookup-events` wraps each record as an Event (FIELDS.md section 5, CLI v2 time format). */
export function lookupEvent(record: Rec): Rec {
  const identity = record.userIdentity as Rec | undefined;
  const event: Rec = {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly ?? false),
    EventTime: String(record.eventTime).replace('Z', '+00:00'),
    EventSource: record.eventSource,
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  };
  if (identity?.accessKeyId) event.AccessKeyId = identity.accessKeyId;
  if (identity?.userName) event.Username = identity.userName;
  return event;
}

/** A digest file's JSON (FIELDS.md section 5): no events, skipped by the reader. */
export function digest(account: string, region: string, start: number, logFiles: string[]): Rec {
  return {
    awsAccountId: account, digestStartTime: iso(start), digestEndTime: iso(start + 3600_000),
    digestS3Bucket: 'org-trail-logs', digestS3Object: `AWSLogs/${account}/CloudTrail-Digest/${region}/2024/10/10/${account}_CloudTrail-Digest_${region}_org-trail_${region}_${iso(start + 3600_000).replace(/[-:]/g, '')}.json.gz`,
    digestPublicKeyFingerprint: '9f1d4c0e6b7a2f3e8d5c1b0a9e8f7d6c', digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: iso(start + 3500_000), oldestEventTime: iso(start + 10_000),
    previousDigestS3Bucket: 'org-trail-logs', previousDigestS3Object: '', previousDigestHashValue: '', previousDigestHashAlgorithm: 'SHA-256', previousDigestSignature: '',
    logFiles: logFiles.map((s3Object) => ({ s3Bucket: 'org-trail-logs', s3Object, hashValue: 'a'.repeat(64), hashAlgorithm: 'SHA-256', newestEventTime: iso(start + 3500_000), oldestEventTime: iso(start + 10_000) })),
  };
}

/**
 * A failed sign-in step with the name typed on the failing event itself: the shape sso-logs read first (FIELDS.md 4,
 * legacy), not AWS's example of a failed password sign-in, which has the name only on the sequence's
 * CredentialChallenge (see signinStep and signinFailedPassword).
 */
export function signinFailure(g: Gen, time: number, region: string, typed: string, workflow: string, eventName = 'CredentialVerification'): Rec {
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity: { type: 'Unknown', principalId: ORG_ACCOUNT, arn: '', accountId: ORG_ACCOUNT, accessKeyId: '' },
    userAgent: USER_AGENTS[2],
    eventSource: 'signin.amazonaws.com',
    eventName,
    eventType: 'AwsServiceEvent',
    readOnly: false,
    requestParameters: null,
    responseElements: null,
    additionalEventData: { AuthWorkflowID: workflow, CredentialType: 'PASSWORD', UserName: typed },
    serviceEventDetails: { [eventName]: 'Failure' },
  };
}

/** One step of an Identity Center sign-in sequence (signinStep). */
export interface SigninStep {
  /** additionalEventData.AuthWorkflowID: the same on every step of one sequence. */
  workflow: string;
  /** PASSWORD, TOTP, WEBAUTHN, EXTERNAL_IDP, RESYNC_TOTP or EMAIL_OTP (understanding-sign-in-events.html). */
  credentialType?: string;
  outcome?: 'Success' | 'Failure';
  /** additionalEventData.UserName: AWS puts it on the sequence's CredentialChallenge only. */
  userName?: string;
  /** The user, once known: userIdentity becomes IdentityCenterUser with onBehalfOf (the TOTP example). */
  userId?: string;
}

/**
 * A CredentialChallenge or CredentialVerification as AWS's "Example events for IAM Identity Center sign-in
 * scenarios" show them (https://docs.aws.amazon.com/singlesignon/latest/userguide/sign-in-events-examples.html):
 * userIdentity of type Unknown with an empty arn and accessKeyId and no principalId or userName (the failed
 * password example), or IdentityCenterUser with onBehalfOf and credentialId (the successful examples);
 * additionalEventData with AuthWorkflowID, CredentialType and, where given, UserName; the outcome in
 * serviceEventDetails; no errorCode.
 */
export function signinStep(g: Gen, time: number, region: string, eventName: 'CredentialChallenge' | 'CredentialVerification', step: SigninStep): Rec {
  const userIdentity = step.userId === undefined
    ? { type: 'Unknown', arn: '', accountId: ORG_ACCOUNT, accessKeyId: '' }
    : { type: 'IdentityCenterUser', arn: '', accountId: ORG_ACCOUNT, accessKeyId: '', onBehalfOf: { userId: step.userId, identityStoreArn: `arn:aws:identitystore::${ORG_ACCOUNT}:identitystore/${IDENTITY_STORE}` }, credentialId: g.uuid() };
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    userIdentity,
    userAgent: USER_AGENTS[2],
    eventSource: 'signin.amazonaws.com',
    eventName,
    eventType: 'AwsServiceEvent',
    readOnly: false,
    requestParameters: null,
    responseElements: null,
    additionalEventData: { AuthWorkflowID: step.workflow, CredentialType: step.credentialType ?? 'PASSWORD', ...(step.userName === undefined ? {} : { UserName: step.userName }) },
    serviceEventDetails: { [eventName]: step.outcome ?? 'Success' },
  };
}

/**
 * AWS's "Failed sign-in due to incorrect password authentication" (sign-in-events-examples.html#sign-in-events-examples-5):
 * a successful PASSWORD CredentialChallenge with the user name, then a failed CredentialVerification 6 s later with
 * the same AuthWorkflowID and no name.
 */
export function signinFailedPassword(g: Gen, time: number, region: string, userName: string, workflow: string): [Rec, Rec] {
  return [
    signinStep(g, time, region, 'CredentialChallenge', { workflow, userName }),
    signinStep(g, time + 6000, region, 'CredentialVerification', { workflow, outcome: 'Failure' }),
  ];
}

/** ExternalIdPDirectoryLogin failure, as in the one published record (FIELDS.md 4). */
export function externalIdpFailure(g: Gen, time: number, region: string): Rec {
  return {
    ...base(g, time, ORG_ACCOUNT, region),
    eventVersion: '1.05',
    userIdentity: { type: 'Unknown', principalId: ORG_ACCOUNT, arn: '', accountId: ORG_ACCOUNT, accessKeyId: '' },
    userAgent: USER_AGENTS[2],
    eventSource: 'signin.amazonaws.com',
    eventName: 'ExternalIdPDirectoryLogin',
    eventType: 'AwsConsoleSignIn',
    requestParameters: null,
    responseElements: { ExternalIdPDirectoryLogin: 'Failure' },
    errorMessage: `Not a valid response for the provided request id: aws_cc${g.hex(24)}`,
    additionalEventData: { MobileVersion: 'No', LoginTo: 'https://d-9067642ac7.awsapps.com/start/' },
  };
}

/** A failed SCIM call with one of the published error codes and messages (FIELDS.md 2a). */
export function scimError(g: Gen, time: number, region: string, eventName: string, errorCode: string, errorMessage: string, id?: string): Rec {
  const r = scimBase(g, time, region);
  const requestParameters: Rec = eventName.startsWith('Create')
    ? { httpBody: { displayName: HIDDEN, schemas: [`urn:ietf:params:scim:schemas:core:2.0:${eventName.endsWith('Group') ? 'Group' : 'User'}`] }, tenantId: IDENTITY_STORE }
    : { httpBody: { operations: [{ op: 'REPLACE', value: HIDDEN }], schemas: HIDDEN }, tenantId: IDENTITY_STORE, ...(id ? { id } : {}) };
  return { ...r, userIdentity: { type: 'Unknown', accountId: ORG_ACCOUNT, accessKeyId: g.accessKey() }, eventName, errorCode, errorMessage, requestParameters, responseElements: null };
}

/** UpdatePassword from a signed-in flow: current identity shape with the user's Identity Store ID. */
export function updatePasswordFailureFor(g: Gen, time: number, region: string, userId: string, errorCode = 'InternalFailure', errorMessage = 'An unknown error occurred'): Rec {
  return {
    ...updatePasswordFailure(g, time, region),
    userIdentity: { type: 'IdentityCenterUser', accountId: ORG_ACCOUNT, onBehalfOf: { userId, identityStoreArn: `arn:aws:identitystore::${ORG_ACCOUNT}:identitystore/${IDENTITY_STORE}` } },
    errorCode,
    errorMessage,
  };
}

/** `aws identitystore list-users` output. */
export function listUsers(users: { id: string; name: string }[]): Rec {
  return {
    Users: users.map((u) => ({
      UserName: u.name, UserId: u.id, Name: { FamilyName: 'Doe', GivenName: 'Jo' }, DisplayName: u.name,
      Emails: [{ Value: u.name.includes('@') ? u.name : `${u.name}@example.com`, Type: 'work', Primary: true }], IdentityStoreId: IDENTITY_STORE,
    })),
  };
}

/** SCIM CreateGroup: shape inferred from CreateUser (FIELDS.md 2a, no published success record). */
export function scimCreateGroup(g: Gen, time: number, region: string, id: string): Rec {
  return {
    ...scimBase(g, time, region),
    eventName: 'CreateGroup',
    requestParameters: { httpBody: { displayName: HIDDEN, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, tenantId: IDENTITY_STORE },
    responseElements: { id, displayName: HIDDEN, meta: { resourceType: 'Group', created: 'Oct 10, 2024, 1:23:45 PM', lastModified: 'Oct 10, 2024, 1:23:45 PM' }, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] },
  };
}

export function scimDeleteGroup(g: Gen, time: number, region: string, id: string): Rec {
  return { ...scimBase(g, time, region), eventName: 'DeleteGroup', requestParameters: { tenantId: IDENTITY_STORE, id }, responseElements: null };
}

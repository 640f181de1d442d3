import { describe, expect, it } from 'vitest';
import { GUIDE } from '../../src/match/types.js';
import { Gen, signinCredentialChallenge, signinFailedPassword, signinFailure, signinStep, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(6);
const T = Date.UTC(2024, 9, 10, 13);
const M = 'signin-failure';
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const USER_GUIDE = 'https://docs.aws.amazon.com/singlesignon/latest/userguide';
const FAILED_PASSWORD_EXAMPLE = `${USER_GUIDE}/sign-in-events-examples.html#sign-in-events-examples-5`;
const USER_NAME_PAGE = `${USER_GUIDE}/username-sign-in-cloudtrail-events.html`;
const SIGN_IN_EVENTS = `${USER_GUIDE}/understanding-sign-in-events.html`;

// AWS's "Failed sign-in due to incorrect password authentication", the two records as published in "Example events
// for IAM Identity Center sign-in scenarios":
// https://docs.aws.amazon.com/singlesignon/latest/userguide/sign-in-events-examples.html#sign-in-events-examples-5
// (source copy: c2hans/aws-docs docs/singlesignon/latest/userguide/sign-in-events-examples.md@9a3d9b40). The user
// name is only on the CredentialChallenge; the failing CredentialVerification has AuthWorkflowID and CredentialType.
const AWS_CHALLENGE: Rec = {
  eventVersion: '1.08',
  userIdentity: { type: 'Unknown', arn: '', accountId: '111122223333', accessKeyId: '' },
  eventTime: '2020-12-08T18:56:15Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'CredentialChallenge',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.0',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.66 Safari/537.36',
  requestParameters: null,
  responseElements: null,
  additionalEventData: { AuthWorkflowID: 'adbf67c4-8188-4e2b-8527-fe539e328fa7', CredentialType: 'PASSWORD', UserName: 'bobsmith@example.com' },
  requestID: 'f54848ea-b1aa-402f-bf0d-a54561a2ffcc',
  eventID: 'd96f1d6c-dbd9-4a0b-9a45-6a2b66078c78',
  readOnly: false,
  eventType: 'AwsServiceEvent',
  managementEvent: true,
  eventCategory: 'Management',
  recipientAccountId: '111122223333',
  serviceEventDetails: { CredentialChallenge: 'Success' },
};
const AWS_FAILED_VERIFICATION: Rec = {
  eventVersion: '1.08',
  userIdentity: { type: 'Unknown', arn: '', accountId: '111122223333', accessKeyId: '' },
  eventTime: '2020-12-08T18:56:21Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'CredentialVerification',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.0',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.66 Safari/537.36',
  requestParameters: null,
  responseElements: null,
  additionalEventData: { AuthWorkflowID: 'adbf67c4-8188-4e2b-8527-fe539e328fa7', CredentialType: 'PASSWORD' },
  requestID: '04528c82-a678-4a1f-a56d-ea2c6445a72a',
  eventID: '9160fe06-fc2a-474f-9b78-000ee067a09d',
  readOnly: false,
  eventType: 'AwsServiceEvent',
  managementEvent: true,
  eventCategory: 'Management',
  recipientAccountId: '111122223333',
  serviceEventDetails: { CredentialVerification: 'Failure' },
};

/** Every key path of a record, sorted: its shape without its values. */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => shape(v, `${prefix}.${k}`)).sort();
}

describe(M, () => {
  it("names the user of AWS's failed-password sequence from its CredentialChallenge, in either order", () => {
    for (const records of [[AWS_CHALLENGE, AWS_FAILED_VERIFICATION], [AWS_FAILED_VERIFICATION, AWS_CHALLENGE]]) {
      const { findings } = run(M, records);
      expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: 'bobsmith@example.com', eventIds: ['9160fe06-fc2a-474f-9b78-000ee067a09d'] }]);
      const [f] = findings;
      expect(f!.message).toBe(
        '1 failed PASSWORD verification in one sign-in sequence (AuthWorkflowID adbf67c4-8188-4e2b-8527-fe539e328fa7) for bobsmith@example.com. ' +
        'The user name is from the sequence\'s CredentialChallenge. The user name looks like a UPN (user@domain). That matters only if the identity ' +
        'source is a connected Active Directory with MFA in Context-aware or Always-on mode: users must then sign in as DOMAIN\\UserName.',
      );
      // the UPN note, so the guide's UPN section; the password advice comes first
      expect(f!.docUrl).toBe(`${GUIDE}#issue3`);
      expect(f!.remediation).toMatch(/^The password was not accepted: .* not the UPN \(user@corp\.example\.com\)\.$/);
      expect(f).toMatchObject({ time: '2020-12-08T18:56:21.000Z', account: '111122223333', eventName: 'CredentialVerification', sourceIp: '203.0.113.0' });
      expect(f!.details).toEqual({
        count: 1, firstSeen: '2020-12-08T18:56:21Z', lastSeen: '2020-12-08T18:56:21Z', authWorkflowId: 'adbf67c4-8188-4e2b-8527-fe539e328fa7',
        credentialType: 'PASSWORD', eventName: 'CredentialVerification', userName: 'bobsmith@example.com', userNameFrom: 'CredentialChallenge',
        userId: null, upn: true, hiddenUserName: false,
      });
    }
  });

  it("the factories build AWS's published shape", () => {
    const [challenge, verification] = signinFailedPassword(g, T, 'us-east-1', 'bobsmith@example.com', g.uuid());
    expect(shape(challenge)).toEqual(shape(AWS_CHALLENGE));
    expect(shape(verification)).toEqual(shape(AWS_FAILED_VERIFICATION));
  });

  it('counts retries of one sequence as one finding, whatever the order, and links the failed-password example without a UPN', () => {
    // "Unsuccessful password authentication attempts result in additional CloudTrail events as the IAM Identity
    // Center re-issues CredentialChallenge" (understanding-sign-in-events.html). Whether a re-issued challenge
    // repeats UserName is not published: here only the first carries it.
    const wf = g.uuid();
    const records = [0, 1, 2].flatMap((i) => [
      signinStep(g, T + i * 20_000, 'us-east-1', 'CredentialChallenge', i === 0 ? { workflow: wf, userName: 'jsmith' } : { workflow: wf }),
      signinStep(g, T + i * 20_000 + 6000, 'us-east-1', 'CredentialVerification', { workflow: wf, outcome: 'Failure' }),
    ]);
    const failed = records.filter((r) => r.eventName === 'CredentialVerification');
    for (const order of [records, [...records].reverse(), [records[3]!, records[0]!, records[5]!, records[2]!, records[1]!, records[4]!]]) {
      const { findings } = run(M, order);
      expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: 'jsmith', eventIds: failed.map(id).sort() }]);
      expect(findings[0]!.message).toBe(`3 failed PASSWORD verifications in one sign-in sequence (AuthWorkflowID ${wf}) for jsmith, between 2024-10-10T13:00:06Z and 2024-10-10T13:00:46Z. The user name is from the sequence's CredentialChallenge.`);
      expect(findings[0]!.docUrl).toBe(FAILED_PASSWORD_EXAMPLE);
      expect(findings[0]!.remediation).not.toContain('DOMAIN');
      expect(findings[0]!.details).toMatchObject({ count: 3, firstSeen: '2024-10-10T13:00:06Z', lastSeen: '2024-10-10T13:00:46Z', upn: false });
    }
  });

  it('gives a TOTP failure the clock advice and the TOTP section, not the password or UPN advice', () => {
    // AWS publishes a successful password + TOTP sequence (sign-in-events-examples.html#sign-in-events-examples-3),
    // not a failed one: this is that sequence with the TOTP CredentialVerification failing. Once the password is
    // verified every step carries the user (IdentityCenterUser, onBehalfOf.userId).
    const wf = g.uuid();
    const user = '94d00cd8-e9e6-4810-b177-b08e84725435';
    const records = [
      signinStep(g, T, 'us-east-1', 'CredentialChallenge', { workflow: wf, userName: 'bobsmith@example.com', userId: user }),
      signinStep(g, T + 7000, 'us-east-1', 'CredentialVerification', { workflow: wf, userId: user }),
      signinStep(g, T + 7000, 'us-east-1', 'CredentialChallenge', { workflow: wf, credentialType: 'TOTP', userId: user }),
      signinStep(g, T + 14_000, 'us-east-1', 'CredentialVerification', { workflow: wf, credentialType: 'TOTP', outcome: 'Failure', userId: user }),
    ];
    const { findings } = run(M, [records[3]!, records[1]!, records[0]!, records[2]!]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: `bobsmith@example.com (${user})`, eventIds: [id(records[3]!)] }]);
    const [f] = findings;
    expect(f!.message).toBe(`1 failed TOTP verification in one sign-in sequence (AuthWorkflowID ${wf}) for bobsmith@example.com (${user}). The user name is from the sequence's CredentialChallenge.`);
    expect(f!.docUrl).toBe(`${GUIDE}#issue13`);
    expect(f!.remediation).toContain('rely on time synchronization');
    expect(f!.remediation).not.toMatch(/password|UPN|DOMAIN/);
    expect(f!.details).toMatchObject({ credentialType: 'TOTP', upn: false, userId: user });
  });

  it('reports a password and a TOTP failure of one sequence apart, each with its own advice, both with the user the sequence names', () => {
    const wf = g.uuid();
    const records = [
      ...signinFailedPassword(g, T, 'us-east-1', 'jdoe', wf),
      signinStep(g, T + 20_000, 'us-east-1', 'CredentialVerification', { workflow: wf, credentialType: 'TOTP', outcome: 'Failure', userId: 'u-1' }),
    ];
    const { findings } = run(M, records);
    expect(findings.map((f) => [f.principal, f.eventIds, f.docUrl, f.details.credentialType])).toEqual([
      // the failed password step has no onBehalfOf; a later step of the same AuthWorkflowID does
      ['jdoe (u-1)', [id(records[1]!)], FAILED_PASSWORD_EXAMPLE, 'PASSWORD'],
      ['jdoe (u-1)', [id(records[2]!)], `${GUIDE}#issue13`, 'TOTP'],
    ]);
  });

  it('links each credential type AWS lists to the page that explains it', () => {
    const types = ['WEBAUTHN', 'EMAIL_OTP', 'EXTERNAL_IDP', 'RESYNC_TOTP', 'SMS'];
    const records = types.map((credentialType, i) => signinStep(g, T + i * 1000, 'us-east-1', 'CredentialVerification', { workflow: `wf-${i}`, credentialType, outcome: 'Failure' }));
    const { findings } = run(M, records);
    expect(findings.map((f) => [f.principal, f.eventIds, f.message, f.docUrl])).toEqual([
      [null, [id(records[0]!)], '1 failed WEBAUTHN verification in one sign-in sequence (AuthWorkflowID wf-0).', `${USER_GUIDE}/mfa-types.html#mfa-types-fido2`],
      [null, [id(records[1]!)], '1 failed EMAIL_OTP verification in one sign-in sequence (AuthWorkflowID wf-1).', SIGN_IN_EVENTS],
      [null, [id(records[2]!)], '1 failed EXTERNAL_IDP verification in one sign-in sequence (AuthWorkflowID wf-2).', `${GUIDE}#issue8`],
      [null, [id(records[3]!)], '1 failed RESYNC_TOTP verification in one sign-in sequence (AuthWorkflowID wf-3).', `${GUIDE}#issue13`],
      [null, [id(records[4]!)], '1 failed SMS verification in one sign-in sequence (AuthWorkflowID wf-4).', SIGN_IN_EVENTS],
    ]);
    expect(findings[0]!.remediation).toContain('FIDO2 authenticator');
    expect(findings[1]!.remediation).toContain('no-reply@signin.aws');
    expect(findings[3]!.remediation).toContain('AWS lists RESYNC_TOTP without describing it');
    expect(findings[4]!.remediation).toBe('IAM Identity Center did not accept the SMS credential. The sign-in events say which credential failed, not why.');
  });

  it('says a hidden name matches no user and links the user-name page, on the failing event or on the challenge', () => {
    // "The UserName field contains the string HIDDEN_DUE_TO_SECURITY_REASONS when the recorded event is a console
    // sign-in failure caused by incorrect user name input" (username-sign-in-cloudtrail-events.html).
    const onFailure = signinFailure(g, T, 'us-east-1', HIDDEN, 'wf-h1', 'CredentialChallenge');
    const [challenge, verification] = signinFailedPassword(g, T + 1000, 'us-east-1', HIDDEN, 'wf-h2');
    const { findings } = run(M, [verification, onFailure, challenge]);
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: 'an unknown user name', eventIds: [id(onFailure)] },
      { matcher: M, severity: 'warning', principal: 'an unknown user name', eventIds: [id(verification)] },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      '1 failed PASSWORD challenge in one sign-in sequence (AuthWorkflowID wf-h1) for an unknown user name. CloudTrail hides the user name when it matches no user: the name typed does not exist in the identity source.',
      '1 failed PASSWORD verification in one sign-in sequence (AuthWorkflowID wf-h2) for an unknown user name. CloudTrail hides the user name when it matches no user: the name typed does not exist in the identity source.',
    ]);
    for (const f of findings) {
      expect(f.docUrl).toBe(USER_NAME_PAGE);
      expect(f.remediation).toMatch(/^CloudTrail writes HIDDEN_DUE_TO_SECURITY_REASONS in place of the user name/);
      expect(f.details).toMatchObject({ hiddenUserName: true, upn: false, userName: HIDDEN });
    }
  });

  it('keeps reading the legacy shapes: the name on the failing event, userIdentity.userName, onBehalfOf.userId', () => {
    const onEvent = [0, 1].map((i) => signinFailure(g, T + i * 10_000, 'us-east-1', 'jsmith@corp.example.com', 'wf-l1'));
    const userName: Rec = { ...signinFailure(g, T + 30_000, 'us-east-1', 'x', 'wf-l2'), userIdentity: { type: 'Unknown', principalId: '111122223333', arn: '', accountId: '111122223333', accessKeyId: '', userName: 'user1' } };
    delete (userName.additionalEventData as Rec).UserName;
    const current: Rec = { ...signinFailure(g, T + 40_000, 'us-east-1', 'x', 'wf-l3'), userIdentity: { type: 'IdentityCenterUser', accountId: '111122223333', onBehalfOf: { userId: 'u-9', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7' } } };
    delete (current.additionalEventData as Rec).UserName;
    const noWorkflow = signinFailure(g, T + 50_000, 'us-east-1', 'kim', 'x');
    delete (noWorkflow.additionalEventData as Rec).AuthWorkflowID;
    const { findings } = run(M, [current, noWorkflow, ...onEvent, userName], { listing: [{ id: 'u-9', name: 'ann@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: 'jsmith@corp.example.com', eventIds: onEvent.map(id).sort() },
      { matcher: M, severity: 'warning', principal: 'user1', eventIds: [id(userName)] },
      { matcher: M, severity: 'warning', principal: 'ann@example.com (u-9)', eventIds: [id(current)] },
      { matcher: M, severity: 'warning', principal: 'kim', eventIds: [id(noWorkflow)] },
    ]);
    expect(findings[0]!.message).toBe(
      '2 failed PASSWORD verifications in one sign-in sequence (AuthWorkflowID wf-l1) for jsmith@corp.example.com, between 2024-10-10T13:00:00Z and 2024-10-10T13:00:10Z. ' +
      'The user name looks like a UPN (user@domain). That matters only if the identity source is a connected Active Directory with MFA in ' +
      'Context-aware or Always-on mode: users must then sign in as DOMAIN\\UserName.',
    );
    expect(findings[0]!.docUrl).toBe(`${GUIDE}#issue3`);
    expect(findings[0]!.details).toMatchObject({ userNameFrom: 'failing event', upn: true });
    // a listing's name is not what the user typed: no UPN note for it
    expect(findings[2]!.message).toBe('1 failed PASSWORD verification in one sign-in sequence (AuthWorkflowID wf-l3) for ann@example.com (u-9).');
    expect(findings[2]!.details).toMatchObject({ userNameFrom: 'identity store listing', upn: false, userId: 'u-9' });
    expect(findings[2]!.docUrl).toBe(FAILED_PASSWORD_EXAMPLE);
    expect(findings[3]!.message).toBe('1 failed PASSWORD verification (no AuthWorkflowID) for kim.');
  });

  it('reports a failure with no name anywhere without a principal, and says so in no note', () => {
    const wf = g.uuid();
    const r = signinStep(g, T, 'us-east-1', 'CredentialVerification', { workflow: wf, outcome: 'Failure' });
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: null, eventIds: [id(r)] }]);
    expect(findings[0]!.message).toBe(`1 failed PASSWORD verification in one sign-in sequence (AuthWorkflowID ${wf}).`);
    expect(findings[0]!.details).toMatchObject({ userName: null, userNameFrom: null });
  });

  it('does not fire on successes or other sign-in events', () => {
    const wf = g.uuid();
    const ok = signinCredentialChallenge(g, T, 'us-east-1', 'u-1', 'jdoe');
    const verified = signinStep(g, T, 'us-east-1', 'CredentialVerification', { workflow: wf, credentialType: 'TOTP', userId: 'u-1' });
    const auth = { ...signinFailure(g, T, 'us-east-1', 'x', 'wf'), eventName: 'UserAuthentication', serviceEventDetails: { UserAuthentication: 'Failure' } };
    const console = { ...signinFailure(g, T, 'us-east-1', 'x', 'wf'), eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' }, serviceEventDetails: null };
    expect(run(M, [ok, verified, auth, console, AWS_CHALLENGE]).findings).toEqual([]);
  });
});

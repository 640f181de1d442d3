import { describe, expect, it } from 'vitest';
import { Gen, signinCredentialChallenge, signinFailure, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(6);
const T = Date.UTC(2024, 9, 10, 13);
const M = 'signin-failure';
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

describe(M, () => {
  it('groups failures by user and sign-in attempt (AuthWorkflowID)', () => {
    const a = [0, 1, 2].map((i) => signinFailure(g, T + i * 10_000, 'us-east-1', 'jsmith', 'wf-a'));
    const b = signinFailure(g, T + 60_000, 'us-east-1', 'jsmith', 'wf-b', 'CredentialChallenge');
    const { findings } = run(M, [a[2]!, b, a[0]!, a[1]!]);
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: 'jsmith', eventIds: a.map(id).sort() },
      { matcher: M, severity: 'warning', principal: 'jsmith', eventIds: [id(b)] },
    ]);
    expect(findings[0]!.details).toMatchObject({ count: 3, firstSeen: '2024-10-10T13:00:00Z', lastSeen: '2024-10-10T13:00:20Z', authWorkflowId: 'wf-a', upn: false });
  });

  it("gives the guide's DOMAIN\\UserName advice for a UPN, and says a hidden name does not exist", () => {
    const upn = signinFailure(g, T, 'us-east-1', 'jsmith@corp.example.com', 'wf-1');
    const hidden = signinFailure(g, T + 1000, 'us-east-1', HIDDEN, 'wf-2');
    const { findings } = run(M, [upn, hidden]);
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'warning', principal: 'jsmith@corp.example.com', eventIds: [id(upn)] },
      { matcher: M, severity: 'warning', principal: 'an unknown user name', eventIds: [id(hidden)] },
    ]);
    expect(findings[0]!.message).toContain('must sign in as DOMAIN\\UserName');
    expect(findings[1]!.message).toContain('the name typed does not exist');
  });

  it('reads the current identity shape (IdentityCenterUser, onBehalfOf.userId) and names it through the listing', () => {
    const r: Rec = { ...signinFailure(g, T, 'us-east-1', 'x', 'wf-3'), userIdentity: { type: 'IdentityCenterUser', accountId: '111122223333', onBehalfOf: { userId: 'u-9', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7' } } };
    delete (r.additionalEventData as Rec).UserName;
    const { findings } = run(M, [r], { listing: [{ id: 'u-9', name: 'ann@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: 'ann@example.com (u-9)', eventIds: [id(r)] }]);
  });

  it('does not fire on successes or other sign-in events', () => {
    const ok = signinCredentialChallenge(g, T, 'us-east-1', 'u-1', 'jdoe');
    const auth = { ...signinFailure(g, T, 'us-east-1', 'x', 'wf'), eventName: 'UserAuthentication', serviceEventDetails: { UserAuthentication: 'Failure' } };
    const console = { ...signinFailure(g, T, 'us-east-1', 'x', 'wf'), eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' }, serviceEventDetails: null };
    expect(run(M, [ok, auth, console]).findings).toEqual([]);
  });
});

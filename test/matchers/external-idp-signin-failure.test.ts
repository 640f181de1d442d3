import { describe, expect, it } from 'vitest';
import { externalIdpFailure, Gen } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(7);
const T = Date.UTC(2024, 9, 10, 13);
const M = 'external-idp-signin-failure';

describe(M, () => {
  it('fires on Failure responses and folds retries that differ only by request id', () => {
    const a = externalIdpFailure(g, T, 'us-east-1');
    const b = externalIdpFailure(g, T + 5000, 'us-east-1');
    const { findings } = run(M, [b, a]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(a), id(b)].sort() }]);
    expect(findings[0]!.details).toMatchObject({ count: 2, errorMessage: 'Not a valid response for the provided request id: ...' });
    expect(findings[0]!.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue8');
  });

  it('fires on an error message without a Failure response', () => {
    const r = { ...externalIdpFailure(g, T, 'us-east-1'), responseElements: null, errorMessage: 'Invalid SAML response' };
    expect(run(M, [r]).findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
  });

  it('does not fire on a successful login or on ConsoleLogin', () => {
    const ok = { ...externalIdpFailure(g, T, 'us-east-1'), responseElements: { ExternalIdPDirectoryLogin: 'Success' } };
    delete (ok as Record<string, unknown>).errorMessage;
    const consoleLogin = { ...externalIdpFailure(g, T, 'us-east-1'), eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } };
    expect(run(M, [ok, consoleLogin]).findings).toEqual([]);
  });
  // The record: ExternalIdPDirectoryLogin, responseElements {"ExternalIdPDirectoryLogin":"Failure"}, no errorCode,
  // errorMessage "Not a valid response for the provided request id: aws_cc..." (FIELDS.md 4, the one published record,
  // a Panther fixture). AWS does not document what that message means (FIELDS.md 4: mismatch errorMessage [GAP]).
  it('says the response was not accepted and gives the common causes, without asserting that no user matched', () => {
    const r = externalIdpFailure(g, T, 'us-east-1');
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
    expect(findings[0]!.message).toBe(
      'Sign-in with the external identity provider failed: Not a valid response for the provided request id: .... ' +
      'IAM Identity Center did not accept the SAML response, and the record does not say why. The guide\'s common cause is a mismatch between ' +
      'the user in the response and the IAM Identity Center user (a NameID format other than email address, or a NameID that is not exactly ' +
      'the user name of an existing, already provisioned user); an Assertion Consumer Service (ACS) URL that differs from the instance\'s ' +
      'gives the same error. The remediation lists every condition.',
    );
    expect(findings[0]!.message).not.toContain('did not match');
    expect(findings[0]!.details).toMatchObject({ cause: null });
  });

  // The guide's #issue8 (live page, FIELDS.md 8): the NameID items, "it doesn't matter if the email address in IAM
  // Identity Center matches or not - the inbound match is based on username", no JIT, one unencrypted assertion, the
  // ACS URL, and five rules that "apply if Attributes for access control is enabled"; the URN is #issue14's.
  it('gives the guide\'s whole checklist: the ACS URL, the match on the user name, and the attribute rules as conditional', () => {
    const r = externalIdpFailure(g, T, 'us-east-1');
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
    const { remediation } = findings[0]!;
    expect(remediation).toContain('the NameID format is email address (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress)');
    expect(remediation).toContain('exactly matches the user name of an existing IAM Identity Center user: the match is on the user name, and whether the email address of that user matches does not matter');
    expect(remediation).toContain('users and groups are not created just in time, so provision the user first');
    expect(remediation).toContain('the response carries one assertion only, not encrypted');
    expect(remediation).toContain('the Assertion Consumer Service (ACS) URL configured in the identity provider exactly matches the ACS URL of your IAM Identity Center instance');
    expect(remediation).toMatch(/Only if attributes for access control is enabled: at most 50 attributes, no multi-valued attribute, no two attributes with the same name, no structured XML as a value, and a Name format that SAML specifies, not the generic format\.$/);
  });

  // The same record with the errorMessage seen in real logs (issue 13; AWS publishes no message for this case).
  it('names the NameID policy when the error message does ("Response contains invalid name id policy format")', () => {
    const r = { ...externalIdpFailure(g, T, 'us-east-1'), errorMessage: 'Response contains invalid name id policy format' };
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
    expect(findings[0]!.message).toBe(
      'Sign-in with the external identity provider failed: Response contains invalid name id policy format. The error names the NameID policy: ' +
      'the NameID format the identity provider sends must be email address (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress).',
    );
    expect(findings[0]!.remediation).toMatch(/^Set the NameID format of the IAM Identity Center application at your identity provider to email address \(urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress\)\. If it is email address already, go through the guide's whole list: /);
    expect(findings[0]!.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue8');
    expect(findings[0]!.details).toMatchObject({ cause: 'NameID format', errorMessage: 'Response contains invalid name id policy format' });
  });
});

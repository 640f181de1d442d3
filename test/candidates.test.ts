import { describe, expect, it } from 'vitest';
import { candidateFields, candidateTest } from '../src/candidates.js';
import { MatchRunner } from '../src/match/runner.js';
import { MATCHER_IDS } from '../src/match/registry.js';
import { IdentityDirectory } from '../src/identity-store.js';

const fields = (eventSource?: string, eventName?: string, errorCode?: string, errorMessage?: string) => ({ eventSource, eventName, errorCode, errorMessage });

describe('candidate conditions', () => {
  const test = candidateTest([
    { eventSources: ['sso-directory.amazonaws.com'], eventNames: ['UpdatePassword'], failed: true },
    { eventSources: ['iam.amazonaws.com'], failed: true },
    { eventSources: ['sso.amazonaws.com'] },
  ]);

  it('take a record when one condition holds whole: source, name if named, failure if asked', () => {
    expect(test(fields('sso-directory.amazonaws.com', 'UpdatePassword', 'InternalFailure'))).toBe(true);
    expect(test(fields('sso-directory.amazonaws.com', 'UpdatePassword', undefined, 'An unknown error occurred'))).toBe(true);
    expect(test(fields('iam.amazonaws.com', 'DeleteRole', 'UnmodifiableEntity'))).toBe(true);
    expect(test(fields('sso.amazonaws.com', 'ListInstances'))).toBe(true);
  });

  it('leave it when any part fails', () => {
    expect(test(fields('sso-directory.amazonaws.com', 'UpdatePassword'))).toBe(false); // did not fail
    expect(test(fields('sso-directory.amazonaws.com', 'UpdatePassword', ''))).toBe(false); // an empty code is no failure
    expect(test(fields('sso-directory.amazonaws.com', 'ChangePassword', 'InternalFailure'))).toBe(false);
    expect(test(fields('iam.amazonaws.com', 'DeleteRole'))).toBe(false);
    expect(test(fields('ec2.amazonaws.com', 'UpdatePassword', 'InternalFailure'))).toBe(false);
    expect(test(fields(undefined, 'UpdatePassword', 'InternalFailure'))).toBe(false);
    expect(test(fields('SSO.amazonaws.com', 'ListInstances'))).toBe(false); // exact, as the matchers compare
  });

  it('read non-string fields of a parsed record as absent', () => {
    expect(candidateFields({ eventSource: 'iam.amazonaws.com', eventName: 7, errorCode: null, errorMessage: 'x', requestParameters: { roleName: 'r' } }))
      .toEqual({ ...fields('iam.amazonaws.com', undefined, undefined, 'x'), requestText: '{"roleName":"r"}' });
  });

  it('test the request text where it is given, and take the record without it where it is not (the fast path)', () => {
    const roles = candidateTest([{ eventSources: ['iam.amazonaws.com'], failed: true, requestContains: 'AWSReservedSSO_' }]);
    const failedIam = fields('iam.amazonaws.com', 'DeleteRolePolicy', 'UnmodifiableEntity');
    expect(roles(failedIam)).toBe(true);
    expect(roles({ ...failedIam, requestText: '{"roleName":"AWSReservedSSO_Admin_0123"}' })).toBe(true);
    expect(roles({ ...failedIam, requestText: '{"roleName":"app-role"}' })).toBe(false);
  });

  it('of every matcher leave out the bulk of traffic (a busy account is mostly EC2, S3, STS, KMS)', () => {
    const runner = new MatchRunner(MATCHER_IDS, { principals: ['jdoe'], recreateWindowMs: 1, directory: new IdentityDirectory() }, () => {});
    const wanted = candidateTest(runner.candidates());
    for (const source of ['ec2.amazonaws.com', 's3.amazonaws.com', 'sts.amazonaws.com', 'kms.amazonaws.com']) {
      expect(wanted(fields(source, 'AssumeRole', 'AccessDenied')), source).toBe(false);
    }
    expect(wanted(fields('iam.amazonaws.com', 'GetRole'))).toBe(false);
    expect(wanted(fields('signin.amazonaws.com', 'ConsoleLogin'))).toBe(false);
  });
});

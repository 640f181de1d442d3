import { describe, expect, it } from 'vitest';
import { nameHints } from '../../src/matchers/password-reset-failure.js';
import { Gen, ORG_ACCOUNT, updatePasswordFailure, updatePasswordFailureFor, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(1);
const T = Date.UTC(2024, 9, 10, 13);
const M = 'password-reset-failure';

describe(M, () => {
  it('fires as an error on InternalFailure, with the event and the account', () => {
    const r = updatePasswordFailure(g, T, 'us-east-1');
    const { findings } = run(M, [r]);
    expect(findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
    expect(findings[0]).toMatchObject({ account: ORG_ACCOUNT, region: 'us-east-1', eventName: 'UpdatePassword', time: '2024-10-10T13:00:00.000Z' });
    expect(findings[0]!.docUrl).toBe('https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html#issue5');
  });

  it("matches the guide's message by its start (the doc's snippet ends in a typographic quote)", () => {
    const r = { ...updatePasswordFailure(g, T, 'us-east-1'), errorCode: 'InternalError', errorMessage: 'An unknown error occurred\u201c' };
    expect(run(M, [r]).findings.map(brief)).toEqual([{ matcher: M, severity: 'error', principal: null, eventIds: [id(r)] }]);
  });

  it('names the user through the listing and flags a long name or special characters', () => {
    const long = 'a'.repeat(70) + '@example.com';
    const r1 = updatePasswordFailureFor(g, T, 'us-east-1', 'u-1');
    const r2 = updatePasswordFailureFor(g, T + 1000, 'us-east-1', 'u-2');
    const { findings } = run(M, [r2, r1], { listing: [{ id: 'u-1', name: long, kind: 'USER' }, { id: 'u-2', name: 'o\u2019brien@example.com', kind: 'USER' }] });
    expect(findings.map(brief)).toEqual([
      { matcher: M, severity: 'error', principal: `${long} (u-1)`, eventIds: [id(r1)] },
      { matcher: M, severity: 'error', principal: 'o\u2019brien@example.com (u-2)', eventIds: [id(r2)] },
    ]);
    expect(findings[0]!.details.nameHints).toEqual(['the user name is long (82 characters)']);
    expect(findings[1]!.details.nameHints).toEqual(['the user name has characters outside letters, digits and ._@+- ("\u2019")']);
  });

  it('reports other error codes as warnings', () => {
    const r = updatePasswordFailureFor(g, T, 'us-east-1', 'u-3', 'ValidationException', 'Password does not meet the policy');
    expect(run(M, [r]).findings.map(brief)).toEqual([{ matcher: M, severity: 'warning', principal: 'u-3', eventIds: [id(r)] }]);
  });

  it('does not fire on a successful reset, other sources, or the decoys (IAM ChangePassword, root PasswordUpdated)', () => {
    const ok: Rec = { ...updatePasswordFailure(g, T, 'us-east-1') };
    delete ok.errorCode;
    delete ok.errorMessage;
    const iam = { ...updatePasswordFailure(g, T, 'us-east-1'), eventSource: 'iam.amazonaws.com', eventName: 'ChangePassword', errorCode: 'PasswordPolicyViolation' };
    const root = { ...updatePasswordFailure(g, T, 'us-east-1'), eventSource: 'signin.amazonaws.com', eventName: 'PasswordUpdated', errorCode: 'InternalFailure' };
    const loginProfile = { ...updatePasswordFailure(g, T, 'us-east-1'), eventSource: 'iam.amazonaws.com', eventName: 'UpdateLoginProfile' };
    const otherSource = { ...updatePasswordFailure(g, T, 'us-east-1'), eventSource: 'identitystore.amazonaws.com' };
    expect(run(M, [ok, iam, root, loginProfile, otherSource]).findings).toEqual([]);
  });

  it('name hints: plain names pass', () => {
    expect(nameHints('surname.givenName@example.com')).toEqual([]);
    expect(nameHints('x'.repeat(64))).toEqual([]);
    expect(nameHints('x'.repeat(65))).toEqual(['the user name is long (65 characters)']);
  });
});

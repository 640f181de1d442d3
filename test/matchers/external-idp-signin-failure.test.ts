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
});

import { describe, expect, it } from 'vitest';
import { createAccountAssignment, Gen, MEMBER_ACCOUNTS, noise, ORG_ACCOUNT, scimCreateUser, scimDeleteUser, scimPatchUser, type Rec } from '../support/cloudtrail.js';
import { brief, id, run } from '../support/match.js';

const g = new Gen(5);
const T = Date.UTC(2024, 9, 10, 13);
const MIN = 60_000;
const M = 'scim-principal-activity';
const OLD = '34887428-4081-7042-c3c6-928d413009e7';
const NEW = 'c4488478-a0e1-700e-3d75-96c6bb641596';
const OTHER = 'aaaaaaaa-a0e1-700e-3d75-96c6bb641596';

function story(): Rec[] {
  return [
    scimCreateUser(g, T, 'us-east-1', OLD),
    createAccountAssignment(g, T + MIN, 'us-east-1', OLD, MEMBER_ACCOUNTS[0]!, 'ps-1'),
    scimPatchUser(g, T + 2 * MIN, 'us-east-1', OTHER),
    scimDeleteUser(g, T + 3 * MIN, 'us-east-1', OLD),
    scimCreateUser(g, T + 4 * MIN, 'us-east-1', NEW),
    noise(g, T + 5 * MIN, ORG_ACCOUNT, 'us-east-1'),
  ];
}

describe(M, () => {
  it('lists every event that references an ID, in time order', () => {
    const records = story();
    const { findings, notes } = run(M, [...records].reverse(), { principals: [OLD] });
    expect(findings.map(brief)).toEqual([0, 1, 3].map((i) => ({ matcher: M, severity: 'info', principal: OLD, eventIds: [id(records[i]!)] })));
    expect(findings.map((f) => f.eventName)).toEqual(['CreateUser', 'CreateAccountAssignment', 'DeleteUser']);
    expect(notes).toEqual([]);
  });

  it('follows a name through the listings to both the old and the new ID', () => {
    const records = story();
    const listing = [{ id: OLD, name: 'jdoe@example.com', kind: 'USER' as const }, { id: NEW, name: 'jdoe@example.com', kind: 'USER' as const }];
    const { findings } = run(M, records, { principals: ['JDoe@example.com'], listing });
    expect(findings.map((f) => f.eventIds[0])).toEqual([0, 1, 3, 4].map((i) => id(records[i]!)));
    expect(findings[0]!.principal).toBe(`JDoe@example.com (${OLD}, ${NEW})`);
  });

  it('learns an ID from a create that shows the name, even when the create comes last', () => {
    const records = story();
    const named = structuredClone(records[0]!);
    ((named.requestParameters as Rec).httpBody as Rec).userName = 'jdoe';
    const input = [records[3]!, records[1]!, named];
    const { findings, notes } = run(M, input, { principals: ['jdoe'] });
    expect(findings.map((f) => [f.eventIds[0], f.details.matchedBy])).toEqual([
      [id(named), 'visible name'],
      [id(records[1]!), `ID ${OLD} (named in its create event)`],
      [id(records[3]!), `ID ${OLD} (named in its create event)`],
    ]);
    expect(notes).toEqual([]);
  });

  it('says plainly when a name cannot be resolved', () => {
    const { findings, notes } = run(M, story(), { principals: ['jdoe@example.com'] });
    expect(findings).toEqual([]);
    expect(notes).toEqual([
      '--principal jdoe@example.com: no event shows this name, and no --identity-store listing maps it to an ID. SCIM events hide user and group names, so give the ID, or pass the output of aws identitystore list-users / list-groups with --identity-store.',
    ]);
  });

  it('does nothing without --principal', () => {
    expect(run(M, story())).toEqual({ findings: [], notes: [] });
  });
});

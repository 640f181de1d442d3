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

const withName = (r: Rec, name: string): Rec => {
  const c = structuredClone(r);
  ((c.requestParameters as Rec).httpBody as Rec).userName = name;
  return c;
};

const how = (f: { details: Record<string, unknown> }) => (f.details.matches as { matchedBy: string }[]).map((m) => m.matchedBy).join(' | ');
const BY_TIME = `${OLD} was deleted and ${NEW} created in its place, paired only by time (created 1 minute after the delete, within --recreate-window)`;

describe(M, () => {
  it('lists every event that references an ID, and follows it through a re-creation paired by time, saying so', () => {
    const records = story();
    const { findings, notes } = run(M, [...records].reverse(), { principals: [OLD] });
    expect(findings.map(brief)).toEqual([0, 1, 3, 4].map((i) => ({ matcher: M, severity: 'info', principal: `${OLD}, ${NEW}`, eventIds: [id(records[i]!)] })));
    expect(findings.map((f) => f.eventName)).toEqual(['CreateUser', 'CreateAccountAssignment', 'DeleteUser', 'CreateUser']);
    expect(how(findings[3]!)).toMatch(new RegExp(`^ID ${NEW} \\(the new ID: ${BY_TIME.replace(/[()]/g, '\\$&')}; the logs hide both names, so this is a guess: .*; confidence low\\)$`));
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^--principal ${OLD}: followed both ${OLD} \\(deleted 2024-10-10T13:03:00Z\\) and ${NEW} \\(created 2024-10-10T13:04:00Z\\): paired only by time`))]);
  });

  it('follows a name through the listings to both the old and the new ID; an ID in capitals is the same ID', () => {
    const records = story();
    const listing = [{ id: OLD, name: 'jdoe@example.com', kind: 'USER' as const }, { id: NEW, name: 'jdoe@example.com', kind: 'USER' as const }];
    const { findings } = run(M, records, { principals: ['JDoe@example.com'], listing });
    expect(findings.map((f) => f.eventIds[0])).toEqual([0, 1, 3, 4].map((i) => id(records[i]!)));
    expect(findings[0]!.principal).toBe(`JDoe@example.com (${OLD}, ${NEW})`);
    const upper = run(M, records, { principals: [NEW.toUpperCase()], listing });
    expect(upper.findings.map((f) => f.eventIds[0])).toEqual([0, 1, 3, 4].map((i) => id(records[i]!)));
    expect(upper.findings[0]!.principal).toBe(`jdoe@example.com (${OLD}, ${NEW})`);
  });

  it('resolves a user\'s display name through the listing, as it does a group\'s', () => {
    const records = story();
    const listing = [{ id: NEW, name: 'alice@example.com', kind: 'USER' as const, aliases: ['Alice Martin'] }];
    const { findings } = run(M, records, { principals: ['alice martin'], listing });
    expect(findings.map((f) => f.eventIds[0])).toEqual([0, 1, 3, 4].map((i) => id(records[i]!)));
    expect(findings[0]!.principal).toBe(`alice martin (${OLD}, ${NEW})`);
  });

  it('learns an ID from a create that shows the name, even when the create comes last', () => {
    const records = story();
    const named = withName(records[0]!, 'jdoe');
    const input = [records[3]!, records[1]!, named];
    const { findings, notes } = run(M, input, { principals: ['jdoe'] });
    expect(findings.map((f) => [f.eventIds[0], how(f)])).toEqual([
      [id(named), 'visible name'],
      [id(records[1]!), `ID ${OLD} (named in its create event)`],
      [id(records[3]!), `ID ${OLD} (named in its create event)`],
    ]);
    expect(notes).toEqual([]);
  });

  it('gives the same findings and labels in any order: a user deleted and re-created with visible names (issue 11)', () => {
    const records = [
      withName(scimCreateUser(g, T, 'us-east-1', OLD), 'jdoe'),
      createAccountAssignment(g, T + MIN, 'us-east-1', OLD, MEMBER_ACCOUNTS[0]!, 'ps-1'),
      scimDeleteUser(g, T + 2 * MIN, 'us-east-1', OLD),
      withName(scimCreateUser(g, T + 3 * MIN, 'us-east-1', NEW), 'jdoe'),
      createAccountAssignment(g, T + 4 * MIN, 'us-east-1', NEW, MEMBER_ACCOUNTS[0]!, 'ps-1'),
    ];
    const orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 1, 0, 3], [1, 2, 4, 3, 0]];
    const outputs = orders.map((o) => run(M, o.map((i) => records[i]!), { principals: ['jdoe'] }));
    expect(outputs[0]!.findings.map(brief)).toEqual(records.map((r) => ({ matcher: M, severity: 'info', principal: `jdoe (${OLD}, ${NEW})`, eventIds: [id(r)] })));
    for (const out of outputs.slice(1)) expect(out).toEqual(outputs[0]);
  });

  it('one finding per event when several --principal values reference it', () => {
    const records = story();
    const { findings } = run(M, records, { principals: [OLD, 'jdoe'], listing: [{ id: OLD, name: 'jdoe', kind: 'USER' }] });
    expect(findings.map((f) => f.eventIds[0])).toEqual([0, 1, 3, 4].map((i) => id(records[i]!)));
    expect(findings[0]!.principal).toBe(`jdoe (${OLD}, ${NEW}); jdoe (${OLD}, ${NEW})`);
    expect((findings[0]!.details.matches as unknown[]).length).toBe(2);
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

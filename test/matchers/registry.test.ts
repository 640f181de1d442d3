import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCandidates } from '../../src/candidates.js';
import { listMatchers } from '../../src/cli.js';
import { MATCHER_IDS, MATCHERS } from '../../src/match/registry.js';
import { GUIDE } from '../../src/match/types.js';

const SRC = join(import.meta.dirname, '../../src/matchers');
// Section anchors of the live guide (FIELDS.md section 8, and #issue13 / #issue15, which the live page has too:
// read in its markdown copy, c2hans/aws-docs@63cf41d).
const ANCHORS = new Set(['#issue1', '#issue2', '#duplicate-user-group-idp', '#issue3', '#issue4', '#issue5', '#issue6', '#issue7', '#issue8', '#issue9', '#issue12', '#issue13', '#issue14', '#issue15', '#issue16']);

describe('the matcher registry', () => {
  it('lists the public ids, sorted, each under its own id', () => {
    expect(MATCHER_IDS).toEqual([
      'external-idp-signin-failure', 'orphaned-assignment', 'password-reset-failure', 'protected-role-modification',
      'scim-principal-activity', 'scim-recreated-principal', 'scim-sync-error', 'signin-failure', 'stale-assignment',
    ]);
    for (const id of MATCHER_IDS) expect(MATCHERS[id]!.meta.id).toBe(id);
  });

  it('lists every matcher file, and each matcher has a doc link to a live guide section, a remediation and tests', () => {
    // every file in src/matchers is one matcher, registered under its file name; the helpers live in src/match
    const files = readdirSync(SRC);
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(MATCHER_IDS);
    for (const id of MATCHER_IDS) {
      const { meta } = MATCHERS[id]!;
      expect(meta.docUrl.startsWith(`${GUIDE}#`), id).toBe(true);
      expect(ANCHORS.has(meta.docUrl.slice(GUIDE.length)), id).toBe(true);
      expect(meta.remediation.length, id).toBeGreaterThan(40);
      expect(meta.title.length, id).toBeGreaterThan(10);
      expect(['documented', 'partly documented', 'inferred'], id).toContain(meta.shape.evidence);
      expect(meta.shape.note.length, id).toBeGreaterThan(40);
      expect(meta.falsePositives.length, id).toBeGreaterThan(40);
      expect(existsSync(join(import.meta.dirname, `${id}.test.ts`)), `${id}.test.ts`).toBe(true);
    }
  });

  it('sso-logs matchers shows each ID whole, what it looks at (made from its candidates), its record shape and false positives', async () => {
    for (const width of [80, 200]) {
      const text = await listMatchers('table', width);
      const lines = text.split('\n');
      for (const id of MATCHER_IDS) {
        const { meta, candidates } = MATCHERS[id]!;
        expect(lines, id).toContain(`${id} (${meta.severity})`);
        expect(lines, id).toContain(`  guide: ${meta.docUrl}`);
        expect(text.replace(/\s+/g, ' '), id).toContain(`looks at ${describeCandidates(candidates)}`);
        expect(text.replace(/\s+/g, ' '), id).toContain(`record shape ${meta.shape.evidence}: ${meta.shape.note}`);
        expect(text.replace(/\s+/g, ' '), id).toContain(`false positives ${meta.falsePositives}`);
      }
      for (const line of lines.filter((l) => !l.startsWith('  guide: '))) expect(line.length).toBeLessThanOrEqual(Math.min(width, 120));
    }
    expect(describeCandidates(MATCHERS['protected-role-modification']!.candidates)).toBe('iam: any event that failed whose request mentions AWSReservedSSO_');
    expect(describeCandidates(MATCHERS['scim-principal-activity']!.candidates)).toBe('identitystore-scim, identitystore, sso-directory, sso: any event');
    const json = JSON.parse(await listMatchers('json'));
    expect(json.map((m: { id: string }) => m.id)).toEqual(MATCHER_IDS);
    expect(json[0]).toMatchObject({ id: MATCHER_IDS[0], looksAt: describeCandidates(MATCHERS[MATCHER_IDS[0]!]!.candidates), shape: { evidence: expect.any(String) } });
  });
});

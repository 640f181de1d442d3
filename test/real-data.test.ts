/**
 * The built CLI on the real public CloudTrail logs in ../shared/real-cloudtrail (SOURCES.md), when they are
 * there: a clone without them skips this file; the project's CI has them beside the clone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, '../shared/real-cloudtrail/data');
// SOURCES.md: the one file that is not JSON as published (a JavaScript object literal with unquoted keys).
const NOT_JSON = "sso-logs: suzaku-sample-data/traildiscover.cloud/aws/cloudtrail/CreateApiKey.json: malformed JSON: unexpected character 'a' at character 7 (record 1, byte 4) [JSON_MALFORMED]";
const CREATE_GROUP = '0c99658c-a0e5-4f92-863a-ce0b78db316e';
const ADD_MEMBER = '26e0a9c8-7463-4187-a03c-e839af4766fe';
const CREATE_USER = '8d1d432b-6647-431b-88a7-2da2c2042516';
const MEMBER = '01cb45c0-c071-70a1-0a3a-e417bf7fd8ff';

function scan(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sso-logs.js'), 'scan', '.', '--format', 'json', '--no-progress', ...args], { cwd: DATA, encoding: 'utf8' });
  const out = JSON.parse(r.stdout);
  return { code: r.status, stderr: r.stderr.split('\n').filter(Boolean), summary: out.summary, findings: out.findings as { matcher: string; principal: string; eventIds: string[] }[] };
}

describe.skipIf(!existsSync(DATA))('real public CloudTrail logs', () => {
  it('every record is read, the one broken file is the only problem, and no matcher reports an event twice', () => {
    const out = scan();
    expect(out.summary.records).toBe(34_012);
    expect(out.stderr).toEqual([NOT_JSON]);
    expect(out.code).toBe(2);
    const seen = out.findings.flatMap((f) => f.eventIds.map((id) => `${f.matcher} ${id}`));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('--principal secure: the group\'s create and the member added to it, once each', () => {
    const out = scan('--principal', 'secure');
    expect(out.findings.map((f) => [f.matcher, f.principal, f.eventIds])).toEqual([
      ['scim-principal-activity', 'secure (114bd550-8061-702c-4bb4-2a771ff86cfb)', [CREATE_GROUP]],
      ['scim-principal-activity', 'secure (114bd550-8061-702c-4bb4-2a771ff86cfb)', [ADD_MEMBER]],
    ]);
  });

  it('--principal secure and the member\'s ID: the AddMemberToGroup read before the CreateGroup is kept, once', () => {
    const out = scan('--principal', 'secure', '--principal', MEMBER.toUpperCase());
    expect(out.findings.map((f) => [f.principal, f.eventIds])).toEqual([
      ['secure (114bd550-8061-702c-4bb4-2a771ff86cfb)', [CREATE_GROUP]],
      [`secure (114bd550-8061-702c-4bb4-2a771ff86cfb); ${MEMBER.toUpperCase()}`, [ADD_MEMBER]],
      [MEMBER.toUpperCase(), [CREATE_USER]],
    ]);
  });
});

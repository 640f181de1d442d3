/**
 * docs/assignments.md's collection loop works as written: `aws` is a stand-in that answers as an organization of two
 * accounts would (and checks that each call names the instance), and sso-logs finds the orphaned assignments in
 * what the loop wrote. Also --assignments as a command-line option: pages in one file, a bad file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_STORE, INSTANCE_ARN, MEMBER_ACCOUNTS } from './support/cloudtrail.js';
import { describePermissionSet, listAccountAssignments, psArn, SAMPLE_PERMISSION_SETS, strangerId } from './support/assignment-samples.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const SAMPLES = join(ROOT, 'samples');
const [A, B] = MEMBER_ACCOUNTS as [string, string];
const [ENGINEER, READ_ONLY] = SAMPLE_PERMISSION_SETS as [{ id: string; name: string }, { id: string; name: string }];

const usersNow = JSON.parse(readFileSync(join(SAMPLES, 'identity-store/list-users.json'), 'utf8')) as { Users: { UserId: string; UserName: string }[] };
const usersBefore = JSON.parse(readFileSync(join(SAMPLES, 'identity-store/list-users-2024-10-01.json'), 'utf8')) as { Users: { UserId: string; UserName: string }[] };
const OLD_JDOE = usersBefore.Users[0]!.UserId;
const NEW_JDOE = usersNow.Users[0]!.UserId;
const LONG = usersNow.Users[1]!.UserId;
const GROUP = '0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5';

// --query ... --output text prints the values tab-separated on one line, as the AWS CLI does.
const FAKE_AWS = (data: string) => `#!/usr/bin/env bash
set -euo pipefail
data=${JSON.stringify(data)}
echo "$*" >> "$data/calls.log"
arg() { local name="$1"; shift; while [ $# -gt 0 ]; do if [ "$1" = "$name" ]; then echo "$2"; return; fi; shift; done; }
need_instance() { [ "$(arg --instance-arn "$@")" = ${JSON.stringify(INSTANCE_ARN)} ] || { echo "fake aws: no --instance-arn: $*" >&2; exit 9; }; }
case "$1 $2" in
  "sso-admin list-instances")
    case "$*" in *IdentityStoreId*) echo ${JSON.stringify(IDENTITY_STORE)} ;; *) echo ${JSON.stringify(INSTANCE_ARN)} ;; esac ;;
  "organizations list-accounts") printf '%s\\t%s\\n' ${A} ${B} ;;
  "sso-admin list-permission-sets-provisioned-to-account") need_instance "$@"; cat "$data/provisioned-$(arg --account-id "$@").txt" ;;
  "sso-admin list-account-assignments") need_instance "$@"; ps="$(arg --permission-set-arn "$@")"; cat "$data/$(arg --account-id "$@")-\${ps##*/}.json" ;;
  "sso-admin list-permission-sets") need_instance "$@"; printf '%s\\t%s\\n' ${JSON.stringify(psArn(ENGINEER.id))} ${JSON.stringify(psArn(READ_ONLY.id))} ;;
  "sso-admin describe-permission-set") need_instance "$@"; ps="$(arg --permission-set-arn "$@")"; cat "$data/\${ps##*/}.json" ;;
  "identitystore list-users") [ "$(arg --identity-store-id "$@")" = ${JSON.stringify(IDENTITY_STORE)} ]; cat "$data/users.json" ;;
  "identitystore list-groups") [ "$(arg --identity-store-id "$@")" = ${JSON.stringify(IDENTITY_STORE)} ]; cat "$data/groups.json" ;;
  *) echo "fake aws: $*" >&2; exit 9 ;;
esac
`;

type Finding = { matcher: string; severity: string; principal: string; account: string | null; message: string };

function scan(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', '--quiet', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, findings: r.stdout ? (JSON.parse(r.stdout).findings as Finding[]).filter((f) => f.matcher === 'orphaned-assignment') : [] };
}

describe('docs/assignments.md', () => {
  it('the collection loop runs as written, and sso-logs finds the orphaned assignments in what it wrote', () => {
    const doc = readFileSync(join(ROOT, 'docs/assignments.md'), 'utf8');
    const block = /## Collecting the listings with the AWS CLI[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(block).toContain('aws organizations list-accounts');
    const dir = tempDir();
    const data = join(dir, 'data');
    const bin = join(dir, 'bin');
    const work = join(dir, 'work');
    for (const d of [data, bin, work]) mkdirSync(d);
    // Account A: DataEngineer still holds jdoe's deleted ID and a group; ReadOnly a current user. Account B: an ID nobody knows.
    writeFileSync(join(data, `provisioned-${A}.txt`), `${psArn(ENGINEER.id)}\t${psArn(READ_ONLY.id)}\n`);
    writeFileSync(join(data, `provisioned-${B}.txt`), `${psArn(READ_ONLY.id)}\n`);
    const pretty = (v: unknown) => `${JSON.stringify(v, null, 4)}\n`;
    writeFileSync(join(data, `${A}-${ENGINEER.id}.json`), pretty(listAccountAssignments([{ account: A, ps: ENGINEER.id, type: 'USER', id: OLD_JDOE }, { account: A, ps: ENGINEER.id, type: 'GROUP', id: GROUP }])));
    writeFileSync(join(data, `${A}-${READ_ONLY.id}.json`), pretty(listAccountAssignments([{ account: A, ps: READ_ONLY.id, type: 'USER', id: LONG }])));
    writeFileSync(join(data, `${B}-${READ_ONLY.id}.json`), pretty(listAccountAssignments([{ account: B, ps: READ_ONLY.id, type: 'USER', id: strangerId() }])));
    for (const p of SAMPLE_PERMISSION_SETS) writeFileSync(join(data, `${p.id}.json`), pretty(describePermissionSet(p.id, p.name)));
    writeFileSync(join(data, 'users.json'), readFileSync(join(SAMPLES, 'identity-store/list-users.json')));
    writeFileSync(join(data, 'groups.json'), pretty({ Groups: [{ GroupId: GROUP, DisplayName: 'data-team', IdentityStoreId: IDENTITY_STORE }] }));
    writeFileSync(join(bin, 'aws'), FAKE_AWS(data));
    writeFileSync(join(bin, 'sso-logs'), `#!/usr/bin/env bash\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(bin, 'aws'), 0o755);
    chmodSync(join(bin, 'sso-logs'), 0o755);
    cpSync(join(SAMPLES, 's3'), join(work, 'logs'), { recursive: true }); // the trail, with jdoe's SCIM delete and re-creation

    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${block}`], { cwd: work, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' } });
    expect(r.stderr).not.toMatch(/fake aws|problem/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('orphaned-assignment');
    // one list-account-assignments per account and permission set provisioned to it
    const calls = readFileSync(join(data, 'calls.log'), 'utf8').split('\n').filter((l) => l.startsWith('sso-admin list-account-assignments'));
    expect(calls).toHaveLength(3);

    const { code, findings } = scan(['logs', '--identity-store', 'users.json', '--identity-store', 'groups.json', '--assignments', 'assignments.json', '--assignments', 'permission-sets.json'], work);
    expect(code).toBe(0);
    expect(findings.map((f) => [f.severity, f.principal, f.account])).toEqual([
      ['warning', strangerId(), B],
      ['error', `jdoe@example.com (${OLD_JDOE})`, A],
    ]);
    expect(findings[1]!.message).toContain(`assigned to account ${A} with the permission set DataEngineer`);
    expect(findings[1]!.message).toContain(`has the new ID ${NEW_JDOE} (created 2024-10-10T13:10:20Z)`);
    expect(findings[1]!.message).toContain(`Coverage: the --assignments listings hold 4 account assignments in 2 accounts (${A}, ${B}) over 2 permission sets (DataEngineer, ReadOnly)`);
  });
});

describe('--assignments', () => {
  it('reads pages one after the other in a file, and a file that is not sso-admin output is a usage error', () => {
    const dir = tempDir();
    const pages = join(dir, 'pages.json');
    writeFileSync(pages, [
      listAccountAssignments([{ account: A, ps: ENGINEER.id, type: 'USER', id: OLD_JDOE }], 'next-page-token'),
      listAccountAssignments([{ account: A, ps: ENGINEER.id, type: 'USER', id: OLD_JDOE.toUpperCase() }, { account: A, ps: ENGINEER.id, type: 'USER', id: LONG }]),
    ].map((p) => JSON.stringify(p)).join('\n'));
    const listings = ['--identity-store', join(SAMPLES, 'identity-store/list-users.json')];
    // no logs of jdoe here and only the current listing: an orphan sso-logs cannot explain, counted once
    const { code, findings } = scan([join(SAMPLES, 'jsonl'), ...listings, '--assignments', pages]);
    expect(code).toBe(0);
    expect(findings.map((f) => [f.severity, f.principal])).toEqual([['warning', OLD_JDOE]]);
    expect(findings[0]!.message).toContain(`Coverage: the --assignments listings hold 2 account assignments in 1 account (${A}) over 1 permission set (${ENGINEER.id})`);

    writeFileSync(join(dir, 'users.json'), readFileSync(join(SAMPLES, 'identity-store/list-users.json')));
    const bad = spawnSync(process.execPath, [BIN, 'scan', join(SAMPLES, 'jsonl'), '--assignments', join(dir, 'users.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr).toContain(`--assignments ${join(dir, 'users.json')}: JSON, but document 1 is not an sso-admin output.`);
    expect(bad.stderr).toContain('[BAD_LISTING]');
    const broken = spawnSync(process.execPath, [BIN, 'scan', join(SAMPLES, 'jsonl'), '--assignments', join(SAMPLES, 'jsonl/records.jsonl')], { encoding: 'utf8' });
    expect(broken.status).toBe(3);
  });

  it('without an identity-store listing, no finding claims an orphan: notes say what was not checked', () => {
    const r = spawnSync(process.execPath, [BIN, 'scan', join(SAMPLES, 'jsonl'), '--format', 'json', '--assignments', join(SAMPLES, 'sso-admin/list-account-assignments.json')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: Finding[]; summary: { notes: { message: string }[] } };
    expect(out.findings.filter((f) => f.matcher === 'orphaned-assignment')).toEqual([]);
    const notes = out.summary.notes.map((n) => n.message);
    expect(notes).toContain('3 assignments to users not checked: no aws identitystore list-users output was given with --identity-store, so whether those users still exist is not known (no finding claims they do not)');
    expect(notes).toContain('1 assignment to groups not checked: no aws identitystore list-groups output was given with --identity-store, so whether those groups still exist is not known (no finding claims they do not)');
    expect(r.stderr).toContain('note: the --assignments listings hold 4 account assignments in 1 account (444455556666) over 2 permission sets');
  });
});

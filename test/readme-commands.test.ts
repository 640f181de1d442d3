/**
 * The README's first command block works as written, each line on what the lines before it produce: `aws` is a
 * stand-in that serves samples/ as the bucket, the trail's event history and the identity store would.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLES = join(ROOT, 'samples');

// s3 sync/cp read the sample bucket; lookup-events and list-users print the sample exports.
const FAKE_AWS = `#!/usr/bin/env bash
set -euo pipefail
bucket=${JSON.stringify(join(SAMPLES, 's3'))}
case "$1 $2" in
  "s3 sync") src="\${3#s3://my-trail-bucket/}"; mkdir -p "$4"; cp -R "$bucket/$src/." "$4/" ;;
  "s3 cp") src="\${3#s3://my-trail-bucket/}"; [ "$4" = - ] && cat "$bucket/$src" ;;
  "cloudtrail lookup-events") cat ${JSON.stringify(join(SAMPLES, 'lookup-events/update-password.json'))} ;;
  "identitystore list-users") cat ${JSON.stringify(join(SAMPLES, 'identity-store/list-users.json'))} ;;
  *) echo "fake aws: $*" >&2; exit 9 ;;
esac
`;

describe('README', () => {
  it('the PATH step of the set-up puts a working sso-logs on the PATH (npm install --global ., into a temporary prefix)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/npm link {7}# or: npm install --global \.\n/);
    const prefix = tempDir();
    // `npm link` is `npm install --global .` of the clone; a prefix of its own keeps the machine's untouched
    const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', ROOT], { encoding: 'utf8', timeout: 120_000 });
    expect(install.status, install.stderr).toBe(0);
    const run = spawnSync('sso-logs', ['scan', 'samples', '--format', 'json', '--quiet'], {
      cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PATH: `${join(prefix, 'bin')}:${join(process.execPath, '..')}:/usr/bin:/bin` },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary.records).toBeGreaterThan(100);
  }, 150_000);

  it('the scan examples run as written, each on what the ones before it produce, and each reads records', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /Inputs are files[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const lines = block.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const dir = tempDir();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aws'), FAKE_AWS);
    writeFileSync(join(bin, 'sso-logs'), `#!/usr/bin/env bash\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/sso-logs.js'))} "$@"\n`);
    chmodSync(join(bin, 'aws'), 0o755);
    chmodSync(join(bin, 'sso-logs'), 0o755);
    const work = join(dir, 'work');
    mkdirSync(work);
    for (const line of lines) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; ${line}`], { cwd: work, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' } });
      expect(r.stderr, line).not.toMatch(/problem|empty input|no CloudTrail record|Unknown argument|fake aws/);
      expect([0, 1], `${line}\n${r.stderr}`).toContain(r.status);
      if (line.includes('sso-logs scan')) expect(r.stdout, line).toMatch(/^Records: +[1-9][\d,]* read/m);
    }
  });
});

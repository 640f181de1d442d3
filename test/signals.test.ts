/**
 * Pipes and signals: `sso-logs scan ... | head -1` ends at once and quietly, even on input that never ends;
 * Ctrl-C stops promptly and leaves no partial --output file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
// JSON Lines that never end, a failed password reset every tenth record; quiet when its reader goes away.
const ENDLESS = `node -e '
process.stdout.on("error", () => process.exit(0));
const rec = (i) => JSON.stringify({ eventVersion: "1.08", eventTime: "2024-10-10T13:00:00Z", eventSource: i % 10 ? "ec2.amazonaws.com" : "sso-directory.amazonaws.com",
  eventName: i % 10 ? "DescribeInstances" : "UpdatePassword", errorCode: i % 10 ? undefined : "InternalFailure", eventID: "e" + i, recipientAccountId: "111122223333", awsRegion: "us-east-1" });
let i = 0;
const more = () => { let s = ""; for (let k = 0; k < 1000; k++) s += rec(i++) + "\\n"; if (process.stdout.write(s)) setImmediate(more); else process.stdout.once("drain", more); };
more();'`;

describe('pipes', () => {
  it('scan | head -1 ends at once and quietly, though the input never ends', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${ENDLESS} | node ${BIN} scan --format ndjson | head -1; echo "status \${PIPESTATUS[1]}"`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined(); // not killed by the timeout
    const [first, status] = r.stdout.trim().split('\n');
    expect(JSON.parse(first!)).toMatchObject({ matcher: 'password-reset-failure', eventIds: ['e0'] });
    expect(status).toBe('status 0');
    expect(r.stderr).toBe('');
  });

  it('scan | head -1 on a finite input: the first line of the table, quietly', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${BIN} scan samples --quiet | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toMatch(/^Inputs: +\d+ [^\n]*\nstatus 0\n$/);
    expect(r.stderr).toBe('');
  });
});

describe('Ctrl-C', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops the scan promptly, exit 130, and removes the partial --output file`, async () => {
      const dir = tempDir();
      const target = join(dir, 'report.json');
      const input = spawn('bash', ['-c', ENDLESS], { stdio: ['ignore', 'pipe', 'ignore'] });
      const child = spawn(process.execPath, [BIN, 'scan', '--format', 'json', '--output', target], { stdio: [input.stdout, 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      // the temporary file appears when the report is opened, before any record is read
      await until(() => readdirSync(dir).some((f) => f.endsWith('.tmp')));
      await new Promise((r) => setTimeout(r, 300)); // well into the scan
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      input.kill();
      expect(code).toBe(130);
      expect(stderr).toBe('\nsso-logs: interrupted\n');
      expect(readdirSync(dir)).toEqual([]);
      expect(existsSync(target)).toBe(false);
    });
  }
});

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Many gzip members on one pipe (`cat *.json.gz | sso-logs scan`, as with the 3,872 files of the real SANS S3
 * tree): every record is read, and stderr stays empty. Each back-pressure wait once left a listener behind on the
 * gunzip stream, and Node printed MaxListenersExceededWarning after ten.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Gen, noise, ORG_ACCOUNT } from '../support/cloudtrail.js';

const BIN = join(import.meta.dirname, '../../bin/sso-logs.js');

describe('gzip members on a pipe', () => {
  it('200 members, 60,000 records: all read, nothing on stderr', () => {
    const g = new Gen(9);
    const members = Array.from({ length: 200 }, (_, f) => gzipSync(JSON.stringify({
      Records: Array.from({ length: 300 }, (_, i) => noise(g, Date.UTC(2024, 9, 10) + f * 1000 + i, ORG_ACCOUNT, 'us-east-1')),
    })));
    const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json'], { input: Buffer.concat(members), encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).summary.records).toBe(60_000);
  });
});

/**
 * Determinism: the same records in a different order (files shuffled and renamed, records shuffled within
 * files, read on one thread or two) give a byte-identical JSON report.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rng } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const LISTINGS = ['--identity-store', join(ROOT, 'samples/identity-store/list-users-2024-10-01.json'), '--identity-store', join(ROOT, 'samples/identity-store/list-users.json')];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** Every record of samples/ (the story in which every matcher fires), read the simple way. */
function sampleRecords(): unknown[] {
  return files(join(ROOT, 'samples')).filter((p) => !p.includes('Digest') && !p.includes('identity-store') && !p.includes('sso-admin') && !p.includes('/saml/')).flatMap((path) => {
    const bytes = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
    const text = bytes.toString('utf8');
    if (path.endsWith('.jsonl')) return text.trim().split('\n').map((l) => JSON.parse(l));
    const doc = JSON.parse(text);
    return doc.Records ?? doc.Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
  });
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Writes the records as `count` files, alternately .json.gz (Records) and .jsonl, named from `seed`. */
function writeSet(records: unknown[], seed: number, count: number): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs'));
  const random = rng(seed);
  const order = seed === 0 ? records : shuffle(records, random);
  for (let f = 0; f < count; f++) {
    const part = order.filter((_, i) => i % count === f);
    const name = `${seed}-${Math.floor(random() * 1e6)}-${f}`;
    if (f % 2 === 0) writeFileSync(join(dir, 'logs', `${name}.json.gz`), gzipSync(JSON.stringify({ Records: part })));
    else writeFileSync(join(dir, 'logs', `${name}.jsonl`), part.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  return join(dir, 'logs');
}

describe('determinism', () => {
  // Without listings, scim-principal-activity follows the ID through a re-creation paired by time.
  for (const [label, listings, principal] of [['with the listings', LISTINGS, 'jdoe@example.com'], ['without listings', [], '7ba3448a-6774-3da7-073c-c766d70c7429']] as const) {
    it(`shuffled files and records, on one thread or two, give byte-identical JSON (${label})`, () => {
      const records = sampleRecords();
      expect(records.length).toBeGreaterThan(50);
      const outputs = [0, 1, 2, 3].map((seed) => {
        const dir = writeSet(records, seed, 5);
        const r = spawnSync(process.execPath, [BIN, 'scan', dir, ...listings, '--principal', principal, '--format', 'json', '--workers', seed % 2 ? '2' : '0'], { encoding: 'utf8' });
        return r.stdout + r.stderr;
      });
      const findings = JSON.parse(outputs[0]!.slice(0, outputs[0]!.lastIndexOf('}') + 1)).findings as { matcher: string }[];
      expect(new Set(findings.map((f) => f.matcher)).size).toBe(8); // every matcher has something to order
      for (const out of outputs.slice(1)) expect(out).toBe(outputs[0]);
    });
  }
});

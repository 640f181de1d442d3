/**
 * Large, realistic CloudTrail exports for measurements, streamed to disk so the generator stays small. Records
 * follow the published shapes (cloudtrail.ts): 1-2 KB each, an ordinary account's mix of services, one in 400
 * carrying a ~50 KB IAM policy document, and a small rate of the situations the matchers find, counted in
 * `planted` so that a benchmark can check that exactly those were found.
 *   tsx test/support/generate.ts records FILE SIZE_MB   one {"Records":[...]} file (one line, as S3 writes it)
 *   tsx test/support/generate.ts tree DIR SIZE_MB       an S3-layout tree of .json.gz objects (~1 MB of JSON each)
 *   tsx test/support/generate.ts jsonl FILE SIZE_MB     JSON Lines, as `jq -c '.Records[]'` writes them
 *   tsx test/support/generate.ts lookup FILE SIZE_MB    `aws cloudtrail lookup-events` pages of 50, concatenated
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Gen, lookupEvent, MEMBER_ACCOUNTS, noise, ORG_ACCOUNT, protectedRoleFailure, scimCreateUser, updatePasswordFailure, type Rec } from './cloudtrail.js';

const T0 = Date.UTC(2024, 9, 1);
const MB = 1_000_000;

/** Situations written, by the matcher that must report each exactly once. */
export interface Planted {
  'password-reset-failure': number;
  'protected-role-modification': number;
}

export interface Generated {
  records: number;
  /** Bytes of JSON (uncompressed). */
  bytes: number;
  planted: Planted;
}

function bigPolicy(g: Gen, time: number, account: string): Rec {
  const statements = Array.from({ length: 220 }, (_, i) => ({
    Sid: `Stmt${i}${g.hex(6)}`, Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: [`arn:aws:s3:::data-lake-${g.hex(8)}/*`, `arn:aws:kms:us-east-1:${account}:key/${g.uuid()}`],
  }));
  return {
    ...noise(g, time, account, 'us-east-1'),
    eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', awsRegion: 'us-east-1',
    requestParameters: { roleName: 'data-pipeline', policyName: 'lake-access', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
    responseElements: null,
  };
}

function* records(seed: number, planted: Planted): Generator<Rec> {
  const g = new Gen(seed);
  for (let i = 0; ; i++) {
    const time = T0 + i * 50;
    const account = i % 3 === 0 ? ORG_ACCOUNT : MEMBER_ACCOUNTS[i % 2]!;
    if (i % 997 === 0) {
      planted['password-reset-failure']++;
      yield updatePasswordFailure(g, time, 'us-east-1');
    } else if (i % 1009 === 0) {
      yield scimCreateUser(g, time, 'us-east-1', g.storeId());
    } else if (i % 1013 === 0) {
      planted['protected-role-modification']++;
      yield protectedRoleFailure(g, time, MEMBER_ACCOUNTS[0]!, 'AWSReservedSSO_Admin_0123456789abcdef');
    } else if (i % 400 === 7) {
      yield bigPolicy(g, time, account);
    } else {
      yield noise(g, time, account, g.pick(['us-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2']));
    }
  }
}

const none = (): Planted => ({ 'password-reset-failure': 0, 'protected-role-modification': 0 });

/** Writes `head`, then records as `each` renders them until `bytes` is reached, then `tail`. */
async function writeStream(path: string, bytes: number, seed: number, head: string, each: (r: Rec, n: number) => string, tail: string): Promise<Generated> {
  const out = createWriteStream(path);
  const planted = none();
  let written = 0;
  let count = 0;
  const write = async (s: string) => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(head);
  for (const r of records(seed, planted)) {
    await write(each(r, count++));
    if (written >= bytes) break;
  }
  await write(tail);
  out.end();
  await once(out, 'finish');
  return { records: count, bytes: written, planted };
}

export function writeRecordsFile(path: string, bytes: number): Promise<Generated> {
  return writeStream(path, bytes, 1, '{"Records":[', (r, n) => (n ? ',' : '') + JSON.stringify(r), ']}');
}

export function writeJsonLines(path: string, bytes: number): Promise<Generated> {
  return writeStream(path, bytes, 3, '', (r) => `${JSON.stringify(r)}\n`, '');
}

/** lookup-events pages as the CLI prints them (indented by 4), 50 Events each, one after another. */
export function writeLookupEvents(path: string, bytes: number): Promise<Generated> {
  const page = (n: number) => (n % 50 === 0 ? `${n ? '\n    ],\n    "NextToken": "next"\n}\n' : ''}{\n    "Events": [\n` : ',\n');
  return writeStream(path, bytes, 4, '', (r, n) => page(n) + JSON.stringify(lookupEvent(r), null, 4).replace(/^/gm, '        '), '\n    ]\n}\n');
}

export function writeTree(dir: string, bytes: number): Generated {
  const planted = none();
  let written = 0;
  let count = 0;
  let file = 0;
  const it = records(2, planted);
  while (written < bytes) {
    const batch: Rec[] = [];
    let size = 0;
    while (size < MB) {
      const r = it.next().value as Rec;
      batch.push(r);
      size += JSON.stringify(r).length;
    }
    const text = JSON.stringify({ Records: batch });
    const account = String(batch[0]!.recipientAccountId);
    const day = String(1 + (file % 28)).padStart(2, '0');
    const sub = join(dir, 'AWSLogs', account, 'CloudTrail', 'us-east-1', '2024', '10', day);
    mkdirSync(sub, { recursive: true });
    const stamp = `202410${day}T${String(file % 24).padStart(2, '0')}00Z`;
    writeFileSync(join(sub, `${account}_CloudTrail_us-east-1_${stamp}_${String(file).padStart(16, '0')}.json.gz`), gzipSync(text, { level: 1 }));
    written += Buffer.byteLength(text);
    count += batch.length;
    file++;
  }
  return { records: count, bytes: written, planted };
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const [kind, target, sizeMb] = process.argv.slice(2);
  const bytes = Number(sizeMb) * MB;
  const writers: Record<string, (path: string, bytes: number) => Generated | Promise<Generated>> = {
    records: writeRecordsFile, tree: writeTree, jsonl: writeJsonLines, lookup: writeLookupEvents,
  };
  const writer = kind ? writers[kind] : undefined;
  if (!writer || !target || !Number.isFinite(bytes)) {
    console.error('usage: generate.ts records|tree|jsonl|lookup PATH SIZE_MB');
    process.exit(3);
  }
  console.log(JSON.stringify(await writer(target, bytes)));
}

/**
 * Large, realistic CloudTrail exports for memory and speed measurements, streamed to disk so the generator
 * itself stays small:
 *   tsx test/support/generate.ts records FILE SIZE_MB   one {"Records":[...]} file (one line, as S3 writes it)
 *   tsx test/support/generate.ts tree DIR SIZE_MB       an S3-layout tree of .json.gz objects (~1 MB of JSON each)
 * Returns (and prints) how many records of each planted situation it wrote.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Gen, MEMBER_ACCOUNTS, noise, ORG_ACCOUNT, protectedRoleFailure, scimCreateUser, updatePasswordFailure, type Rec } from './cloudtrail.js';

const T0 = Date.UTC(2024, 9, 1);
const MB = 1_000_000;

export interface Generated { records: number; bytes: number }

function* records(seed: number): Generator<Rec> {
  const g = new Gen(seed);
  for (let i = 0; ; i++) {
    const time = T0 + i * 50;
    const account = i % 3 === 0 ? ORG_ACCOUNT : MEMBER_ACCOUNTS[i % 2]!;
    // a small rate of Identity Center situations among ordinary traffic
    if (i % 997 === 0) yield updatePasswordFailure(g, time, 'us-east-1');
    else if (i % 1009 === 0) yield scimCreateUser(g, time, 'us-east-1', g.storeId());
    else if (i % 1013 === 0) yield protectedRoleFailure(g, time, MEMBER_ACCOUNTS[0]!, 'AWSReservedSSO_Admin_0123456789abcdef');
    else yield noise(g, time, account, g.pick(['us-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2']));
  }
}

export async function writeRecordsFile(path: string, bytes: number): Promise<Generated> {
  const out = createWriteStream(path);
  let written = 0;
  let count = 0;
  const write = async (s: string) => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"Records":[');
  for (const r of records(1)) {
    await write((count ? ',' : '') + JSON.stringify(r));
    count++;
    if (written >= bytes) break;
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return { records: count, bytes: written };
}

export function writeTree(dir: string, bytes: number): Generated {
  let written = 0;
  let count = 0;
  let file = 0;
  const it = records(2);
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
    const sub = join(dir, 'AWSLogs', account, 'CloudTrail', 'us-east-1', '2024', '10', String(1 + (file % 28)).padStart(2, '0'));
    mkdirSync(sub, { recursive: true });
    const stamp = `202410${String(1 + (file % 28)).padStart(2, '0')}T${String(file % 24).padStart(2, '0')}00Z`;
    const out = gzipSync(text, { level: 1 });
    createWriteStream(join(sub, `${account}_CloudTrail_us-east-1_${stamp}_${String(file).padStart(16, '0')}.json.gz`)).end(out);
    written += text.length;
    count += batch.length;
    file++;
  }
  return { records: count, bytes: written };
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const [kind, target, sizeMb] = process.argv.slice(2);
  const bytes = Number(sizeMb) * MB;
  if (!target || !Number.isFinite(bytes)) {
    console.error('usage: generate.ts records|tree PATH SIZE_MB');
    process.exit(3);
  }
  const result = kind === 'tree' ? writeTree(target, bytes) : await writeRecordsFile(target, bytes);
  console.log(JSON.stringify(result));
}

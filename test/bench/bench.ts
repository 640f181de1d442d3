/**
 * npm run bench -- [SIZE_MB=200] [--runs N=3] [--dir DIR]
 *
 * Generates realistic CloudTrail (test/support/generate.ts) as an S3-layout .json.gz tree, one Records file,
 * JSON Lines and lookup-events pages, then times `sso-logs scan` (every matcher) beside the peers doing the
 * equivalent filter (Identity Center event sources, or an UnmodifiableEntity error): jq and DuckDB when they
 * are there, the stream-json engine, and for the tree the gunzip-only floor. Runs are interleaved and the median
 * is reported; the ratios are what to read, since absolute rates drift on a shared machine. It also checks that
 * sso-logs found exactly the situations the generator planted. Peak RSS of a shell pipeline (zcat | jq) is
 * the shell's own as /usr/bin/time sees it, not the largest stage's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonLines, writeLookupEvents, writeRecordsFile, writeTree, type Generated } from '../support/generate.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const MB = 1_000_000;

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args.splice(at, 2)[1] ?? fallback;
};
const runs = Number(option('--runs', '3'));
const dirOption = option('--dir', '');
const sizeMb = Number(args[0] ?? '200');
const dir = dirOption || join(tmpdir(), `sso-logs-bench-${sizeMb}mb`);

type Format = 'tree' | 'records' | 'jsonl' | 'lookup';
const FORMATS: Format[] = ['tree', 'records', 'jsonl', 'lookup'];
const PATHS: Record<Format, string> = { tree: join(dir, 'tree'), records: join(dir, 'records.json'), jsonl: join(dir, 'records.jsonl'), lookup: join(dir, 'lookup.json') };

async function generate(): Promise<Record<Format, Generated>> {
  const marker = join(dir, 'generated.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bytes = sizeMb * MB;
  process.stderr.write(`generating ${sizeMb} MB of each format in ${dir} ...\n`);
  const generated = {
    tree: writeTree(PATHS.tree, bytes),
    records: await writeRecordsFile(PATHS.records, bytes),
    jsonl: await writeJsonLines(PATHS.jsonl, bytes),
    lookup: await writeLookupEvents(PATHS.lookup, bytes),
  };
  writeFileSync(marker, JSON.stringify(generated));
  return generated;
}

const has = (command: string) => spawnSync('bash', ['-c', `command -v ${command}`]).status === 0;
const hasDuckDb = existsSync(join(ROOT, 'node_modules/@duckdb/node-api'));
const JQ_FILTER = '(.eventSource | IN("sso-directory.amazonaws.com","identitystore-scim.amazonaws.com","identitystore.amazonaws.com","sso.amazonaws.com","signin.amazonaws.com")) or ((.errorCode // "") | startswith("UnmodifiableEntity"))';

interface Approach {
  name: string;
  command: string;
  /** Check the output; return a problem, or nothing. */
  check?: (stdout: string) => string | undefined;
}

function approaches(format: Format, generated: Generated): Approach[] {
  const path = PATHS[format];
  const sso = (extra: string) => `node ${BIN} scan ${path} --format json --quiet ${extra}`;
  const checkFindings = (stdout: string) => {
    const findings: { matcher: string }[] = JSON.parse(stdout).findings;
    for (const [matcher, count] of Object.entries(generated.planted)) {
      const found = findings.filter((f) => f.matcher === matcher).length;
      if (found !== count) return `${matcher}: found ${found}, planted ${count}`;
    }
    const records = JSON.parse(stdout).summary.records;
    return records === generated.records ? undefined : `read ${records} records, generated ${generated.records}`;
  };
  const list: Approach[] = [{ name: 'sso-logs', command: sso(''), check: checkFindings }];
  if (format === 'tree') list.push({ name: 'sso-logs, 1 thread', command: sso('--workers 0'), check: checkFindings });
  if (format !== 'tree') list.push({ name: 'stream-json engine', command: sso('--engine stream-json --workers 0'), check: checkFindings });
  if (has('jq')) {
    const jq = {
      tree: `find ${path} -name '*.json.gz' -print0 | sort -z | xargs -0 zcat | jq -c '.Records[] | select(${JQ_FILTER})' | wc -l`,
      records: `jq -c '.Records[] | select(${JQ_FILTER})' ${path} | wc -l`,
      jsonl: `jq -c 'select(${JQ_FILTER})' ${path} | wc -l`,
      lookup: `jq -c '.Events[] | .CloudTrailEvent | fromjson | select(${JQ_FILTER})' ${path} | wc -l`,
    }[format];
    list.push({ name: 'jq', command: jq });
  }
  if (hasDuckDb) {
    // the same work as sso-logs before its matchers: the summary and the candidate filter (duckdb-query.mjs)
    const checkSummary = (stdout: string) => {
      const records = (JSON.parse(stdout) as { records: number }).records;
      return records === generated.records ? undefined : `read ${records} records, generated ${generated.records}`;
    };
    list.push({ name: 'DuckDB (summary + candidates)', command: `node ${join(import.meta.dirname, 'duckdb-query.mjs')} ${format} ${path}`, check: checkSummary });
  }
  if (format === 'tree') list.push({ name: 'gunzip only (floor)', command: `node ${join(import.meta.dirname, 'gunzip-floor.mjs')} ${path}` });
  return list;
}

interface Sample { seconds: number; rssMb: number; ok: boolean; note?: string }

function measure(approach: Approach): Sample {
  const timeFile = join(dir, 'time.txt');
  const run = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %M', 'bash', '-c', `set -o pipefail; ${approach.command}`], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const [seconds, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  if (run.status !== 0) return { seconds: seconds!, rssMb: kb! / 1024, ok: false, note: (run.stderr.trim().split('\n').pop() ?? '').slice(0, 80) };
  const note = approach.check?.(run.stdout);
  return { seconds: seconds!, rssMb: kb! / 1024, ok: note === undefined, ...(note ? { note } : {}) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const generated = await generate();
console.log(`sso-logs benchmark: ${sizeMb} MB of JSON per format, ${runs} interleaved runs, median; ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
for (const format of FORMATS) {
  const g = generated[format];
  const list = approaches(format, g);
  const samples = new Map<string, Sample[]>(list.map((a) => [a.name, []]));
  for (let run = 0; run < runs; run++) for (const a of list) samples.get(a.name)!.push(measure(a));
  console.log(`\n${format}: ${(g.bytes / MB).toFixed(0)} MB, ${g.records.toLocaleString('en-US')} records`);
  console.log('| approach | median s | MB/s | records/s | peak RSS MB | sso-logs speed-up (its s / sso-logs s) |');
  console.log('|---|--:|--:|--:|--:|--:|');
  const ssoSeconds = median(samples.get('sso-logs')!.map((s) => s.seconds));
  for (const a of list) {
    const s = samples.get(a.name)!;
    const seconds = median(s.map((x) => x.seconds));
    const failed = s.find((x) => !x.ok);
    const rate = failed ? '-' : (g.bytes / MB / seconds).toFixed(0);
    const ratio = a.name === 'sso-logs' || failed ? '' : `${(seconds / ssoSeconds).toFixed(2)}x`;
    console.log(`| ${a.name}${failed ? ` (failed: ${failed.note})` : ''} | ${seconds.toFixed(2)} | ${rate} | ${failed ? '-' : Math.round(g.records / seconds).toLocaleString('en-US')} | ${Math.max(...s.map((x) => x.rssMb)).toFixed(0)} | ${ratio} |`);
  }
}

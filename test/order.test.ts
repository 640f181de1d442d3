/**
 * Order (issue 11, part 2): records arrive in any order (S3 objects, worker threads, the two-part read, users
 * concatenating files), and findings must not depend on it. Generated incident stories are scanned in time order
 * and shuffled across several files (.json.gz Records files and .jsonl), with and without identity-store
 * listings, and every matcher must give byte-identical findings. Seeds are fixed so that a failure replays.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCHER_IDS } from '../src/match/registry.js';
import { scan } from '../src/run.js';
import { createAccountAssignment, Gen, MEMBER_ACCOUNTS, scimDeleteUser, type Rec } from './support/cloudtrail.js';
import { tempDir } from './support/read.js';
import { buildStory, principalQueries, scimCreateUserShown, storyPlan, T0, USERS, type Story, type StoryPlan } from './support/stories.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const DAY = 24 * 3600_000;
const SEED = 13;
const SCIM_SOURCES = new Set(['identitystore-scim.amazonaws.com', 'identitystore.amazonaws.com', 'sso-directory.amazonaws.com', 'sso.amazonaws.com']);
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Listing = 'none' | 'before' | 'after';

/**
 * A story, what is asked of it, and one shuffled order. No chain from the story to the rest, so that fast-check
 * shrinks the story itself: `picks` index the story's principal queries, and the records are sorted by their
 * `keys` (ties in time order), which shrink towards the time order.
 */
interface Case {
  plan: StoryPlan;
  picks: number[];
  listing: Listing;
  files: number;
  keys: number[];
}

const MAX_RECORDS = 128;

const cases: fc.Arbitrary<Case> = fc.record({
  plan: storyPlan,
  picks: fc.oneof({ weight: 1, arbitrary: fc.constant<number[]>([]) }, { weight: 4, arbitrary: fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 3 }) }),
  listing: fc.constantFrom<Listing>('none', 'before', 'after'),
  files: fc.integer({ min: 1, max: 5 }),
  keys: fc.array(fc.nat({ max: 1000 }), { minLength: MAX_RECORDS, maxLength: MAX_RECORDS }),
});

/** What a scan is asked: --principal values, and which listing is passed with --identity-store. */
interface Asked {
  principals: string[];
  listing: Listing;
}

/** The --principal values a case asks for. */
function principalsOf(c: Case, story: Story): string[] {
  const queries = principalQueries(story);
  return [...new Set(c.picks.map((i) => queries[i % queries.length]!))];
}

interface Finding {
  matcher: string;
  time: string | null;
  principal: string | null;
  eventName: string | null;
  eventIds: string[];
  message: string;
  details: Record<string, unknown>;
}

interface Report {
  /** The JSON report's findings, as the report prints them. */
  findings: string;
  /** The JSON report's summary without `inputs` (the number of files differs between orders). */
  summary: string;
  list: Finding[];
  records: number;
  problems: number;
}

function report(output: string): Report {
  const { summary, findings } = JSON.parse(output) as { summary: Record<string, unknown>; findings: Finding[] };
  const { inputs: _inputs, ...rest } = summary;
  return {
    findings: JSON.stringify(findings, null, 2),
    summary: JSON.stringify(rest, null, 2),
    list: findings,
    records: summary.records as number,
    problems: summary.problems as number,
  };
}

/** The order of the first `n` keys, ties broken by position: all-equal keys (what shrinking aims at) are the time order. */
function arrange(keys: readonly number[], n: number): number[] {
  if (n > keys.length) throw new Error(`a story of ${n} records: raise MAX_RECORDS`);
  return keys.slice(0, n).map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
}

/** Writes the records, in this order, as `files` files read one after the other: .json.gz Records and .jsonl by turns. */
function writeLogs(dir: string, records: readonly Rec[], files: number, plainJson = false): string {
  mkdirSync(dir, { recursive: true });
  const n = Math.max(1, Math.min(files, records.length));
  for (let f = 0; f < n; f++) {
    const part = records.slice(Math.floor((f * records.length) / n), Math.floor(((f + 1) * records.length) / n));
    const name = join(dir, `part-${f}`); // inputs are read in name order
    if (plainJson) writeFileSync(`${name}.json`, JSON.stringify({ Records: part }));
    else if (f % 2 === 0) writeFileSync(`${name}.json.gz`, gzipSync(JSON.stringify({ Records: part })));
    else writeFileSync(`${name}.jsonl`, part.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  return dir;
}

function writeListing(dir: string, story: Story, listing: Listing): string | undefined {
  if (listing === 'none') return undefined;
  const path = join(dir, `list-users-${listing}.json`);
  writeFileSync(path, JSON.stringify(story.listings[listing], null, 2));
  return path;
}

/** The story's assignments as aws sso-admin list-account-assignments would list them (every one created), for orphaned-assignment. */
function writeAssignments(dir: string, story: Pick<Story, 'records'>): string {
  const path = join(dir, 'assignments.json');
  const items = story.records.filter((r) => r.eventName === 'CreateAccountAssignment').map((r) => {
    const p = r.requestParameters as Rec;
    return { AccountId: p.targetId, PermissionSetArn: p.permissionSetArn, PrincipalType: p.principalType, PrincipalId: p.principalId };
  });
  writeFileSync(path, JSON.stringify({ AccountAssignments: items }));
  return path;
}

async function* nothing(): AsyncGenerator<Buffer> {}

/** The in-process scan, as `sso-logs scan DIR --format json --workers 0` runs it, with every matcher. */
async function scanLogs(dir: string, principals: string[], listing: string | undefined, assignments?: string): Promise<Report> {
  const result = await scan({
    inputs: [dir], format: 'json', engine: 'split', maxRecordBytes: 32 * 1024 * 1024, color: false,
    matchers: [...MATCHER_IDS], principals, recreateWindowMs: DAY, identityStores: listing ? [listing] : [], workers: 0,
    ...(assignments ? { assignments: [assignments] } : {}),
  }, { stdin: nothing(), stdinIsTTY: false, stderr: () => undefined });
  return report(result.output);
}

function cli(dir: string, principals: string[], listing: string | undefined, extra: string[]): Report {
  const args = [BIN, 'scan', dir, '--format', 'json', ...principals.flatMap((p) => ['--principal', p]), ...(listing ? ['--identity-store', listing] : []), ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`sso-logs ${args.slice(1).join(' ')} exited ${r.status}:\n${r.stderr}`);
  return report(r.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// What a failure prints: the story in time order, the order it was read in, and the findings of the matchers
// that differ, side by side.

function brief(f: Finding): string {
  const how = f.details.matchedBy ?? f.details.pairedBy ?? '';
  return `${f.time?.slice(11, 19) ?? '--:--:--'} ${f.matcher} ${f.eventName ?? ''} | ${f.principal ?? '-'} | ev ${f.eventIds.map((e) => e.slice(0, 8)).join(',')}${how ? ` | ${String(how)}` : ''}`;
}

function explain(story: Pick<Story, 'records' | 'describe'>, c: Asked, order: readonly number[], files: number, a: Report, b: Report, what: [string, string]): string {
  const lines = [
    `findings depend on the order of the records (${what[0]} vs ${what[1]})`,
    `--principal ${c.principals.length ? c.principals.join(' --principal ') : '(none)'}; listing: ${c.listing}; files: ${files}`,
    'the story, in time order:',
    ...story.records.map((r, i) => `  #${i} ${story.describe(r)}`),
    `read order (${what[1]}): ${order.join(' ')}`,
  ];
  const matchers = [...new Set([...a.list, ...b.list].map((f) => f.matcher))].sort();
  const differ = matchers.filter((m) => JSON.stringify(a.list.filter((f) => f.matcher === m)) !== JSON.stringify(b.list.filter((f) => f.matcher === m)));
  lines.push(`matchers whose findings differ: ${differ.join(', ') || '(none: the order of findings differs)'}`);
  for (const [label, r] of [[what[0], a], [what[1], b]] as const) {
    const shown = r.list.filter((f) => differ.includes(f.matcher));
    lines.push(`  ${label}: ${shown.length} finding(s)`, ...shown.map((f) => `    ${brief(f)}`));
  }
  if (a.summary !== b.summary) lines.push('summaries differ:', a.summary, b.summary);
  return lines.join('\n');
}

function expectSame(story: Pick<Story, 'records' | 'describe'>, c: Asked, order: readonly number[], files: number, a: Report, b: Report, what: [string, string]): void {
  if (a.findings !== b.findings || a.summary !== b.summary) throw new Error(explain(story, c, order, files, a, b, what));
}

/** Scans the story in time order and in the case's shuffled order; throws, saying how, when they differ. */
async function check(c: Case): Promise<void> {
  const story = buildStory(c.plan);
  const asked: Asked = { principals: principalsOf(c, story), listing: c.listing };
  const dir = tempDir();
  try {
    const listing = writeListing(dir, story, c.listing);
    const order = arrange(c.keys, story.records.length);
    const assignments = writeAssignments(dir, story);
    const time = await scanLogs(writeLogs(join(dir, 'time'), story.records, c.files), asked.principals, listing, assignments);
    const shuffled = await scanLogs(writeLogs(join(dir, 'shuffled'), order.map((i) => story.records[i]!), c.files), asked.principals, listing, assignments);
    if (time.problems || time.records !== story.records.length) throw new Error(`the test wrote bad input: ${time.summary}`);
    expectSame(story, asked, order, c.files, time, shuffled, ['time order', 'shuffled']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('order', () => {
  it('generated stories: in time order, each matcher finds what the story holds, and every matcher fires for some story', async () => {
    const fired = new Set<string>();
    for (const c of fc.sample(cases, { seed: SEED, numRuns: 40 })) {
      const story = buildStory(c.plan);
      const asked: Asked = { principals: principalsOf(c, story), listing: c.listing };
      expect(story.records.length).toBeLessThanOrEqual(MAX_RECORDS);
      const dir = tempDir();
      try {
        const time = await scanLogs(writeLogs(join(dir, 'time'), story.records, c.files), asked.principals, writeListing(dir, story, c.listing), writeAssignments(dir, story));
        expect(time.problems).toBe(0);
        expect(time.records).toBe(story.records.length);
        expectSensible(story, asked, time.list);
        for (const f of time.list) fired.add(f.matcher);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect([...fired].sort()).toEqual([...MATCHER_IDS].sort());
  });

  it('generated stories give the same findings in time order and shuffled across files, with and without listings', async () => {
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      await check(c);
    }), { seed: SEED, numRuns: 300, interruptAfterTimeLimit: 20_000 });
  }, 40_000);

  it('scim-principal-activity: jdoe deleted and re-created with visible names, --principal jdoe, no listing: time order and reverse order agree', async () => {
    const g = new Gen(11);
    const OLD = '34887428-4081-7042-c3c6-928d413009e7';
    const NEW = 'c4488478-a0e1-700e-3d75-96c6bb641596';
    const MIN = 60_000;
    const records = [
      scimCreateUserShown(g, T0, 'us-east-1', OLD, 'jdoe', 'Jo', 'Doe'),
      createAccountAssignment(g, T0 + MIN, 'us-east-1', OLD, MEMBER_ACCOUNTS[0]!, 'ps-5a1b2c3d4e5f6a7b'),
      scimDeleteUser(g, T0 + 2 * MIN, 'us-east-1', OLD),
      scimCreateUserShown(g, T0 + 3 * MIN, 'us-east-1', NEW, 'jdoe', 'Jo', 'Doe'),
      createAccountAssignment(g, T0 + 4 * MIN, 'us-east-1', NEW, MEMBER_ACCOUNTS[0]!, 'ps-5a1b2c3d4e5f6a7b'),
    ];
    const dir = tempDir();
    try {
      const time = await scanLogs(writeLogs(join(dir, 'time'), records, 1), ['jdoe'], undefined);
      const reverse = await scanLogs(writeLogs(join(dir, 'reverse'), [...records].reverse(), 1), ['jdoe'], undefined);
      const activity = (r: Report) => r.list.filter((f) => f.matcher === 'scim-principal-activity');
      // every event of jdoe, under the old ID and the new one
      expect(activity(time).map((f) => f.eventIds[0])).toEqual(records.map((r) => r.eventID));
      const story = { records, describe: (r: Rec) => `${String(r.eventTime).slice(11, 19)} ${String(r.eventName)} ${JSON.stringify([r.requestParameters, r.responseElements]).includes(OLD) ? 'OLD' : 'NEW'}` };
      expectSame(story, { principals: ['jdoe'], listing: 'none' }, [4, 3, 2, 1, 0], 1, time, reverse, ['time order', 'reverse order']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built CLI: shuffled files read on two threads, and one file read in two parts, give the findings of time order', async () => {
    expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/ is missing: run npm run build').toBe(true);
    const sample = fc.sample(cases, { seed: SEED + 1, numRuns: 300 }).map((c) => {
      const story = buildStory(c.plan);
      return { c, story, asked: { principals: principalsOf(c, story), listing: c.listing } satisfies Asked };
    });
    // one that tells the bug's story (a name followed through a visible re-creation, no listing), one with a listing
    const chosen = [
      sample.find(({ c, asked }) => c.listing === 'none' && c.plan.users.some((u, i) => u.fate === 'recreated' && u.shown && u.shownAgain && asked.principals.includes(USERS[i]!.name))),
      sample.find(({ c, story, asked }) => c.listing !== 'none' && asked.principals.length > 0 && c.files >= 3 && story.records.length >= 30),
    ];
    const failures: string[] = [];
    for (const [k, chose] of chosen.entries()) {
      if (!chose) throw new Error('no sample fits: change the seed');
      const { c, story, asked } = chose;
      const dir = tempDir();
      try {
        const listing = writeListing(dir, story, c.listing);
        const order = arrange(c.keys, story.records.length);
        const timeDir = writeLogs(join(dir, 'time'), story.records, c.files);
        const time = cli(timeDir, asked.principals, listing, ['--workers', '0']);
        const inProcess = await scanLogs(timeDir, asked.principals, listing);
        expect(time.findings, 'the built CLI and src/ disagree on the same files: run npm run build').toBe(inProcess.findings);
        const shuffled = order.map((i) => story.records[i]!);
        const threads = k === 0
          ? cli(writeLogs(join(dir, 'shuffled'), shuffled, 5), asked.principals, listing, ['--workers', '2'])
          : cli(writeLogs(join(dir, 'shuffled'), shuffled, 1, true), asked.principals, listing, ['--workers', '2', '--split-min-mib', '0.001']);
        try {
          expectSame(story, asked, order, k === 0 ? 5 : 1, time, threads, ['time order, --workers 0', k === 0 ? 'shuffled, 5 files, --workers 2' : 'shuffled, one plain file read in two parts, --workers 2']);
        } catch (error) {
          failures.push((error as Error).message);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (failures.length) throw new Error(failures.join('\n\n'));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What each matcher must find in a story read in time order: checks that the stories and the scan are sound,
// so that a difference between orders is the matchers', not the test's.

function expectSensible(story: Story, c: Asked, findings: Finding[]): void {
  const by = (matcher: string) => findings.filter((f) => f.matcher === matcher);
  const records = story.records;
  // CloudTrail delivers some events twice: each event is one finding however often it is read.
  const events = [...new Map(records.map((r) => [`${String(r.eventID)} ${String(r.eventSource)} ${String(r.eventName)}`, r])).values()];
  const count = (test: (r: Rec) => boolean) => events.filter(test).length;
  const failedSignins = new Set(records.filter((r) => r.eventSource === 'signin.amazonaws.com' && JSON.stringify(r.serviceEventDetails ?? null).includes('Failure'))
    .map((r) => (r.additionalEventData as Rec).AuthWorkflowID));
  const scimErrors = new Set(records.filter((r) => r.eventSource === 'identitystore-scim.amazonaws.com' && r.errorCode).map((r) => `${String(r.errorCode)} ${String(r.errorMessage)} ${String(r.eventName)}`));

  expect(by('password-reset-failure')).toHaveLength(count((r) => r.eventName === 'UpdatePassword'));
  expect(by('protected-role-modification')).toHaveLength(count((r) => r.errorCode === 'UnmodifiableEntityException'));
  expect(by('signin-failure')).toHaveLength(failedSignins.size);
  expect(by('external-idp-signin-failure')).toHaveLength(count((r) => r.eventName === 'ExternalIdPDirectoryLogin') ? 1 : 0);
  expect(by('scim-sync-error')).toHaveLength(scimErrors.size);
  // Without a listing, no assignment is called orphaned; with one, each orphan's ID is in no listing or was re-created.
  if (c.listing === 'none') expect(by('orphaned-assignment')).toEqual([]);

  // Exactly the assignments left on a deleted user or group (the first one is removed when the plan says so).
  const stale = story.principals.flatMap((p) => (p.plan.fate === 'stays' ? [] : Array.from({ length: p.plan.assignments }, (_, k) => k)
    .filter((k) => !(k === 0 && p.plan.unassign !== 'none')).map((k) => `${p.ids[0]} ${MEMBER_ACCOUNTS[k % 2]}`)));
  expect(by('stale-assignment').map((f) => `${String(f.details.principalId)} ${String(f.details.targetId)}`).sort()).toEqual(stale.sort());

  // A re-creation paired with high confidence is a real one; one whose names are both shown is found when it is
  // the story's only deletion (otherwise an earlier delete may take its create by time, as the matcher says).
  const pairs = story.principals.filter((p) => p.ids.length === 2).map((p) => `${p.ids[0]} -> ${p.ids[1]}`);
  const found = by('scim-recreated-principal').map((f) => ({ pair: `${String(f.details.oldId)} -> ${String(f.details.newId)}`, confidence: f.details.confidence }));
  for (const f of found) if (f.confidence === 'high') expect(pairs).toContain(f.pair);
  const deleted = story.principals.filter((p) => p.plan.fate !== 'stays');
  if (deleted.length === 1 && deleted[0]!.ids.length === 2 && deleted[0]!.plan.shown && deleted[0]!.plan.shownAgain) {
    expect(found).toContainEqual({ pair: pairs[0], confidence: 'high' });
  }

  // An ID followed: every event that references it is in the timeline, said to reference it (the matcher may add
  // events of the same principal under another ID).
  for (const q of c.principals.filter((p) => ID.test(p))) {
    const timeline = by('scim-principal-activity').filter((f) => f.message.includes(`${q} by`));
    for (const r of events.filter((e) => SCIM_SOURCES.has(String(e.eventSource)) && JSON.stringify([e.requestParameters ?? null, e.responseElements ?? null]).includes(q))) {
      expect(timeline.map((f) => f.eventIds[0]), `${q}: ${story.describe(r)}`).toContain(r.eventID);
    }
  }
}

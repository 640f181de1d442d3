/**
 * --output never harms what it points at: a device, a named pipe or /dev/stdout is written in place and stays
 * what it was; a symbolic link is followed and stays a link; a regular file appears whole or not at all, an old
 * one untouched until the report is complete; a place the report cannot go is a usage error before any input
 * is read. Each case runs as the user running the tests and, under root, also as uid 65534 (nobody).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { tempDir } from './support/read.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/sso-logs.js');
const RECORDS = readFileSync(join(ROOT, 'samples/jsonl/records.jsonl'));
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');

interface User {
  name: string;
  /** Run the CLI as this uid (and gid); absent: as the user running the tests. */
  uid?: number;
  root: boolean;
  /** Why the cases cannot run as this user. */
  unavailable?: string;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const as = (user: User) => (user.uid === undefined ? {} : { uid: user.uid, gid: user.uid });

function scan(user: User, args: string[], input?: Buffer): Run {
  const inputs = input === undefined ? ['samples'] : ['-'];
  const r = spawnSync(process.execPath, [BIN, 'scan', ...inputs, '--format', 'json', '--quiet', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 20_000, ...(input === undefined ? {} : { input }), ...as(user),
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const EXPECTED = scan({ name: 'me', root: IS_ROOT }, []).stdout;
const EXPECTED_STDIN = scan({ name: 'me', root: IS_ROOT }, [], RECORDS).stdout;

/** Under root, whether nobody can run the built CLI from this checkout (it reads bin/, dist/, node_modules/ and samples/). */
function nobodyProblem(): string | undefined {
  const r = spawnSync(process.execPath, [BIN, 'scan', 'samples', '--format', 'json', '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, uid: NOBODY, gid: NOBODY });
  if (r.status === 0 && r.stdout === EXPECTED) return undefined;
  const why = (r.error?.message ?? r.stderr.split('\n').find(Boolean) ?? `exit ${r.status}`).trim();
  return `uid ${NOBODY} cannot run the CLI from ${ROOT} (is the checkout readable by others?): ${why}`;
}

const USERS: User[] = IS_ROOT
  ? [{ name: 'root', root: true }, { name: `uid ${NOBODY}`, uid: NOBODY, root: false, ...optional('unavailable', nobodyProblem()) }]
  : [{ name: `uid ${process.getuid?.() ?? '?'}`, root: false }];

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A fresh directory the user owns. */
function dirFor(user: User): string {
  const dir = tempDir();
  give(user, dir);
  return dir;
}

/** Hands what the test made (as root) to the user the CLI runs as. */
function give(user: User, ...paths: string[]): void {
  for (const path of paths) if (user.uid !== undefined) lchownSync(path, user.uid, user.uid);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The usage error on stderr, exactly, with its problem code. */
function usage(path: string, message: string): unknown {
  return expect.stringMatching(new RegExp(`^sso-logs: --output ${escape(`${path}: ${message}`)} \\[BAD_OUTPUT\\]\nRun sso-logs --help for usage\\.\n$`));
}

/**
 * As root, a regression in the cases on /dev would replace a file the whole machine uses (as the issue saw
 * with /dev/null): whatever happens, it is put back as it was.
 */
function keep(path: string, test: () => void): void {
  const before = lstatSync(path);
  const link = before.isSymbolicLink() ? readlinkSync(path) : undefined;
  try {
    test();
  } finally {
    const now = lstatSync(path, { throwIfNoEntry: false });
    const same = now && (link === undefined ? now.ino === before.ino : now.isSymbolicLink() && readlinkSync(path) === link);
    if (IS_ROOT && !same) {
      rmSync(path, { force: true });
      if (link !== undefined) symlinkSync(link, path);
      else {
        const major = (before.rdev >> 8) & 0xfff;
        const minor = (before.rdev & 0xff) | ((before.rdev >> 12) & 0xfff00);
        spawnSync('mknod', ['-m', (before.mode & 0o777).toString(8), path, before.isBlockDevice() ? 'b' : 'c', String(major), String(minor)]);
      }
    }
  }
}

function spawnScan(user: User, args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, 'scan', '-', '--format', 'json', '--quiet', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], ...as(user) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/**
 * Runs with standard input open and never written: a CLI that read its input before checking --output would
 * wait for ever, so an answer proves the check came first.
 */
async function beforeReading(user: User, path: string): Promise<Run> {
  const { child, done } = spawnScan(user, ['--output', path]);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const run = await done;
  clearTimeout(timer);
  child.stdin!.destroy();
  expect(run.code, 'answered before reading its input').not.toBeNull();
  return run;
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What a process has open, by name (Linux). */
function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return [];
  }
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', ['-m', '666', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr || r.error?.message}`);
}

/** Reads a FIFO in another process until its writer closes it (or, if no writer ever comes, for 15 s). */
function readFifo(path: string): Promise<string> {
  const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const timer = setTimeout(() => reader.kill(), 15_000);
  let text = '';
  reader.stdout.on('data', (d) => (text += d));
  return new Promise((resolve) => reader.on('close', () => {
    clearTimeout(timer);
    resolve(text);
  }));
}

/** A character device like /dev/null in the test's own directory; the test is skipped where one cannot be made. */
function mknodNull(ctx: TestContext, path: string): void {
  if (!IS_ROOT) ctx.skip('mknod needs root');
  const r = spawnSync('mknod', ['-m', '666', path, 'c', '1', '3'], { encoding: 'utf8' });
  if (r.status !== 0) ctx.skip(`mknod is not allowed here: ${(r.stderr || r.error?.message || '').trim()}`);
}

const stays = (path: string) => {
  const { ino, rdev, mode } = lstatSync(path);
  return { ino, rdev, mode };
};

for (const user of USERS) {
  describe(`as ${user.name}`, () => {
    const available = (ctx: TestContext) => {
      if (user.unavailable) ctx.skip(user.unavailable);
    };

    describe('what is not a regular file is written in place, and stays', () => {
      it('a character device (made with mknod in the test directory)', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const device = join(dir, 'null');
        mknodNull(ctx, device);
        const before = stays(device);
        const run = scan(user, ['-o', device]);
        expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(lstatSync(device).isCharacterDevice()).toBe(true);
        expect(stays(device)).toEqual(before);
        expect(readdirSync(dir)).toEqual(['null']);
      });

      it('/dev/null', (ctx) => {
        available(ctx);
        const before = stays('/dev/null');
        keep('/dev/null', () => {
          expect(scan(user, ['-o', '/dev/null'])).toEqual({ code: 0, stdout: '', stderr: '' });
          expect(stays('/dev/null')).toEqual(before);
          expect(readdirSync('/dev').filter((f) => f.startsWith('.null.'))).toEqual([]);
        });
      });

      it('/dev/stdout: the report arrives on standard output', (ctx) => {
        available(ctx);
        keep('/dev/stdout', () => expect(scan(user, ['-o', '/dev/stdout'])).toEqual({ code: 0, stdout: EXPECTED, stderr: '' }));
      });

      it('/dev/stdout redirected to append to a file: the report is added to it, as without -o', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const file = join(dir, 'log');
        writeFileSync(file, 'before\n');
        give(user, file);
        keep('/dev/stdout', () => {
          const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan samples --format json --quiet -o /dev/stdout >> "${file}"`], { cwd: ROOT, encoding: 'utf8', ...as(user) });
          expect(r.status).toBe(0);
          expect(r.stderr).toBe('');
          expect(readFileSync(file, 'utf8')).toBe(`before\n${EXPECTED}`);
          expect(readdirSync(dir)).toEqual(['log']);
        });
      });

      it('/dev/stderr: the report arrives on standard error', (ctx) => {
        available(ctx);
        keep('/dev/stderr', () => expect(scan(user, ['-o', '/dev/stderr'])).toEqual({ code: 0, stdout: '', stderr: EXPECTED }));
      });

      it('a named pipe with a reader: the reader gets the report, the pipe stays a pipe', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const fifo = join(dir, 'fifo');
        mkfifo(fifo);
        give(user, fifo);
        const read = readFifo(fifo);
        const { child, done } = spawnScan(user, ['-o', fifo]);
        child.stdin!.end(RECORDS);
        const run = await done;
        expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(await read).toBe(EXPECTED_STDIN);
        expect(lstatSync(fifo).isFIFO()).toBe(true);
        expect(readdirSync(dir)).toEqual(['fifo']);
      });

      it('Ctrl-C leaves a named pipe in place', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const fifo = join(dir, 'fifo');
        mkfifo(fifo);
        give(user, fifo);
        const read = readFifo(fifo);
        const { child, done } = spawnScan(user, ['-o', fifo]);
        child.stdin!.write(RECORDS); // and never ended: the scan waits for more
        await until(() => openFiles(child.pid!).includes(fifo));
        child.kill('SIGINT');
        const run = await done;
        child.stdin!.destroy();
        expect(run).toEqual({ code: 130, stdout: '', stderr: '\nsso-logs: interrupted\n' });
        expect(await read).toBe('');
        expect(lstatSync(fifo).isFIFO()).toBe(true);
        expect(readdirSync(dir)).toEqual(['fifo']);
      });

      it('Ctrl-C leaves a device in place', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const device = join(dir, 'null');
        mknodNull(ctx, device);
        const before = stays(device);
        const { child, done } = spawnScan(user, ['-o', device]);
        child.stdin!.write(RECORDS);
        await until(() => openFiles(child.pid!).includes(device));
        child.kill('SIGINT');
        const run = await done;
        child.stdin!.destroy();
        expect(run).toEqual({ code: 130, stdout: '', stderr: '\nsso-logs: interrupted\n' });
        expect(stays(device)).toEqual(before);
        expect(readdirSync(dir)).toEqual(['null']);
      });
    });

    describe('a symbolic link is followed and stays a link', () => {
      it('to a regular file: the file gets the report, through a temporary file in its own directory', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const data = join(dir, 'data');
        const links = join(dir, 'links');
        mkdirSync(data);
        mkdirSync(links);
        writeFileSync(join(data, 'report.json'), 'old\n');
        symlinkSync('../data/report.json', join(links, 'report.json'));
        give(user, data, links, join(data, 'report.json'), join(links, 'report.json'));
        // The link's directory is not writable (for anyone but root): the temporary file cannot be made there.
        chmodSync(links, 0o555);
        const run = scan(user, ['-o', join(links, 'report.json')]);
        expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(join(data, 'report.json'), 'utf8')).toBe(EXPECTED);
        expect(lstatSync(join(links, 'report.json')).isSymbolicLink()).toBe(true);
        expect(readlinkSync(join(links, 'report.json'))).toBe('../data/report.json');
        expect(readdirSync(data)).toEqual(['report.json']);
        expect(readdirSync(links)).toEqual(['report.json']);
      });

      it('to a file not made yet: the file is made, the link stays', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const link = join(dir, 'latest.json');
        symlinkSync('2024-10-10.json', link);
        give(user, link);
        expect(scan(user, ['-o', link])).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(join(dir, '2024-10-10.json'), 'utf8')).toBe(EXPECTED);
        expect(readlinkSync(link)).toBe('2024-10-10.json');
        expect(readdirSync(dir).sort()).toEqual(['2024-10-10.json', 'latest.json']);
      });

      it('to /dev/null: written in place', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const link = join(dir, 'sink');
        symlinkSync('/dev/null', link);
        give(user, link);
        const before = stays('/dev/null');
        keep('/dev/null', () => {
          expect(scan(user, ['-o', link])).toEqual({ code: 0, stdout: '', stderr: '' });
          expect(readlinkSync(link)).toBe('/dev/null');
          expect(stays('/dev/null')).toEqual(before);
        });
      });

      it('in a cycle: a usage error', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        symlinkSync('b', join(dir, 'a'));
        symlinkSync('a', join(dir, 'b'));
        const run = await beforeReading(user, join(dir, 'a'));
        expect(run).toEqual({ code: 3, stdout: '', stderr: usage(join(dir, 'a'), 'too many levels of symbolic links') });
      });
    });

    describe('where the report cannot go: exit 3 before any input is read, and nothing touched', () => {
      it('an existing directory', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const sub = join(dir, 'reports');
        mkdirSync(sub);
        give(user, sub);
        expect(await beforeReading(user, sub)).toEqual({ code: 3, stdout: '', stderr: usage(sub, 'is a directory') });
        expect(await beforeReading(user, `${sub}/`)).toEqual({ code: 3, stdout: '', stderr: usage(`${sub}/`, 'is a directory') });
        symlinkSync('reports', join(dir, 'link'));
        expect(await beforeReading(user, join(dir, 'link'))).toEqual({ code: 3, stdout: '', stderr: usage(join(dir, 'link'), 'is a directory') });
        expect(readdirSync(dir).sort()).toEqual(['link', 'reports']);
        expect(readdirSync(sub)).toEqual([]);
      });

      it('a file in a directory that does not exist', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const target = join(dir, 'missing', 'report.json');
        expect(await beforeReading(user, target)).toEqual({ code: 3, stdout: '', stderr: usage(target, `cannot write in ${join(dir, 'missing')}: no such directory`) });
        expect(await beforeReading(user, `${dir}/missing/`)).toEqual({ code: 3, stdout: '', stderr: usage(`${dir}/missing/`, 'no such directory') });
        writeFileSync(join(dir, 'file'), 'x');
        const under = join(dir, 'file', 'report.json');
        expect(await beforeReading(user, under)).toEqual({ code: 3, stdout: '', stderr: usage(under, `cannot write in ${join(dir, 'file')}: not a directory`) });
        expect(readdirSync(dir)).toEqual(['file']);
      });

      it('a file in a directory the user cannot write', async (ctx) => {
        available(ctx);
        if (user.root) ctx.skip('root may write in any directory');
        const dir = tempDir(); // the test's own: when the CLI runs as nobody, not theirs
        if (!IS_ROOT) chmodSync(dir, 0o555);
        else chmodSync(dir, 0o755);
        const target = join(dir, 'report.json');
        expect(await beforeReading(user, target)).toEqual({ code: 3, stdout: '', stderr: usage(target, `cannot write in ${dir}: permission denied`) });
        expect(readdirSync(dir)).toEqual([]);
      });

      it('an existing file the user may not write (though the directory would let it be replaced)', async (ctx) => {
        available(ctx);
        if (user.root) ctx.skip('root may write any file');
        const dir = dirFor(user);
        const target = join(dir, 'report.json');
        writeFileSync(target, 'old\n');
        give(user, target);
        chmodSync(target, 0o444);
        expect(await beforeReading(user, target)).toEqual({ code: 3, stdout: '', stderr: usage(target, 'permission denied') });
        expect(readFileSync(target, 'utf8')).toBe('old\n');
        expect(readdirSync(dir)).toEqual(['report.json']);
      });

      it('a file of another user in a sticky directory (like /tmp): known now, not after the scan', async (ctx) => {
        available(ctx);
        if (!IS_ROOT || user.root) ctx.skip('needs root to make the other user\'s file, and a CLI that is not root');
        const dir = tempDir();
        chmodSync(dir, 0o1777);
        const target = join(dir, 'report.json');
        writeFileSync(target, 'old\n');
        chmodSync(target, 0o666);
        expect(await beforeReading(user, target)).toEqual({
          code: 3, stdout: '', stderr: usage(target, `cannot replace it: ${dir} is a sticky directory and the file belongs to another user`),
        });
        expect(readFileSync(target, 'utf8')).toBe('old\n');
        expect(readdirSync(dir)).toEqual(['report.json']);
      });
    });

    describe('a regular file appears whole or not at all', () => {
      it('a new file: the whole report, no temporary file left', (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const target = join(dir, 'report.json');
        expect(scan(user, ['-o', target])).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(target, 'utf8')).toBe(EXPECTED);
        expect(readdirSync(dir)).toEqual(['report.json']);
      });

      it('an existing file is replaced only at the end, keeping its permissions (and owner)', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const target = join(dir, 'report.json');
        writeFileSync(target, 'old\n');
        chmodSync(target, 0o640);
        // Under root, the old file belongs to nobody: root's report keeps that owner.
        const owner = user.root && IS_ROOT ? NOBODY : (user.uid ?? process.getuid!());
        if (IS_ROOT) lchownSync(target, owner, owner);
        const { child, done } = spawnScan(user, ['-o', target]);
        const temp = `.report.json.${child.pid}.tmp`;
        child.stdin!.write(RECORDS);
        await until(() => readdirSync(dir).includes(temp));
        await new Promise((r) => setTimeout(r, 300)); // the records are read meanwhile
        expect(readFileSync(target, 'utf8')).toBe('old\n');
        child.stdin!.end();
        expect(await done).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(target, 'utf8')).toBe(EXPECTED_STDIN);
        expect(readdirSync(dir)).toEqual(['report.json']);
        const stat = statSync(target);
        expect(stat.mode & 0o777).toBe(0o640);
        expect(stat.uid).toBe(owner);
      });

      it('Ctrl-C keeps an existing file as it was and removes the temporary one', async (ctx) => {
        available(ctx);
        const dir = dirFor(user);
        const target = join(dir, 'report.json');
        writeFileSync(target, 'old\n');
        give(user, target);
        const { child, done } = spawnScan(user, ['-o', target]);
        child.stdin!.write(RECORDS);
        await until(() => readdirSync(dir).some((f) => f.endsWith('.tmp')));
        child.kill('SIGINT');
        const run = await done;
        child.stdin!.destroy();
        expect(run).toEqual({ code: 130, stdout: '', stderr: '\nsso-logs: interrupted\n' });
        expect(readFileSync(target, 'utf8')).toBe('old\n');
        expect(readdirSync(dir)).toEqual(['report.json']);
      });
    });
  });
}

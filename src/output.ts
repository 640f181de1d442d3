import {
  accessSync, closeSync, constants, fchmodSync, fchownSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { describeSystemError, errorCode } from './errors.js';

/** Where a report goes: stdout, or a file that appears whole or not at all. */
export interface Output {
  write(text: string): void;
  /** The report is complete: a file output is renamed into place. */
  commit(): void;
  /** Interrupted or failed: a file output leaves nothing behind. */
  abort(): void;
}

export function stdoutOutput(): Output {
  return { write: (text) => void process.stdout.write(text), commit() {}, abort() {} };
}

function stderrOutput(): Output {
  return { write: (text) => void process.stderr.write(text), commit() {}, abort() {} };
}

/**
 * The report for --output PATH. A regular file (new or existing, also through symbolic links) is written to a
 * temporary file beside it and renamed at the end, so a reader never sees half a report. Anything else that
 * exists (a device, a named pipe, /dev/stdout) is written in place and never replaced or removed.
 * Throws, before anything is read, when the report could not be put there.
 */
export function fileOutput(path: string): Output {
  // `report/` says "a directory": there is no file to make beside it.
  if (path.endsWith(sep)) throw new Error(trailingSlash(path));
  const target = follow(path);
  if (target.fd === 1) return stdoutOutput();
  if (target.fd === 2) return stderrOutput();
  if (target.stat?.isDirectory()) throw new Error('is a directory');
  if (target.descriptor || (target.stat && !target.stat.isFile())) return directOutput(path, target.stat);
  return replacingOutput(target.path, target.stat);
}

function trailingSlash(path: string): string {
  try {
    return statSync(path).isDirectory() ? 'is a directory' : 'not a directory';
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'no such directory' : say(error);
  }
}

interface Target {
  /** The name that finally holds the data: the path with every symbolic link on its last part followed. */
  path: string;
  /** Absent when nothing is there yet (or it cannot be seen: creating the temporary file then says why). */
  stat?: Stats;
  /** The path stands for an open descriptor (/dev/stdout, /dev/fd/N, /proc/PID/fd/N): `fd` when it is one of ours. */
  descriptor?: boolean;
  fd?: number;
}

// Names of open descriptors: what they lead to (`pipe:[123]`, `socket:[45]`, or a file the shell opened, maybe
// to append) cannot be renamed over, and a socket cannot be reopened; one of our own is written as it is.
const OWN_FD = new RegExp(`^(?:/dev/fd|/proc/(?:self|thread-self|${process.pid})(?:/task/\\d+)?/fd)/(\\d+)$`);
const OTHER_FD = /^\/proc\/\d+(?:\/task\/\d+)?\/fd\/\d+$/;

function follow(path: string): Target {
  let current = path;
  // The kernel's own limit on links in one lookup: beyond it a cycle is certain.
  for (let hops = 0; hops <= 40; hops++) {
    const own = OWN_FD.exec(current);
    if (own || OTHER_FD.test(current)) return { path: current, stat: statSync(path), descriptor: true, ...(own ? { fd: Number(own[1]) } : {}) };
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch {
      return { path: current };
    }
    if (!stat.isSymbolicLink()) return { path: current, stat };
    // Resolved against the link's real directory, so `..` in the link climbs from where the link really is.
    current = resolve(realpathSync(dirname(current)), readlinkSync(current));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/** Devices, pipes and open descriptors: the report goes into them; they are never created, replaced or removed. */
function directOutput(path: string, stat: Stats | undefined): Output {
  // No O_CREAT: if the thing went away meanwhile, a plain file must not appear in its place. O_APPEND for a
  // file reached through a descriptor, so `-o /dev/fd/3 3>>log` adds to the log as a redirection would.
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY | (stat?.isFile() ? constants.O_APPEND : 0));
  } catch (error) {
    throw new Error(say(error));
  }
  const { write, close } = descriptor(fd);
  return { write, commit: close, abort: close };
}

/** A regular file, new or existing: written beside it and renamed over it at the end; until then an old one stays as it was. */
function replacingOutput(path: string, existing: Stats | undefined): Output {
  const dir = dirname(path);
  // A file the user may not write is not replaced behind their back, though the directory would allow it.
  if (existing) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new Error(say(error));
    }
  }
  if (existing && !canReplace(dir, existing)) throw new Error(`cannot replace it: ${dir} is a sticky directory and the file belongs to another user`);
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = createTemp(temp, dir);
  try {
    // The report takes the old file's place with its owner (when root may keep it) and permissions; the owner
    // first, as a change of owner clears set-id bits (which a report has no use for anyway).
    if (existing) {
      if (process.getuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
      fchmodSync(fd, existing.mode & 0o777);
    }
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  const { write, close } = descriptor(fd);
  return {
    write,
    commit() {
      close();
      renameSync(temp, path);
    },
    abort() {
      close();
      rmSync(temp, { force: true });
    },
  };
}

/** Writes to an open descriptor, and closes it once, whether the report is committed or aborted (or both). */
function descriptor(fd: number): { write: (text: string) => void; close: () => void } {
  let open = true;
  return {
    write: (text) => void writeSync(fd, text),
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** In a sticky directory (/tmp) only the owner of a file or of the directory may rename over it: known now, not after the scan. */
function canReplace(dir: string, existing: Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || existing.uid === uid) return true;
  const dirStat = statSync(dir);
  return (dirStat.mode & 0o1000) === 0 || dirStat.uid === uid;
}

function createTemp(temp: string, dir: string): number {
  // O_EXCL: a name planted in a shared directory (a link to someone's file) is never written through.
  // A leftover of a killed run with the same pid is ours to remove.
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(temp, 'wx');
    } catch (error) {
      if (errorCode(error) === 'EEXIST' && attempt === 0) {
        rmSync(temp, { force: true });
        continue;
      }
      throw new Error(`cannot write in ${dir}: ${errorCode(error) === 'ENOENT' ? 'no such directory' : say(error)}`);
    }
  }
}

/** describeSystemError, and the errors only writing meets. */
function say(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENXIO': return 'no such device or address';
    case 'ENOTDIR': return 'not a directory';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    default: return describeSystemError(error);
  }
}

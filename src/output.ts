import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

/** Writes to a temporary file beside the target and renames it at the end, so a reader never sees half a report. */
export function fileOutput(path: string): Output {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(text) {
      writeSync(fd, text);
    },
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

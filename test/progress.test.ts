import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../src/progress-bar.js';

/** A terminal that records what is drawn on it. */
function fakeTerminal() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }) as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 120;
  (stream as unknown as { cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean }).cursorTo = () => true;
  (stream as unknown as { clearLine: () => boolean }).clearLine = () => true;
  (stream as unknown as { moveCursor: () => boolean }).moveCursor = () => true;
  return { stream, text: () => text };
}

describe('terminal progress', () => {
  it('shows bytes, records, files of total and rate, and ETA when the total is known', () => {
    const term = fakeTerminal();
    const progress = terminalProgress(term.stream);
    progress.start({ files: 2, bytes: 4_000_000 });
    progress.read(2_000_000, 1234);
    progress.fileDone();
    progress.read(1_000_000, 2345);
    progress.stop();
    expect(term.text()).toMatch(/\d+% \| 3 of 4 MB \| 2,345 records \| files 1\/2 \| \d+ MB\/s \| ETA/);
  });

  it('shows no ETA for standard input, whose size is unknown', () => {
    const term = fakeTerminal();
    const progress = terminalProgress(term.stream);
    progress.start(null);
    progress.read(5_000_000, 10);
    progress.stop();
    expect(term.text()).toMatch(/5 MB \| 10 records \| files 0 \| \d+ MB\/s/);
    expect(term.text()).not.toContain('ETA');
  });
});

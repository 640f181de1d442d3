import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../src/progress-bar.js';
import { replay } from './support/terminal.js';

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

  // The figures of issue 15's 300 MB tree, where the line was cut at `files 108/1440 | 9 M`.
  for (const columns of [80, 100, 200]) {
    it(`fits ${columns} columns with every figure, the rate and the ETA, on a large tree`, async () => {
      const term = fakeTerminal();
      term.stream.columns = columns;
      const progress = terminalProgress(term.stream);
      progress.start({ files: 1440, bytes: 312_000_000 });
      for (let i = 0; i < 108; i++) progress.fileDone();
      await new Promise((resolve) => setTimeout(resolve, 120));
      progress.read(9_000_000, 1_234_567);
      await new Promise((resolve) => setTimeout(resolve, 150)); // drawn on cli-progress's next frame (10 a second)
      const frames = replay(term.text(), columns).frames;
      progress.stop();
      const last = frames.at(-1)!;
      expect(last.length).toBeLessThan(columns);
      expect(last).toMatch(/^[=-]+ +2%/); // a bar, shorter at 80 columns
      expect(last).toMatch(/ 9(\/| of )312 MB .* 1,234,567 records .*108\/1440.* \d+ MB\/s .*ETA (\d+s|\d+m\d\ds)$/);
    });
  }

  it('puts a line written meanwhile above itself, and draws itself again below it', () => {
    const term = fakeTerminal();
    const progress = terminalProgress(term.stream);
    progress.start({ files: 2, bytes: 4_000_000 });
    progress.above(() => term.stream.write('sso-logs: a problem [GZIP_TRUNCATED]\n'));
    const screen = replay(term.text(), 120);
    expect(screen.rows[0]).toBe('sso-logs: a problem [GZIP_TRUNCATED]');
    expect(screen.rows[1]).toMatch(/^-+ +0% \| 0 of 4 MB/);
  });

  it('prints a problem found during the scan above itself, and leaves it there, with the cursor below it, when it stops', () => {
    const term = fakeTerminal();
    const progress = terminalProgress(term.stream);
    progress.status('sso-logs: looking through the inputs...');
    progress.start({ files: 2, bytes: 4_000_000 });
    progress.log('sso-logs: a problem [GZIP_TRUNCATED]');
    const screen = replay(term.text(), 120);
    expect(screen.rows[0]).toBe('sso-logs: a problem [GZIP_TRUNCATED]');
    expect(screen.rows[1]).toMatch(/^-+ +0% \| 0 of 4 MB/);
    progress.stop();
    term.stream.write('Inputs:');
    expect(replay(term.text(), 120).rows).toEqual(['sso-logs: a problem [GZIP_TRUNCATED]', 'Inputs:']);
    expect(term.text()).not.toMatch(/\x1b[78]/); // the cursor never saved and restored: that put the report over the problem
  });

  it('says what follows the read in its place, and leaves a clean line when it stops', () => {
    const term = fakeTerminal();
    const progress = terminalProgress(term.stream);
    progress.start({ files: 2, bytes: 4_000_000 });
    progress.status('sso-logs: writing the report (3 findings)...');
    expect(replay(term.text(), 120).rows).toEqual(['sso-logs: writing the report (3 findings)...']);
    progress.stop();
    progress.read(1, 1);
    progress.status('late');
    expect(replay(term.text(), 120).rows).toEqual([]);
  });
});

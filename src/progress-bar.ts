import { clearLine, cursorTo } from 'node:readline';
import cliProgress, { type Options, type Params } from 'cli-progress';
import type { Progress } from './progress.js';

// cli-progress is CommonJS: Node's ESM loader finds MultiBar among its named exports but not Format.
const { MultiBar, Format } = cliProgress;

const MB = 1_000_000;
// Redraws at most this often (cli-progress's timer): a scan reports reads thousands of times a second.
const FPS = 10;
const BAR_MAX = 20;
// Below these a bar says nothing the percentage does not.
const BAR_MIN_FULL = 10;
const BAR_MIN_SHORT = 5;

/** What the scan tells the bar, besides the bytes (cli-progress's value and total). */
interface Payload {
  /** What the scan does when there are no bytes to count, shown in place of the figures; null while reading. */
  status: string | null;
  known: boolean;
  records: number;
  files: number;
  totalFiles: number;
}

interface Figures {
  percent: number;
  mb: string;
  totalMb: string | null;
  records: string;
  files: string;
  totalFiles: string;
  rate: string;
  eta: string;
}

/**
 * One line on stderr: percentage and bar, MB of total MB, records, files of total, rate and ETA (no total, bar or
 * ETA for standard input, whose size is unknown); before and after the read, what the scan is doing instead.
 *
 * cli-progress (a MultiBar holding one bar) does the terminal side: it redraws the line on its own timer at most
 * FPS times a second however often the scan reports a read, hides the cursor meanwhile, prints lines above the
 * bar (`log`: a problem or a note found during the scan), and on `stop` clears the line (clearOnComplete) and
 * leaves the cursor at the start of it, where the report begins. A MultiBar rather than a SingleBar: SingleBar
 * saves the cursor when it starts and restores it when it stops (ESC 7 / ESC 8), so the report was drawn over
 * every line printed in between; a MultiBar of one bar never leaves the bar's row. Its options here: linewrap true
 * (its default, false, turns the terminal's autowrap off while the bar is up, and a problem line wider than the
 * terminal printed meanwhile would be cut at the last column), forceRedraw (after a line printed above, the bar
 * is drawn again even if its text did not change), gracefulExit false (cli.ts's own SIGINT/SIGTERM handler stops
 * the line before it says "interrupted"). A read is drawn on the next frame; a status, a line logged, and the
 * last figures at `stop` are drawn at once with MultiBar.update() (its stop() neither draws nor prints its log).
 *
 * What this code adds is the line itself, computed in cli-progress's format function: it always fits the
 * terminal (one column short of it: some terminals wrap on the last), and when the figures need the room the
 * bar shrinks or goes and the labels get shorter, the figures staying whole. And one thing drawn by hand:
 * `above` for something written to another stream that shares the terminal (ndjson on stdout). cli-progress's
 * `log` can only print on the bar's own stream (multi-bar.js, update(): `this.terminal.write(this.loggingBuffer
 * .shift(), true)`, the terminal being the bar's stderr), so for those the line is cleared with the same
 * readline calls cli-progress makes, the text written, and the bar drawn again by cli-progress.
 */
export function terminalProgress(stream: NodeJS.WriteStream): Progress {
  let multibar: InstanceType<typeof MultiBar> | undefined;
  let bar: ReturnType<InstanceType<typeof MultiBar>['create']> | undefined;
  let stopped = false;
  let files = 0;

  // The layout only ever gets more compact during a scan (unless the terminal is resized): a line that went back
  // and forth between two layouts as the record count gained a digit would be hard to read.
  let layout = { columns: 0, form: 0, bar: BAR_MAX };
  const format = (options: Options, params: Params, payload: Payload): string => {
    const width = Math.max(1, params.maxWidth - 1); // the last column: some terminals wrap on it
    if (payload.status !== null) return payload.status.slice(0, width);
    if (layout.columns !== width) layout = { columns: width, form: 0, bar: BAR_MAX };
    const f = figures(params, payload);
    const percent = `${f.percent}%`.padStart(4);
    const forms = f.totalMb === null
      ? [
          { text: `${f.mb} MB | ${f.records} records | files ${f.files} | ${f.rate} MB/s`, bar: 0 },
          { text: `${f.mb} MB  ${f.records} records  ${f.files} files  ${f.rate} MB/s`, bar: 0 },
        ]
      : [
          { text: `${percent} | ${f.mb} of ${f.totalMb} MB | ${f.records} records | files ${f.files}/${f.totalFiles} | ${f.rate} MB/s | ETA ${f.eta}`, bar: BAR_MIN_FULL },
          { text: `${percent} ${f.mb}/${f.totalMb} MB  ${f.records} records  ${f.files}/${f.totalFiles} files  ${f.rate} MB/s  ETA ${f.eta}`, bar: BAR_MIN_SHORT },
          // narrower than 70 columns: the record count goes before the rate and the ETA would
          { text: `${percent} ${f.mb}/${f.totalMb} MB  ${f.files}/${f.totalFiles} files  ${f.rate} MB/s  ETA ${f.eta}`, bar: 0 },
        ];
    while (layout.form < forms.length - 1) {
      const form = forms[layout.form]!;
      if (form.text.length + (form.bar ? form.bar + 1 : 0) <= width) break;
      layout.form++;
    }
    const form = forms[layout.form]!;
    if (!form.bar) return form.text.slice(0, width);
    layout.bar = Math.min(layout.bar, width - form.text.length - 1);
    // cli-progress's own bar, at the size this line has room for (its strings are made for `barsize`, the most)
    return `${Format.BarFormat(params.progress, { ...options, barsize: layout.bar })} ${form.text}`;
  };

  /** The line, created by the first thing the scan says (a status, before anything is read). */
  const line = () => {
    if (!multibar) {
      multibar = new MultiBar({
        stream,
        format,
        fps: FPS,
        barsize: BAR_MAX,
        hideCursor: true,
        clearOnComplete: true,
        linewrap: true,
        forceRedraw: true,
        gracefulExit: false,
      });
      bar = multibar.create(0, 0, { status: null, known: false, records: 0, files: 0, totalFiles: 0 } satisfies Payload);
    }
    return { multibar, bar: bar! };
  };

  return {
    start(total) {
      if (stopped) return;
      const known = total !== null && total.bytes > 0;
      const { multibar, bar } = line();
      layout = { columns: 0, form: 0, bar: BAR_MAX };
      files = 0;
      // the bytes are cli-progress's value and total; its clock starts here (the rate and the ETA count from it)
      bar.start(known ? total.bytes : 0, 0, { status: null, known, records: 0, files: 0, totalFiles: total?.files ?? 0 } satisfies Payload);
      multibar.update();
    },
    read(n, records) {
      if (!stopped) bar?.increment(n, { records });
    },
    fileDone() {
      files++;
      if (!stopped) bar?.update({ files });
    },
    log(text) {
      if (stopped || !multibar) {
        stream.write(`${text}\n`);
        return;
      }
      // printed at once rather than at the next redraw: in order with what `above` writes, and never left
      // in cli-progress's buffer when the line stops (stop() does not print it)
      multibar.log(`${text}\n`);
      multibar.update();
    },
    above(write) {
      if (stopped || !multibar) {
        write();
        return;
      }
      cursorTo(stream, 0);
      clearLine(stream, 0);
      write();
      multibar.update();
    },
    status(text) {
      if (stopped) return;
      const { multibar, bar } = line();
      bar.update({ status: text });
      multibar.update();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // The last figures are drawn before the line goes: a transcript of the session (script, tmux) ends with them.
      multibar?.update();
      multibar?.stop();
    },
  };
}

function figures(params: Params, payload: Payload): Figures {
  const bytes = params.value;
  const seconds = (Date.now() - params.startTime) / 1000;
  const rate = seconds > 0 ? bytes / seconds : 0;
  // Under 1 MB a whole number of MB says "0 of 0 MB": one decimal then.
  const digits = payload.known && params.total < MB ? 1 : 0;
  const totalMb = payload.known ? (params.total / MB).toFixed(digits) : null;
  const totalFiles = String(payload.totalFiles);
  // Padded to the width they will reach, so that the bar does not change size as they grow.
  return {
    percent: payload.known ? Math.floor(params.progress * 100) : 0,
    mb: (bytes / MB).toFixed(digits).padStart(totalMb?.length ?? 0),
    totalMb,
    records: payload.records.toLocaleString('en-US'),
    files: String(payload.files).padStart(payload.known ? totalFiles.length : 0),
    totalFiles,
    rate: (rate / MB).toFixed(0),
    eta: rate > 0 && payload.known ? duration(Math.max(0, params.total - bytes) / rate) : '?',
  };
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

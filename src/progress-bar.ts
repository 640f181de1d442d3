import { SingleBar } from 'cli-progress';
import type { Progress } from './progress.js';

const MB = 1_000_000;

/**
 * A progress line on stderr (cli-progress): bytes and records read, files done of total, rate, and the ETA when
 * the total is known (not for standard input). cli-progress throttles redraws; each update is cheap.
 */
export function terminalProgress(stream: NodeJS.WriteStream): Progress {
  let bar: SingleBar | undefined;
  let started = 0;
  let files = 0;
  let totalFiles = 0;
  let bytes = 0;
  return {
    start(total) {
      started = Date.now();
      totalFiles = total?.files ?? 0;
      const known = total !== null && total.bytes > 0;
      bar = new SingleBar({
        stream,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 20,
        etaBuffer: 50,
        format: known
          ? '{bar} {percentage}% | {mb} of {totalMb} MB | {records} records | files {files}/{totalFiles} | {rate} MB/s | ETA {eta_formatted}'
          : '{mb} MB | {records} records | files {files} | {rate} MB/s',
      });
      bar.start(known ? total.bytes : 1, 0, { mb: '0', totalMb: known ? (total.bytes / MB).toFixed(0) : '?', records: '0', files: 0, totalFiles, rate: '0' });
    },
    read(n, records) {
      bytes += n;
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar?.update(bytes, { mb: (bytes / MB).toFixed(0), records: records.toLocaleString('en-US'), files, totalFiles, rate: (bytes / MB / seconds).toFixed(0) });
    },
    fileDone() {
      files++;
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** What a scan reports as it goes; the terminal line or nothing. */
export interface Progress {
  start(total: { files: number; bytes: number } | null): void;
  /** Bytes read from an input (compressed bytes for gzip: that is what the total counts). */
  read(bytes: number, records: number): void;
  fileDone(): void;
  /** A line for stderr while the scan runs (a problem, a note): printed above the progress line, when there is one. */
  log(line: string): void;
  /**
   * Writes something else that shares the terminal (ndjson on stdout): the progress line is taken away first and
   * drawn again below it, so the two never end up on one line.
   */
  above(write: () => void): void;
  /** What the scan is doing when there are no bytes to count (matching, writing the report), in place of the bar. */
  status(text: string): void;
  /** Takes the line away: what follows starts on a clean line. */
  stop(): void;
}

export const noProgress: Progress = {
  start() {}, read() {}, fileDone() {}, log: (line) => void process.stderr.write(`${line}\n`), above: (write) => write(), status() {}, stop() {},
};

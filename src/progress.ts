/** What a scan reports as it goes; the terminal bar or nothing. */
export interface Progress {
  start(total: { files: number; bytes: number } | null): void;
  /** Bytes read from an input (compressed bytes for gzip: that is what the total counts). */
  read(bytes: number, records: number): void;
  fileDone(): void;
  stop(): void;
}

export const noProgress: Progress = { start() {}, read() {}, fileDone() {}, stop() {} };


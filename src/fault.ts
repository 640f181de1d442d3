/**
 * Fault injection for tests only: SSO_LOGS_FAULT=matcher makes the matchers throw on their first record,
 * SSO_LOGS_FAULT=reader makes the reader throw a programming error (a TypeError) inside its input loop. The
 * tests use them to prove that a bug ends the run as an internal error (exit 4) on every path (one thread,
 * worker threads, one file read in two parts), never as findings or as bad input. Read once, at start.
 */
export const FAULT = process.env.SSO_LOGS_FAULT;
